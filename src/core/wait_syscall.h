// wait4(-1, status, __WALL, rusage) that a signal handler can call off before it sleeps.
//
// A tracer looks at its stop flag, then blocks in waitpid; a stop signal whose handler sets the
// flag between the two (a preemption there makes it likely under load) interrupts nothing, and
// the tracer sleeps on while its tracee may never stop again. Blocking the signal around the
// look costs syscalls on the hot path. Instead the look and the syscall instruction are one
// small asm routine, and a handler that finds the interrupted instruction inside it (not yet
// past the syscall) moves it to the routine's "interrupted" exit: the same technique musl uses
// to make pthread cancellation points race-free. Where no routine exists for the architecture
// the plain look-then-wait, with its window, remains.
#pragma once

#include <sys/resource.h>

#include <csignal>

namespace ptk::detail {

// The tid that changed state (status filled in), or -errno: -EINTR when *flag was set or a
// signal interrupted the wait. A non-null `usage` receives what wait4(2) reports there: for a
// ptrace stop, the stopped process's cumulative usage (kernel/exit.c, wait_task_stopped calls
// getrusage(p, RUSAGE_BOTH)), which is how strace -c times a syscall in system time.
long wait4_any_unless(const volatile std::sig_atomic_t* flag, int* status,
                      struct rusage* usage = nullptr);

// For a signal handler (installed with SA_SIGINFO), after it set the flag: `ucontext` is its
// third argument. Async-signal-safe.
void cancel_wait_in(void* ucontext);

}  // namespace ptk::detail
