// What running code inside a tracee (ptk_inject) needs to know of an ABI beyond AbiInfo: kernel
// behaviour around the syscall instruction and calls, as data per ABI.
#pragma once

#include <cstdint>
#include <optional>

#include "ptk/arch/arch.h"

namespace ptk {

struct RemoteAbi {
  // Where the syscall instruction takes its number from: rax/eax (the SyscallNo role) on x86;
  // x8 on aarch64, whose SyscallNo role is the kernel's copy that `svc` fills from x8.
  RegSlot syscall_insn_nr;
  // Flag bits a function expects clear at its entry: EFLAGS.DF (the SysV psABIs), PSTATE.BTYPE
  // (bits 11:10: left nonzero by the interrupted code, a callee on a BTI-guarded page that does
  // not start with a landing pad would take a Branch Target exception).
  std::uint64_t call_clear_flags;
  // A register the kernel overwrites while a thread sits in a syscall-entry or -exit stop (with
  // the stop's direction), ignoring the tracer's writes to it and putting the thread's value
  // back when it leaves: x7 on aarch64 (arch/arm64/kernel/ptrace.c, report_syscall). None on x86.
  std::optional<RegSlot> syscall_stop_clobber;
  // Whether the kernel rewinds a syscall interrupted by a signal or a ptrace interrupt (pc back
  // on the instruction, the first argument reloaded) before the thread stops, deciding
  // -ERESTART_RESTARTBLOCK's restart_syscall only as it leaves that stop: arm64 (do_signal in
  // arch/arm64/kernel/signal.c). x86 keeps the error code in the stop's registers and applies
  // every rule as the thread leaves (arch_do_signal_or_restart, arch/x86/kernel/signal.c).
  bool restart_rewound_before_stop;
};

const RemoteAbi& remote_abi(Arch arch);

}  // namespace ptk
