// Facts about breakpoint instructions beyond AbiInfo's bytes: how the host's kernel reports
// their traps, and the original bytes a breakpoint covers.
#pragma once

#include <signal.h>

#include <algorithm>
#include <cstddef>
#include <span>

#include "ptk/arch/arch.h"

namespace ptk {

// How this host's kernel reports the traps a debugger causes, as SIGTRAP's si_code. They follow
// the kernel's architecture, not the tracee's ABI (an i386 task on x86_64 gets x86_64's), and
// single-steps are TRAP_TRACE on both.
struct TrapCodes {
  // A breakpoint instruction ran. x86: int3 raises #BP, which do_int3_user reports as SI_KERNEL
  // (arch/x86/kernel/traps.c). arm64: a brk from user space reaches brk_handler, which sends
  // TRAP_BRKPT (arch/arm64/kernel/debug-monitors.c).
  int breakpoint;
  // A single-step over a syscall instruction, reported at the syscall's exit. x86 overrides
  // user_single_step_report with TRAP_BRKPT (arch/x86/kernel/step.c); arm64 keeps the generic
  // one (include/linux/ptrace.h): SI_USER with si_pid 0, which Session tells from a kill() by
  // that si_pid. Measured on Debian 12's arm64 kernel (6.1) under qemu: the step over `svc #0`
  // stops with SIGTRAP, si_code 0, si_pid 0, the pc 4 bytes on; a `brk #0` with si_code 1
  // (TRAP_BRKPT), the pc on the brk.
  int stepped_syscall;
};
#if defined(__x86_64__)
inline constexpr TrapCodes kHostTrapCodes = {.breakpoint = SI_KERNEL,
                                             .stepped_syscall = TRAP_BRKPT};
#else
inline constexpr TrapCodes kHostTrapCodes = {.breakpoint = TRAP_BRKPT, .stepped_syscall = SI_USER};
#endif

// The first `len` bytes of `from` (at most InsnBytes::kMax): the original bytes under an
// instruction written over them.
inline InsnBytes insn_bytes_of(std::span<const std::byte> from, std::size_t len) {
  InsnBytes out;
  out.len = static_cast<std::uint8_t>(std::min({len, from.size(), InsnBytes::kMax}));
  for (std::size_t i = 0; i < out.len; ++i) out.raw[i] = std::to_integer<std::uint8_t>(from[i]);
  return out;
}

// Whether `code` starts with the instruction `insn`.
inline bool holds_insn(std::span<const std::byte> code, const InsnBytes& insn) {
  if (code.size() < insn.size()) return false;
  for (std::size_t i = 0; i < insn.size(); ++i) {
    if (std::to_integer<std::uint8_t>(code[i]) != insn[i]) return false;
  }
  return true;
}

}  // namespace ptk
