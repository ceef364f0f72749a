// Signal information as strace prints it: the siginfo of a `--- SIGCHLD {...} ---` line and
// of waitid/rt_sigtimedwait/rt_sigqueueinfo, and signal masks ([INT TERM], ~[RTMIN RT_1]).
#pragma once

#include <signal.h>

#include <cstdint>

#include "ptk/arch/arch.h"
#include "ptk/sys/pidns.h"
#include "ptk/sys/tokens.h"

namespace ptk::sys {

class DecodeCtx;

// What a siginfo's decoding may look up besides its bytes.
struct SiginfoEnv {
  PidNsView pidns;           // si_pid in the tracer's namespace too (--decode-pids=pidns)
  DecodeCtx* ctx = nullptr;  // si_fd with its path (-y): the syscall whose argument `out` is
};

// Appends the struct strace shows for a siginfo in the host's layout (as PTRACE_GETSIGINFO
// returns it for tracees of either ABI): {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1234,
// si_uid=0, si_status=0, si_utime=0, si_stime=0}. `arch` is the tracee's ABI (it names the
// syscall of a seccomp SIGSYS when si_arch is not one ptk knows).
void decode_siginfo(TokenList& out, const siginfo_t& si, Arch arch, const SiginfoEnv& env = {});

// The same for the 128 bytes of a siginfo in the tracee's own layout (32-bit pointers,
// longs and clock_t on i386), as waitid and rt_sigtimedwait write it to tracee memory.
void decode_siginfo_abi(TokenList& out, const unsigned char (&raw)[128], Arch arch,
                        const SiginfoEnv& env = {});

// Appends a signal mask of `bytes` bytes (at most 8, the kernel's sigset on x86) as strace
// prints it: [INT TERM], [] or, when two thirds or more of the bits are set, the complement
// ~[RTMIN RT_1].
void sigmask_tokens(TokenList& out, std::uint64_t mask, unsigned bytes);

}  // namespace ptk::sys
