// Where stepping starts: at once, at an address (a one-shot breakpoint), or after a syscall.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/stepper.h"
#include "ptk/debug/temp_breakpoint.h"
#include "ptk/sys/filter.h"

namespace ptk::debug {
namespace {

bool is_stop_requested(const volatile std::sig_atomic_t* stop) { return stop != nullptr && *stop; }

Error interrupted(std::string_view what) {
  return Error(ErrorKind::Io, fmt::format("interrupted while running to {}", what), EINTR);
}

// "process 12 exited with 0 before reaching 0x401000": the start was never reached. A program
// that ended by itself did not do what the start asks (NotFound); one killed by a signal was
// ended from outside (TraceeGone: the session's end_of() says how).
Error ended_before(const Event& ev, pid_t pid, std::string_view what) {
  if (ev.kind == EventKind::Exited) {
    return Error(ErrorKind::NotFound,
                 fmt::format("process {} exited with {} before {}", pid, ev.exit_code, what));
  }
  return Error(ErrorKind::TraceeGone, fmt::format("process {} was killed by {} before {}", pid,
                                                  signal_name(ev.signal), what));
}

Status check_syscall_name(const std::string& name) {
  // A name of any ABI a tracee of this host can be in (x86_64 and i386, or aarch64).
  auto known = [&](Arch a) { return find_syscall(a, name) != nullptr; };
  if (std::any_of(kAllArches.begin(), kAllArches.end(), known)) return ok_status();
  std::vector<std::string> close = sys::nearest_syscall_names(name);
  return Error(ErrorKind::NotFound, fmt::format("unknown syscall '{}'", name), 0,
               close.empty() ? "" : fmt::format("close matches: {}", fmt::join(close, ", ")));
}

}  // namespace

Status Stepper::resume_to_start(pid_t tid) {
  // A stop still queued (a group-stop seen at attach) is resumed when its event comes, in its
  // own way (PTRACE_LISTEN: the process stays stopped until SIGCONT).
  if (!session_.has_queued_stop(tid)) {
    PTK_TRY(session_.resume(tid, Resume::Default, program_signal(tid)));
  }
  resume_others(tid);
  return ok_status();
}

Result<pid_t> Stepper::run_to_start(pid_t tid, const StepStart& start,
                                    const volatile std::sig_atomic_t* stop) {
  if (session_.thread(tid) == nullptr) {
    return session_.untraced(tid, fmt::format("step thread {}", tid));
  }
  switch (start.kind) {
    case StepStart::Kind::Here:
      return tid;
    case StepStart::Kind::AtAddress:
      return run_to_address(tid, start.address, stop);
    case StepStart::Kind::AfterSyscall:
      return run_to_syscall_exit(tid, start.syscall, stop);
  }
  return tid;
}

Result<pid_t> Stepper::run_to_address(pid_t tid, std::uint64_t address,
                                      const volatile std::sig_atomic_t* stop) {
  pid_t pid = session_.thread(tid)->pid;
  std::string where = fmt::format("{:#x}", address);
  PTK_ASSIGN_OR_RETURN(TempBreakpoint bp, TempBreakpoint::insert(session_, tid, address));
  session_.set_syscall_stops(SyscallStops::None);
  PTK_TRY(resume_to_start(tid));
  for (;;) {
    auto ev = session_.wait();
    if (!ev.ok()) {
      if (!is_stop_requested(stop)) return std::move(ev).error();
      // Threads may be running into the breakpoint right now: take it out, and let release() move
      // back any thread that executed it meanwhile.
      (void)bp.remove();
      removed_breakpoint_ = address;
      return interrupted(where);
    }
    if (ev->pid == pid && TempBreakpoint::is_breakpoint_trap(*ev)) {
      PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev->tid));
      if (bp.is_hit(*ev, regs)) {
        PTK_TRY(bp.finish_hit(ev->tid, regs));
        removed_breakpoint_ = address;
        // The stop's SIGTRAP is ptk's: no stop the program should know of.
        last_.erase(ev->tid);
        return ev->tid;
      }
    }
    if (ev->pid == pid && ev->kind == EventKind::Exec) {
      bp.forget();  // the old address space, and the breakpoint with it, are gone
      return Error(ErrorKind::NotFound,
                   fmt::format("process {} executed a new program before reaching {}", pid, where));
    }
    if (!ev->stopped() && session_.process(pid) == nullptr) {
      bp.forget();
      return ended_before(*ev, pid, "reaching " + where);
    }
    pass_on(*ev);
  }
}

Result<pid_t> Stepper::run_to_syscall_exit(pid_t tid, const std::string& name,
                                           const volatile std::sig_atomic_t* stop) {
  PTK_TRY(check_syscall_name(name));
  pid_t pid = session_.thread(tid)->pid;
  session_.set_syscall_stops(SyscallStops::All);
  // Back to no syscall stops however this ends: stepping needs none.
  struct Restore {
    Session& s;
    ~Restore() { s.set_syscall_stops(SyscallStops::None); }
  } restore{session_};
  PTK_TRY(resume_to_start(tid));
  for (;;) {
    auto ev = session_.wait();
    if (!ev.ok()) {
      if (is_stop_requested(stop)) return interrupted("a " + name + " syscall");
      return std::move(ev).error();
    }
    if (ev->pid == pid && ev->kind == EventKind::SyscallExit) {
      const SyscallSpec* spec = find_syscall(ev->syscall.arch, ev->syscall.nr);
      if (spec != nullptr && spec->name == name) {
        last_[ev->tid] = *ev;
        return ev->tid;
      }
    }
    if (!ev->stopped() && session_.process(pid) == nullptr) {
      return ended_before(*ev, pid, fmt::format("any {} syscall", name));
    }
    pass_on(*ev);
  }
}

}  // namespace ptk::debug
