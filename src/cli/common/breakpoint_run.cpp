#include "common/breakpoint_run.h"

#include <fmt/format.h>
#include <signal.h>

#include <optional>
#include <utility>

#include "common/cli_util.h"
#include "common/entry_point.h"
#include "common/stop_signals.h"
#include "common/tracee_end.h"
#include "ptk/core/proc.h"
#include "ptk/inject/scratch_pages.h"

namespace ptk::cli {

BreakpointRun::BreakpointRun(std::string name, bool follow_forks, int pid,
                             std::vector<std::string> command)
    : session_(session_options()),
      name_(std::move(name)),
      follow_forks_(follow_forks),
      attach_pid_(pid),
      command_(std::move(command)) {}

SessionOptions BreakpointRun::session_options() {
  SessionOptions so;
  so.syscall_stops = SyscallStops::None;
  // Children are always seized, so that the int3 bytes they inherit are handled before they
  // run (followed) or scrubbed (not followed, then let go).
  so.follow_forks = true;
  so.wait_policy = default_wait_policy();
  so.wait_policy.interrupt = stop_flag();
  return so;
}

Status BreakpointRun::start(int pid, const std::vector<std::string>& command) {
  spawned_ = !command.empty();
  if (spawned_) {
    program_ = command.front().substr(command.front().rfind('/') + 1);
    PTK_TRY(spawn_to_entry(session_, command, pid_));
  } else {
    pid_ = pid;
    PTK_TRY(session_.attach(pid_));
    program_ = process_name(pid_);
  }
  inject::provide_scratch_pages(bps_, session_);
  return ok_status();
}

Status BreakpointRun::start_child(pid_t tid) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  if (unfollowed_forks_.erase(pid) != 0) {
    // It is let go with nothing of ptk's: no int3 (scrubbed at the fork), no scratch page.
    Status released = bps_.release(pid);
    Status detached = session_.detach(pid);
    return released.ok() ? detached : released;
  }
  Status s = on_thread_start(tid);
  PTK_TRY(session_.resume(tid));
  return s;
}

Status BreakpointRun::handle_trap(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(auto hit, bps_.match(ev));
  if (hit && hit->repeated) return bps_.step_over(*hit);  // reported before its signal
  if (hit) {
    // Whatever the command fails at, the thread must go on.
    Status entry = ok_status();
    if (auto e = exec_entries_.find(hit->pid);
        e != exec_entries_.end() && e->second == hit->address) {
      exec_entries_.erase(e);
      entry = on_new_program(hit->pid, hit->tid);
      // Once removed (unless the command set a breakpoint there too), the step-over runs the
      // entry instruction in place.
      if (Status removed = bps_.remove(hit->pid, hit->address); entry.ok()) entry = removed;
    }
    Status s = on_hit(*hit);
    Status stepped = bps_.step_over(*hit);
    return !entry.ok() ? entry : !s.ok() ? s : stepped;
  }
  PTK_ASSIGN_OR_RETURN(bool stale, bps_.absorb_stale_trap(ev));
  if (stale) return ok_status();
  PTK_ASSIGN_OR_RETURN(bool handled, on_other_trap(ev));
  if (handled) return ok_status();
  return session_.resume(ev);  // the program's own trap: passed on
}

// At the exec stop only the program and its loader are mapped: the command's breakpoints go in
// when the new program reaches its entry point. Without one (no auxv), now.
Status BreakpointRun::break_at_entry(const Event& exec) {
  auto regs = session_.get_regs(exec.tid);
  auto entry = regs.ok() ? entry_point(exec.pid, regs->arch()) : std::nullopt;
  if (entry && bps_.insert(exec.tid, *entry).ok()) {
    exec_entries_[exec.pid] = *entry;
    return ok_status();
  }
  return on_new_program(exec.pid, exec.tid);
}

Status BreakpointRun::handle(const Event& ev) {
  switch (ev.kind) {
    case EventKind::Exited:
    case EventKind::Killed:
      if (ev.tid == pid_) {
        exit_code_ = ev.kind == EventKind::Exited ? ev.exit_code : 128 + ev.signal;
      }
      on_exit(ev);
      if (session_.process(ev.pid) == nullptr) {
        bps_.on_exit(ev.pid);
        exec_entries_.erase(ev.pid);
        fork_order_.forget(ev.pid);
        on_process_gone(ev.pid);
      }
      return ok_status();
    case EventKind::Trap:
      return handle_trap(ev);
    case EventKind::Fork:
    case EventKind::Vfork: {
      // A vfork child shares the parent's memory: its int3 bytes are the parent's, so it is
      // tracked until it execs even when not followed.
      bool vfork = ev.kind == EventKind::Vfork;
      PTK_TRY(bps_.on_fork(ev.pid, ev.new_tid, follow_forks_ || vfork));
      if (follow_forks_) {
        // Forked before its new program's entry point: the child has that breakpoint too.
        if (auto e = exec_entries_.find(ev.pid); e != exec_entries_.end()) {
          exec_entries_[ev.new_tid] = e->second;
        }
        on_fork(ev.tid, ev.new_tid);
      } else {
        (vfork ? unfollowed_vforks_ : unfollowed_forks_).insert(ev.new_tid);
      }
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    }
    case EventKind::Clone:
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    case EventKind::ThreadStart:
      if (fork_order_.park(ev, pid_)) return ok_status();  // see fork_order.h
      return start_child(ev.tid);
    case EventKind::Exec: {
      bps_.on_exec(ev.pid);
      exec_entries_.erase(ev.pid);
      if (unfollowed_vforks_.erase(ev.pid) != 0) return session_.detach(ev.pid);
      on_exec(ev);
      Status s = break_at_entry(ev);
      PTK_TRY(session_.resume(ev));
      return s;
    }
    case EventKind::Signal:
      PTK_TRY(bps_.before_signal(ev));
      return session_.resume(ev);
    default:
      return session_.resume(ev);
  }
}

int BreakpointRun::let_go() {
  // The stop flag would make every wait of the release return at once.
  WaitPolicy quiet = session_.options().wait_policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  // A child parked at its start has its parent's fork event queued right behind it: handle
  // that first, or the child would be let go with int3 bytes nobody tracks.
  while (fork_order_.any_parked()) {
    auto ev = session_.wait();
    if (!ev.ok()) break;
    (void)handle(*ev);
  }
  finish(true);
  // Every process is let go as it was, the command ptk started too (see stop_signals.h): it
  // gets the signal once the breakpoints are out, runs on untraced, and ptk dies of it.
  int code = 0;
  std::vector<pid_t> pids;
  for (const auto& entry : session_.processes()) pids.push_back(entry.first);
  for (pid_t pid : pids) {
    if (Status s = bps_.release(pid); !s.ok()) code = fail(name_, s.error());
  }
  if (Status s = before_detach(); !s.ok()) code = fail(name_, s.error());
  if (spawned_ && session_.process(pid_) != nullptr) forward_stop_signal(pid_);
  if (Status s = session_.detach_all(); !s.ok()) code = fail(name_, s.error());
  fmt::print(stderr, "ptk {}: Process {} detached\n", name_, pid_);
  if (spawned_) die_of_stop_signal();
  return code;
}

int BreakpointRun::run() {
  install_stop_handlers(stop_signals_for(!command_.empty(), writes_to_file()));
  Status s = start(attach_pid_, command_);
  if (s.ok()) s = arm();
  if (s.ok()) s = session_.resume_all();
  if (!s.ok()) {
    // Killed as it started: the loop below sees the end (its events are queued), as later on.
    if (pid_ == 0 || !ended_under_us(session_, pid_, s.error())) {
      if (!spawned_ && session_.process(pid_) != nullptr) {
        (void)bps_.release(pid_);  // what was set before the step that failed
        (void)session_.detach_all();
      }
      return fail(name_, s.error());
    }
  } else if (!spawned_) {
    // Printed once every breakpoint is in: a script may wait for this line.
    fmt::print(stderr, "ptk {}: Process {} attached\n", name_, pid_);
  }
  while (!session_.empty()) {
    if (*stop_flag()) return let_go();
    std::optional<Event> ev = bps_.next_deferred();
    if (!ev) {
      auto w = session_.wait();
      if (!w.ok()) {
        if (*stop_flag()) return let_go();
        if (w.error().kind() == ErrorKind::NoSuchProcess) break;
        return fail(name_, w.error());
      }
      ev = *w;
    }
    // Whatever failed in a process that is being killed failed because of that: its end is
    // what the loop reports next.
    if (Status h = handle(*ev); !h.ok()) {
      if (Error e = tracee_gone_if_ending(ev->pid, h.error()); e.kind() != ErrorKind::TraceeGone) {
        fail(name_, e);
      }
    }
  }
  // How the program ended, also when a wait inside an operation took its exit report.
  std::optional<WaitStatus> end = session_.end_of(pid_);
  if (end) on_end(*end);
  finish(false);
  return end ? end_code(*end) : exit_code_;
}

}  // namespace ptk::cli
