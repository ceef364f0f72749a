// One read+execute anonymous page in the tracee per call, placed near the breakpoint when the
// kernel can: a RIP-relative operand copied into a slot must reach its data within +-2 GiB.
#include "ptk/inject/scratch_pages.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include "ptk/inject/remote_memory.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {
namespace {

// A hint below the object the breakpoint is in: libraries and PIE programs sit at the top of
// their area, and the gap below them is usually free. Without MAP_FIXED the kernel takes the
// hint only when the range is free, and picks another place otherwise.
std::uint64_t hint_near(std::uint64_t near) {
  constexpr std::uint64_t kBelow = 16ULL << 20;
  std::uint64_t page = near & ~std::uint64_t{0xfff};
  return page > kBelow + (1ULL << 20) ? page - kBelow : 0;
}

}  // namespace

debug::BreakpointSet::ScratchAllocator scratch_page_allocator(Session& session) {
  return [&session](pid_t tid, std::uint64_t near, std::size_t size) -> Result<std::uint64_t> {
    PTK_ASSIGN_OR_RETURN(RemoteSyscalls rs, RemoteSyscalls::open(session, tid));
    // i386 has mmap2 (offset in pages) for the six-argument form; offset 0 either way.
    const char* name = rs.arch() == Arch::I386 ? "mmap2" : "mmap";
    std::uint64_t no_fd = rs.arch() == Arch::I386 ? 0xffffffffULL : ~0ULL;
    PTK_ASSIGN_OR_RETURN(std::int64_t ret,
                         rs.syscall(name, {hint_near(near), size, PROT_READ | PROT_EXEC,
                                           MAP_PRIVATE | MAP_ANONYMOUS, no_fd, 0}));
    PTK_TRY(rs.restore());
    if (is_syscall_error(ret)) {
      return Error(ErrorKind::Io, fmt::format("mmap of a scratch page in thread {}", tid),
                   static_cast<int>(-ret));
    }
    return rs.as_address(ret);
  };
}

debug::BreakpointSet::ScratchReleaser scratch_page_releaser(Session& session) {
  return [&session](pid_t tid, std::uint64_t address, std::size_t size) -> Status {
    PTK_ASSIGN_OR_RETURN(RemoteSyscalls rs, RemoteSyscalls::open(session, tid));
    Status unmapped = remote_munmap(rs, RemoteAddr(address), size);
    Status restored = rs.restore();
    return unmapped.ok() ? restored : unmapped;
  };
}

void provide_scratch_pages(debug::BreakpointSet& bps, Session& session) {
  bps.set_scratch_allocator(scratch_page_allocator(session), scratch_page_releaser(session));
}

}  // namespace ptk::inject
