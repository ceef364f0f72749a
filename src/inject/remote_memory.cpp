// Remote mmap/mprotect/munmap and the RemoteMapping scope.
#include "ptk/inject/remote_memory.h"

#include <fmt/format.h>

namespace ptk::inject {
namespace {

constexpr std::uint64_t kPage = 4096;

Error remote_error(std::int64_t ret, std::string call) {
  return Error::from_errno(static_cast<int>(-ret), std::move(call) + " (in the tracee)");
}

}  // namespace

Result<RemoteAddr> remote_mmap(RemoteSyscalls& remote, std::uint64_t addr, std::size_t len,
                               int prot, int flags, int fd, std::uint64_t offset) {
  std::string call =
      fmt::format("mmap({:#x}, {}, {:#x}, {:#x}, {}, {:#x})", addr, len, prot, flags, fd, offset);
  if (offset % kPage != 0) {
    return Error(ErrorKind::InvalidArgument, call, EINVAL, "the offset must be page aligned");
  }
  auto fd_arg = static_cast<std::uint64_t>(static_cast<std::int64_t>(fd));
  std::int64_t ret = 0;
  if (remote.arch() == Arch::I386) {
    // i386's mmap (90) takes its six arguments in a struct in memory; mmap2 takes registers,
    // with the offset counted in 4096-byte units.
    PTK_ASSIGN_OR_RETURN(
        ret, remote.syscall("mmap2", {addr, len, static_cast<std::uint64_t>(prot),
                                      static_cast<std::uint64_t>(flags), fd_arg, offset / kPage}));
  } else {
    PTK_ASSIGN_OR_RETURN(
        ret, remote.syscall("mmap", {addr, len, static_cast<std::uint64_t>(prot),
                                     static_cast<std::uint64_t>(flags), fd_arg, offset}));
  }
  if (is_syscall_error(ret)) return remote_error(ret, call);
  return RemoteAddr(remote.as_address(ret));
}

Status remote_mprotect(RemoteSyscalls& remote, RemoteAddr addr, std::size_t len, int prot) {
  PTK_ASSIGN_OR_RETURN(
      std::int64_t ret,
      remote.syscall("mprotect", {addr.addr(), len, static_cast<std::uint64_t>(prot)}));
  if (is_syscall_error(ret)) {
    return remote_error(ret, fmt::format("mprotect({:#x}, {}, {:#x})", addr.addr(), len, prot));
  }
  return ok_status();
}

Status remote_munmap(RemoteSyscalls& remote, RemoteAddr addr, std::size_t len) {
  PTK_ASSIGN_OR_RETURN(std::int64_t ret, remote.syscall("munmap", {addr.addr(), len}));
  if (is_syscall_error(ret)) {
    return remote_error(ret, fmt::format("munmap({:#x}, {})", addr.addr(), len));
  }
  return ok_status();
}

Result<RemoteMapping> RemoteMapping::create(RemoteSyscalls& remote, std::size_t len, int prot) {
  std::size_t rounded = (len + kPage - 1) / kPage * kPage;
  PTK_ASSIGN_OR_RETURN(RemoteAddr addr,
                       remote_mmap(remote, 0, rounded, prot, MAP_PRIVATE | MAP_ANONYMOUS));
  return RemoteMapping(remote, addr, rounded);
}

RemoteMapping::RemoteMapping(RemoteMapping&& other) noexcept
    : remote_(other.remote_), addr_(other.addr_), len_(other.len_), active_(other.active_) {
  other.active_ = false;
}

RemoteMapping::~RemoteMapping() { (void)unmap(); }

Status RemoteMapping::write(std::size_t offset, std::span<const std::byte> data) {
  if (offset > len_ || data.size() > len_ - offset) {
    return Error(
        ErrorKind::InvalidArgument,
        fmt::format("write {} bytes at offset {} of a {}-byte mapping", data.size(), offset, len_));
  }
  return remote_->session()
      .memory(remote_->tid())
      .write(addr_ + static_cast<std::int64_t>(offset), data);
}

Status RemoteMapping::protect(int prot) { return remote_mprotect(*remote_, addr_, len_, prot); }

Status RemoteMapping::unmap() {
  if (!active_) return ok_status();
  active_ = false;
  return remote_munmap(*remote_, addr_, len_);
}

}  // namespace ptk::inject
