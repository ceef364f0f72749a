// Letting go of a stepped process without harming it.
//
// Two of the kernel's traps are ptk's doing but look like signals the program could receive:
// the report of a stepped syscall instruction (SIGTRAP, kHostTrapCodes.stepped_syscall) and the
// stop at a signal handler's entry while stepping (SIGTRAP, si_code SIGTRAP). Session keeps such a
// SIGTRAP as the thread's pending signal, and PTRACE_DETACH would deliver it: the program would die
// of SIGTRAP. Worse, a step interrupted by PTRACE_INTERRUPT may already have queued its SIGTRAP
// (the trap is raised when the instruction completes, the interrupt stop is reported first: see
// get_signal() in kernel/signal.c), and a detach there would deliver that one. So each thread
// is either left stopped with exactly the signal the program should get, or resumed without
// one; a SIGTRAP still queued (SigPnd of /proc/TID/status) is collected first.
#include <fmt/format.h>
#include <signal.h>

#include <cstdlib>
#include <string_view>
#include <vector>

#include "ptk/core/proc.h"
#include "ptk/debug/stepper.h"

namespace ptk::debug {
Status Stepper::release(pid_t pid) {
  // The stop flag that ended stepping would make every wait below return at once.
  WaitPolicy policy = session_.options().wait_policy;
  WaitPolicy quiet = policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  Status result = ok_status();
  if (const Process* proc = session_.process(pid)) {
    for (pid_t tid : std::vector<pid_t>(proc->tids)) {
      Status s = release_thread(tid);
      if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone && result.ok()) result = s;
    }
  }
  session_.set_wait_policy(policy);
  return result;
}

Status Stepper::release_thread(pid_t tid) {
  const Thread* t = session_.thread(tid);
  if (t == nullptr) return ok_status();
  if (t->state != ThreadState::Stopped) {
    // A step (or anything else) in flight, or blocked in a syscall: stop it where it is.
    Status s = session_.interrupt(tid);
    if (!s.ok()) return s.error().kind() == ErrorKind::TraceeGone ? ok_status() : s;
    PTK_ASSIGN_OR_RETURN(Event ev, wait_for(tid));
    if (!ev.stopped()) return ok_status();
  }
  // Twice at most: the thread's stop, then the stop of a queued SIGTRAP collected.
  for (int round = 0; round < 3; ++round) {
    t = session_.thread(tid);
    if (t == nullptr) return ok_status();
    if (auto it = last_.find(tid); it != last_.end() && undo_removed_breakpoint_trap(it->second)) {
      last_.erase(it);  // it never ran the breakpoint, as far as the program can tell
    }
    int keep = program_signal(tid);
    bool queued = thread_signal_pending(tid, SIGTRAP);
    if (keep == t->pending_signal && !queued) return ok_status();
    PTK_TRY(session_.resume(tid, Resume::Continue, keep));
    last_.erase(tid);
    if (!queued) return ok_status();  // running: Session::detach interrupts it
    PTK_ASSIGN_OR_RETURN(Event ev, wait_for(tid));
    if (!ev.stopped()) return ok_status();
  }
  return ok_status();
}

}  // namespace ptk::debug
