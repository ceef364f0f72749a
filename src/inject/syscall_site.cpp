// Where the injected thread finds a syscall instruction of its ABI (syscall 0f 05, int $0x80
// cd 80). Running an existing one leaves the program's bytes alone.
#include <algorithm>
#include <vector>

#include "ptk/core/proc.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {
namespace {

// The vDSO the kernel maps into every process holds syscall instructions of the process's
// ABI: the 64-bit one in the fallbacks of clock_gettime and friends, the 32-bit one in
// __kernel_vsyscall and the sigreturn trampolines. The two bytes need not start an
// instruction of the vDSO's own code: decoding starts at the ip, so they run as a syscall.
std::uint64_t find_in_vdso(Memory& memory, pid_t pid, std::span<const std::byte> insn) {
  auto maps = read_maps(pid);
  if (!maps.ok()) return 0;
  for (const MapEntry& m : *maps) {
    if (m.path != "[vdso]" || !m.exec || m.size() > (1u << 20)) continue;
    std::vector<std::byte> image(m.size());
    auto n = memory.read(RemoteAddr(m.start), image);
    if (!n.ok()) return 0;
    auto end = image.begin() + static_cast<std::ptrdiff_t>(*n);
    auto it = std::search(image.begin(), end, insn.begin(), insn.end());
    if (it != end) return m.start + static_cast<std::uint64_t>(it - image.begin());
  }
  return 0;
}

}  // namespace

Status RemoteSyscalls::find_syscall_site() {
  if (syscall_site_ != 0) return ok_status();
  const std::span<const std::byte> insn = abi_info().syscall_insn.bytes();
  Memory& memory = session_->memory(tid_);
  // 1. A thread stopped in or just after a syscall has the instruction right before its ip.
  std::uint64_t ip = saved_regs_.ip();
  std::vector<std::byte> before(insn.size());
  if (ip >= insn.size() && memory.read_exact(RemoteAddr(ip - insn.size()), before).ok() &&
      std::ranges::equal(before, insn)) {
    syscall_site_ = ip - insn.size();
    return ok_status();
  }
  // 2. One in the vDSO.
  if (std::uint64_t at = find_in_vdso(memory, session_->thread(tid_)->pid, insn); at != 0) {
    syscall_site_ = at;
    return ok_status();
  }
  // 3. None found (a kernel booted with vdso=0): write one over the ip, restored at the end.
  std::vector<std::byte> saved(insn.size());
  PTK_TRY(memory.read_exact(RemoteAddr(ip), saved));
  PTK_TRY(memory.write(RemoteAddr(ip), insn));
  site_saved_bytes_ = std::move(saved);
  syscall_site_ = ip;
  return ok_status();
}

}  // namespace ptk::inject
