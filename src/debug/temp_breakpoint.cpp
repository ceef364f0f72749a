#include "ptk/debug/temp_breakpoint.h"

#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <utility>

#include "ptk/arch/breakpoint_insn.h"

namespace ptk::debug {

Result<TempBreakpoint> TempBreakpoint::insert(Session& session, pid_t tid, std::uint64_t address) {
  const Thread* t = session.thread(tid);
  if (t == nullptr) {
    return session.untraced(tid, fmt::format("breakpoint in thread {}", tid));
  }
  const InsnBytes& trap = abi(t->arch).breakpoint_insn;
  Memory& mem = session.memory(tid);
  std::array<std::byte, InsnBytes::kMax> bytes{};
  auto original = std::span(bytes).first(trap.size());
  if (Status s = mem.read_exact(RemoteAddr(address), original); !s.ok()) {
    if (s.error().kind() == ErrorKind::TraceeGone) return std::move(s).error();
    return Error(ErrorKind::BadAddress, fmt::format("breakpoint at {:#x}", address), 0,
                 "the address cannot be read in process " + std::to_string(t->pid));
  }
  // Memory::write goes through /proc/PID/mem, which may write read-only text (FOLL_FORCE).
  PTK_TRY(mem.write(RemoteAddr(address), trap.bytes()));
  return TempBreakpoint(session, t->pid, address, insn_bytes_of(original, trap.size()));
}

TempBreakpoint::TempBreakpoint(TempBreakpoint&& other) noexcept
    : session_(other.session_),
      pid_(other.pid_),
      address_(other.address_),
      saved_(other.saved_),
      inserted_(std::exchange(other.inserted_, false)) {}

TempBreakpoint::~TempBreakpoint() { (void)remove(); }

bool TempBreakpoint::is_breakpoint_trap(const Event& ev) {
  // Single-steps are TRAP_TRACE, a stepped syscall's report is another code (kHostTrapCodes).
  return ev.kind == EventKind::Trap && ev.siginfo.si_code == kHostTrapCodes.breakpoint;
}

bool TempBreakpoint::is_hit(const Event& ev, const Registers& regs) const {
  return inserted_ && ev.pid == pid_ && is_breakpoint_trap(ev) &&
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
  return session_->memory(pid_).write(RemoteAddr(address_), saved_.bytes());
}

}  // namespace ptk::debug
