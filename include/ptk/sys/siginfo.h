// The siginfo of a signal as strace shows it in "--- SIGCHLD {si_signo=SIGCHLD, ...} ---".
#pragma once

#include <signal.h>

#include "ptk/arch/arch.h"
#include "ptk/sys/tokens.h"

namespace ptk::sys {

// Emits the struct (StructBegin ... StructEnd) for a siginfo the tracer holds (from
// PTRACE_GETSIGINFO). `arch` is the ABI of the thread that receives the signal.
void decode_siginfo(TokenList& out, const siginfo_t& si, Arch arch);

}  // namespace ptk::sys
