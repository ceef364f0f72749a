// The single-step loop. Start conditions are in stepper_start.cpp, letting go in
// stepper_release.cpp.
//
// Counting is the hot path: per instruction one PTRACE_SINGLESTEP and one wait (the Session's
// WaitPolicy spins briefly before it blocks, which saves waking an idle CPU at each stop).
// Without an observer or a syscall fence no register or memory is read.
#include "ptk/debug/stepper.h"
#include "ptk/arch/breakpoint_insn.h"

#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <span>
#include <vector>

#include "ptk/arch/kernel_entry.h"
#include "ptk/debug/temp_breakpoint.h"

namespace ptk::debug {

void Stepper::resume_others(pid_t tid) {
  const Thread* me = session_.thread(tid);
  if (me == nullptr) return;
  const Process* proc = session_.process(me->pid);
  if (proc == nullptr) return;
  for (pid_t other : std::vector<pid_t>(proc->tids)) {
    const Thread* t = session_.thread(other);
    // A stop still queued (a group-stop seen at attach) is resumed when its event comes.
    if (other != tid && t != nullptr && t->state == ThreadState::Stopped &&
        !session_.has_queued_stop(other)) {
      (void)session_.resume(other);  // a thread gone meanwhile reports its exit later
    }
  }
}

bool Stepper::undo_removed_breakpoint_trap(const Event& ev) {
  if (!removed_breakpoint_ || !TempBreakpoint::is_breakpoint_trap(ev)) return false;
  auto regs = session_.get_regs(ev.tid);
  if (!regs.ok() || regs->ip() - regs->abi_info().breakpoint_pc_adjust != *removed_breakpoint_) {
    return false;
  }
  // The thread ran the breakpoint before it was taken out: back onto the original instruction.
  regs->set_ip(*removed_breakpoint_);
  return session_.set_regs(ev.tid, *regs).ok();
}

void Stepper::pass_on(const Event& ev) {
  if (!ev.stopped()) return;
  if (undo_removed_breakpoint_trap(ev)) {
    (void)session_.resume(ev.tid, Resume::Default, 0);
    return;
  }
  (void)session_.resume(ev);
}

int Stepper::program_signal(pid_t tid) const {
  const Thread* t = session_.thread(tid);
  if (t == nullptr) return 0;
  if (auto it = last_.find(tid); it != last_.end()) {
    const Event& ev = it->second;
    if (ev.kind == EventKind::Trap) return TempBreakpoint::is_breakpoint_trap(ev) ? SIGTRAP : 0;
    if (ev.kind == EventKind::Signal) return ev.signal;
    return t->pending_signal;
  }
  // A trap whose event ptk consumed and forgot (the hit of its start breakpoint).
  if (t->pending_signal == SIGTRAP && t->last_stop == EventKind::Trap) return 0;
  return t->pending_signal;
}

Result<Event> Stepper::wait_for(pid_t tid) {
  for (;;) {
    PTK_ASSIGN_OR_RETURN(Event ev, session_.wait());
    if (ev.tid == tid) {
      last_[tid] = ev;
      return ev;
    }
    pass_on(ev);
    if (session_.thread(tid) == nullptr) {
      // Gone without a report of its own (the kernel reaps the other threads of a process
      // whose thread calls execve).
      return Error(ErrorKind::TraceeGone, fmt::format("wait for thread {}", tid), ESRCH);
    }
  }
}

bool Stepper::enters_kernel_at(pid_t tid, const Registers& regs) {
  std::array<std::uint8_t, kMaxInstructionBytes> code{};
  // Short at the end of the mapping; unreadable: the step faults, and enters nothing.
  auto n =
      session_.memory(tid).read(RemoteAddr(regs.ip()), std::as_writable_bytes(std::span(code)));
  return n.ok() && enters_kernel(regs.arch(), std::span(code).first(*n));
}

Result<StepOutcome> Stepper::step(pid_t tid, const StepLimits& limits, const Observer& observer) {
  StepOutcome out{.tid = tid};
  resume_others(tid);
  int signal = program_signal(tid);  // passed on with the next step
  // Stopped inside a syscall (spawn returns at the PTRACE_EVENT_EXEC stop inside execve): the
  // first trap is that syscall's exit report, completing an instruction that started before
  // stepping did (for a spawned command, one of the program that called execve). Not counted.
  bool inside_syscall = false;
  if (const Thread* t = session_.thread(tid)) {
    switch (t->last_stop) {
      case EventKind::Exec:
      case EventKind::Fork:
      case EventKind::Vfork:
      case EventKind::Clone:
      case EventKind::VforkDone:
      case EventKind::SyscallEntry:
        inside_syscall = true;
        break;
      default:
        break;
    }
  }
  bool retired = true;  // an instruction completed since the observer last saw the thread
  std::uint64_t seen_ip = 0;
  // A stop of the thread still queued (attached to a stopped process: its group-stop) is taken
  // first, as if a step had ended there: a group-stopped thread must not be stepped -- a
  // resumed thread leaves its group-stop (ptrace(2)) -- but listen until SIGCONT (below).
  bool stop_queued = session_.has_queued_stop(tid);
  for (;;) {
    if (limits.max_steps != 0 && out.steps >= limits.max_steps) {
      out.end = StepEnd::Limit;
      return out;
    }
    if (limits.stop != nullptr && *limits.stop) {
      out.end = StepEnd::Stopped;
      return out;
    }
    bool fenced = false;
    if (observer || fence_) {
      PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tid));
      if (fence_ && enters_kernel_at(tid, regs)) {
        fence_(true);
        fenced = true;
      }
      // A stop that ran no instruction (a signal, an event inside a syscall) shows the same
      // instruction again; the entry of a signal handler is a new one.
      if (observer && (retired || regs.ip() != seen_ip)) {
        seen_ip = regs.ip();
        retired = false;
        if (!observer(regs)) {
          out.end = StepEnd::Stopped;
          return out;
        }
      }
    }
    if (!stop_queued) {
      PTK_TRY(session_.resume(tid, Resume::SingleStep, signal));
      signal = 0;
    }
    stop_queued = false;
    for (bool in_step = true; in_step;) {
      auto ev = session_.wait();
      if (!ev.ok()) {
        // The stop flag interrupted the wait: the step is still in flight (release() ends it).
        if (limits.stop != nullptr && *limits.stop) {
          out.end = StepEnd::Stopped;
          return out;
        }
        return std::move(ev).error();
      }
      if (ev->tid != tid) {
        pass_on(*ev);
        if (session_.thread(tid) == nullptr) return out;  // reaped by another thread's execve
        continue;
      }
      last_[tid] = *ev;
      switch (ev->kind) {
        case EventKind::Trap: {
          // TRAP_TRACE: a single-step. kHostTrapCodes.stepped_syscall: the kernel's report of
          // a stepped syscall instruction at the syscall's exit. kHostTrapCodes.breakpoint: the
          // program's own breakpoint instruction ran, and the SIGTRAP it raised is the
          // program's to get. The stop at a signal handler's entry (si_code SIGTRAP, from
          // ptrace_notify) ran nothing.
          const int code = ev->siginfo.si_code;
          if (code == kHostTrapCodes.stepped_syscall && inside_syscall) {
            // the report of the syscall stepping started in (see above)
          } else if (code == TRAP_TRACE || code == kHostTrapCodes.stepped_syscall) {
            ++out.steps;
            retired = true;
          } else if (code == kHostTrapCodes.breakpoint) {
            ++out.steps;
            retired = true;
            signal = SIGTRAP;
          }
          inside_syscall = false;
          in_step = false;
          break;
        }
        case EventKind::Signal:
          // The instruction did not complete (a fault) or has not started (an asynchronous
          // signal): no step. The signal is delivered with the next single-step.
          signal = ev->signal;
          if (on_event_) on_event_(*ev);
          in_step = false;
          break;
        case EventKind::GroupStop:
          // Stopped by SIGSTOP & co.: stay stopped (PTRACE_LISTEN) until SIGCONT, whose
          // Interrupt stop resumes stepping.
          if (on_event_) on_event_(*ev);
          PTK_TRY(session_.resume(*ev));
          break;
        case EventKind::Exited:
          ++out.steps;  // the exit syscall: no trap follows it
          [[fallthrough]];
        case EventKind::Killed:
          out.end = ev->kind == EventKind::Exited ? StepEnd::Exited : StepEnd::Killed;
          out.last = *ev;
          if (on_event_) on_event_(*ev);
          return out;
        default:
          // Exec, clone, fork, an interrupt: stops inside an instruction (a syscall) or between
          // two; the step goes on and its trap comes at the next resume.
          if (on_event_) on_event_(*ev);
          in_step = false;
          break;
      }
    }
    if (fenced) fence_(false);
  }
}

}  // namespace ptk::debug
