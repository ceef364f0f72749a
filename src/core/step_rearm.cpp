// arm64 reports a single-stepped svc at the syscall's exit with a pseudo-step SIGTRAP
// (report_syscall_exit, arch/arm64/kernel/ptrace.c). By then the hardware step state machine
// has moved to active-pending: the svc completed and the saved PSTATE.SS is 0. The thread keeps
// TIF_SINGLESTEP, so the next PTRACE_SINGLESTEP does not set PSTATE.SS again
// (user_enable_single_step, arch/arm64/kernel/debug-monitors.c), and the thread traps with
// TRAP_TRACE before executing anything: a step that ran nothing (measured in the VM lane on
// Debian 12's 6.1 arm64 kernel). Setting SS in the saved pstate, which valid_user_regs keeps
// while TIF_SINGLESTEP is set (arch/arm64/kernel/ptrace.c), returns the state machine to
// active-not-pending: the next step runs one instruction, as on x86.
#include "step_rearm.h"

#if defined(__aarch64__)
#include <elf.h>
#include <sys/uio.h>

#include <array>
#include <cstdint>

#include "ptk/arch/registers.h"
#include "ptrace_call.h"
#endif

namespace ptk::detail {

#if defined(__aarch64__)
Status rearm_step_after_syscall(pid_t tid) {
  constexpr std::uint64_t kPstateSs = 1ULL << 21;  // DBG_SPSR_SS
  constexpr std::size_t kPstateWord = 33;          // user_pt_regs: x0..x30, sp, pc, pstate
  std::array<std::uint64_t, kAarch64PtRegsSize / 8> regs{};
  iovec iov{regs.data(), kAarch64PtRegsSize};
  PTK_TRY(ptrace_call(PTRACE_GETREGSET, tid, NT_PRSTATUS, reinterpret_cast<std::uint64_t>(&iov)));
  if (regs[kPstateWord] & kPstateSs) return ok_status();
  regs[kPstateWord] |= kPstateSs;
  PTK_TRY(ptrace_call(PTRACE_SETREGSET, tid, NT_PRSTATUS, reinterpret_cast<std::uint64_t>(&iov)));
  return ok_status();
}
#else
Status rearm_step_after_syscall(pid_t) { return ok_status(); }
#endif

}  // namespace ptk::detail
