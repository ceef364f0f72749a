// How the tracer waits for the next stop.
//
// On an idle 2-CPU machine most of a ptrace stop's cost is the wake-up of the sleeping tracer
// on the other CPU. Polling waitpid(WNOHANG) for a short while before blocking avoids that
// wake-up while stops come fast, and costs at most `spin_us` of CPU per stop when the tracee
// goes quiet. The spin is adaptive: it is used only while recent stops arrived within the
// spin window, so a tracee that sleeps or blocks costs no CPU, and never while the scheduler
// has put the tracee on the tracer's own CPU (then a spin only keeps the tracee from running).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <csignal>
#include <cstdint>

#include "ptk/base/result.h"

namespace ptk {

struct WaitPolicy {
  std::uint32_t spin_us = 0;  // 0: always block in waitpid
  bool adaptive = true;       // stop spinning after stops that took longer than the window
  // When set and nonzero after a signal interrupted waitpid (EINTR), the wait returns that
  // error instead of waiting again: how a tracer's SIGINT handler gets it out of a wait. The
  // handler should also call interrupt_wait_from_handler(), or a signal that comes just as the
  // wait begins can leave it asleep.
  const volatile std::sig_atomic_t* interrupt = nullptr;
  // Ask wait4(2) for the resource usage of each stop and report its system time (strace -c).
  // For a ptrace stop the kernel fills it with the stopped process's cumulative usage
  // (kernel/exit.c: wait_task_stopped calls getrusage(p, RUSAGE_BOTH)); that costs a walk of
  // the process's threads per stop, so it is off unless a summary wants it.
  bool want_rusage = false;
};

// For the handler (installed with SA_SIGINFO) of a signal that sets WaitPolicy::interrupt, after
// it set the flag; `ucontext` is its third argument. A wait it caught between its look at the
// flag and its sleep returns at once instead of sleeping. Async-signal-safe.
void interrupt_wait_from_handler(void* ucontext);

struct WaitPolicyState {
  int misses = 0;       // consecutive waits whose spin found nothing
  int backoff = 0;      // waits left before spinning is tried again
  int backoff_len = 0;  // the next backoff's length (doubles while co-location persists)
};

// The CPU a thread last ran on (field 39 of /proc/TID/stat), or -1.
int last_cpu_of(pid_t tid);

// The policy ptk's tools use by default: a short spin when this process may run on two CPUs or
// more (then the tracee and the spinning tracer run side by side), none on a single CPU, where
// a spin could only delay the tracee.
WaitPolicy default_wait_policy();

struct WaitResult {
  pid_t tid = 0;
  int status = 0;
  // ru_stime of the rusage wait4 returned, in nanoseconds (microsecond resolution), when the
  // policy wants_rusage; -1 otherwise.
  std::int64_t stime_ns = -1;
};

// One wait4(-1, __WALL) under the policy.
Result<WaitResult> wait_any(const WaitPolicy& policy, WaitPolicyState& state);

// A rusage's ru_stime in nanoseconds.
std::int64_t stime_ns_of(const struct rusage& usage);

}  // namespace ptk
