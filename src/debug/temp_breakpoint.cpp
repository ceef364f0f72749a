#include "ptk/debug/temp_breakpoint.h"

#include <fmt/format.h>
#include <signal.h>

#include <utility>

namespace ptk::debug {

Result<TempBreakpoint> TempBreakpoint::insert(Session& session, pid_t tid, std::uint64_t address) {
  const Thread* t = session.thread(tid);
  if (t == nullptr) {
    return session.untraced(tid, fmt::format("breakpoint in thread {}", tid));
  }
  // The byte saved below holds a one-byte int3; aarch64's 4-byte brk is not ported here yet.
  const std::span<const std::byte> trap = abi(t->arch).breakpoint_insn.bytes();
  if (trap.size() != 1) {
    return Error(ErrorKind::Unsupported, fmt::format("breakpoint at {:#x}", address), 0,
                 fmt::format("not yet supported on {}", to_string(t->arch)));
  }
  Memory& mem = session.memory(tid);
  std::byte saved{};
  if (Status s = mem.read_exact(RemoteAddr(address), std::span(&saved, 1)); !s.ok()) {
    if (s.error().kind() == ErrorKind::TraceeGone) return std::move(s).error();
    return Error(ErrorKind::BadAddress, fmt::format("breakpoint at {:#x}", address), 0,
                 "the address cannot be read in process " + std::to_string(t->pid));
  }
  // Memory::write goes through /proc/PID/mem, which may write read-only text (FOLL_FORCE).
  PTK_TRY(mem.write(RemoteAddr(address), trap));
  return TempBreakpoint(session, t->pid, address, saved);
}

TempBreakpoint::TempBreakpoint(TempBreakpoint&& other) noexcept
    : session_(other.session_),
      pid_(other.pid_),
      address_(other.address_),
      saved_(other.saved_),
      inserted_(std::exchange(other.inserted_, false)) {}

TempBreakpoint::~TempBreakpoint() { (void)remove(); }

bool TempBreakpoint::is_int3_trap(const Event& ev) {
  // An int3 raises #BP, which the kernel reports as SIGTRAP with si_code SI_KERNEL (x86's
  // do_int3_user); single-steps are TRAP_TRACE, and a stepped syscall's report TRAP_BRKPT.
  return ev.kind == EventKind::Trap && ev.siginfo.si_code == SI_KERNEL;
}

bool TempBreakpoint::is_hit(const Event& ev, const Registers& regs) const {
  return inserted_ && ev.pid == pid_ && is_int3_trap(ev) &&
         regs.ip() - regs.abi_info().breakpoint_pc_adjust == address_;
}

Status TempBreakpoint::finish_hit(pid_t tid, Registers& regs) {
  PTK_TRY(remove());
  regs.set_ip(address_);
  return session_->set_regs(tid, regs);
}

Status TempBreakpoint::remove() {
  if (!inserted_) return ok_status();
  inserted_ = false;
  if (session_->process(pid_) == nullptr) return ok_status();  // gone: nothing to restore
  return session_->memory(pid_).write(RemoteAddr(address_), std::span(&saved_, 1));
}

}  // namespace ptk::debug
