#include "ptk/engine/engine.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <optional>
#include <utility>

#include "ptk/core/proc.h"
#include "ptk/engine/program_start.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/inject/scratch_pages.h"

namespace ptk::engine {

Engine::Engine(EngineOptions options)
    : options_(std::move(options)), session_(session_options(options_)) {}

SessionOptions Engine::session_options(const EngineOptions& options) {
  SessionOptions so;
  so.syscall_stops = SyscallStops::None;
  // Children are always seized, so that the int3 bytes they inherit are handled before they
  // run (followed) or scrubbed (not followed, then let go).
  so.follow_forks = true;
  so.wait_policy = default_wait_policy();
  so.wait_policy.interrupt = options.stop;
  return so;
}

void Engine::report(const Error& e) const {
  if (options_.report) {
    options_.report(e);
  } else {
    std::fprintf(stderr, "ptk: %s\n", e.message().c_str());
  }
}

Status Engine::start() {
  if (spawned()) {
    const std::string& path = options_.command.front();
    program_ = path.substr(path.rfind('/') + 1);
    PTK_TRY(spawn_to_entry(session_, options_.command, pid_));
  } else {
    pid_ = options_.pid;
    PTK_TRY(session_.attach(pid_));
    program_ = process_name(pid_);
  }
  inject::provide_scratch_pages(bps_, session_);
  return ok_status();
}

Status Engine::arm() {
  for (Part* p : parts_) PTK_TRY(p->arm(*this));
  // Only now: the way to the entry point (spawn_to_entry) and the arming ran without them.
  for (Part* p : parts_) {
    if (p->wants_syscalls()) session_.set_syscall_stops(SyscallStops::All);
  }
  return ok_status();
}

void Engine::observe(const Event& ev) {
  for (Part* p : parts_) p->observe(*this, ev);
}

Status Engine::new_program(pid_t pid, pid_t tid) {
  Status first = ok_status();
  for (Part* p : parts_) {
    if (Status s = p->on_new_program(*this, pid, tid); first.ok()) first = std::move(s);
  }
  return first;
}

Status Engine::start_child(pid_t tid) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  if (unfollowed_forks_.erase(pid) != 0) {
    // It is let go with nothing of ptk's: no int3 (scrubbed at the fork), no scratch page.
    Status released = bps_.release(pid);
    Status detached = session_.detach(pid);
    return released.ok() ? detached : released;
  }
  // Its first stop, as the part that traces processes sees it (a parked child's event was
  // held back, see fork_order.h).
  observe(Event{.kind = EventKind::ThreadStart, .tid = tid, .pid = pid});
  Status first = ok_status();
  for (Part* p : parts_) {
    if (Status s = p->on_thread_start(*this, tid); first.ok()) first = std::move(s);
  }
  PTK_TRY(session_.resume(tid));
  return first;
}

Status Engine::handle_trap(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(auto hit, bps_.match(ev));
  if (hit && hit->repeated) return bps_.step_over(*hit);  // reported before its signal
  if (hit) {
    // Whatever the command fails at, the thread must go on.
    Status entry = ok_status();
    if (auto e = exec_entries_.find(hit->pid);
        e != exec_entries_.end() && e->second == hit->address) {
      exec_entries_.erase(e);
      entry = new_program(hit->pid, hit->tid);
      // Once removed (unless the command set a breakpoint there too), the step-over runs the
      // entry instruction in place.
      if (Status removed = bps_.remove(hit->pid, hit->address); entry.ok()) entry = removed;
    }
    Status s = ok_status();
    for (Part* p : parts_) {
      if (Status h = p->on_hit(*this, *hit); s.ok()) s = std::move(h);
    }
    Status stepped = bps_.step_over(*hit);
    return !entry.ok() ? entry : !s.ok() ? s : stepped;
  }
  PTK_ASSIGN_OR_RETURN(bool stale, bps_.absorb_stale_trap(ev));
  if (stale) return ok_status();
  for (Part* p : parts_) {
    PTK_ASSIGN_OR_RETURN(bool handled, p->on_other_trap(*this, ev));
    if (handled) return ok_status();
  }
  observe(ev);
  return session_.resume(ev);  // the program's own trap: passed on
}

// At the exec stop only the program and its loader are mapped: the command's breakpoints go in
// when the new program reaches its entry point. Without one (no auxv), now.
Status Engine::break_at_entry(const Event& exec) {
  auto regs = session_.get_regs(exec.tid);
  auto entry = regs.ok() ? entry_point(exec.pid, regs->arch()) : std::nullopt;
  if (entry && bps_.insert(exec.tid, *entry).ok()) {
    exec_entries_[exec.pid] = *entry;
    return ok_status();
  }
  return new_program(exec.pid, exec.tid);
}

void Engine::handle_end(const Event& ev) {
  observe(ev);
  if (ev.tid == pid_) exit_code_ = ev.kind == EventKind::Exited ? ev.exit_code : 128 + ev.signal;
  for (Part* p : parts_) p->on_exit(*this, ev);
  if (session_.process(ev.pid) != nullptr) return;
  bps_.on_exit(ev.pid);
  exec_entries_.erase(ev.pid);
  fork_order_.forget(ev.pid);
  for (Part* p : parts_) p->on_process_gone(*this, ev.pid);
}

Status Engine::handle_fork(const Event& ev) {
  // A vfork child shares the parent's memory: its int3 bytes are the parent's, so it is
  // tracked until it execs even when not followed.
  bool vfork = ev.kind == EventKind::Vfork;
  PTK_TRY(bps_.on_fork(ev.pid, ev.new_tid, options_.follow_forks || vfork));
  if (options_.follow_forks) {
    // Forked before its new program's entry point: the child has that breakpoint too.
    if (auto e = exec_entries_.find(ev.pid); e != exec_entries_.end()) {
      exec_entries_[ev.new_tid] = e->second;
    }
    for (Part* p : parts_) p->on_fork(*this, ev.tid, ev.new_tid);
  } else {
    (vfork ? unfollowed_vforks_ : unfollowed_forks_).insert(ev.new_tid);
  }
  if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
  return session_.resume(ev);
}

Status Engine::handle_exec(const Event& ev) {
  bps_.on_exec(ev.pid);
  exec_entries_.erase(ev.pid);
  if (unfollowed_vforks_.erase(ev.pid) != 0) return session_.detach(ev.pid);
  observe(ev);
  for (Part* p : parts_) p->on_exec(*this, ev);
  Status s = break_at_entry(ev);
  PTK_TRY(session_.resume(ev));
  return s;
}

Status Engine::handle(const Event& ev) {
  switch (ev.kind) {
    case EventKind::Exited:
    case EventKind::Killed:
      handle_end(ev);
      return ok_status();
    case EventKind::Trap:
      return handle_trap(ev);
    case EventKind::Fork:
    case EventKind::Vfork:
      return handle_fork(ev);
    case EventKind::Clone:
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    case EventKind::ThreadStart:
      if (fork_order_.park(ev, pid_)) return ok_status();  // see fork_order.h
      return start_child(ev.tid);
    case EventKind::Exec:
      return handle_exec(ev);
    case EventKind::Signal:
      observe(ev);
      PTK_TRY(bps_.before_signal(ev));
      return session_.resume(ev);
    default:  // syscall stops, exit stops, group stops
      observe(ev);
      return session_.resume(ev);
  }
}

RunEnd Engine::let_go() {
  // The stop flag would make every wait of the release return at once.
  WaitPolicy quiet = session_.options().wait_policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  // A child parked at its start has its parent's fork event queued right behind it: handle
  // that first, or the child would be let go with int3 bytes nobody tracks. And a thread a
  // part holds runs on to where the part lets go of it.
  auto holding = [this] {
    bool held = false;
    for (Part* p : parts_) held = p->holds_threads(*this) || held;
    return held;
  };
  while (fork_order_.any_parked() || holding()) {
    auto ev = session_.wait();
    if (!ev.ok()) break;
    (void)handle(*ev);
  }
  for (Part* p : parts_) p->finish(*this, true);
  // Every process is let go as it was, the command ptk started too (see stop_signals.h): it
  // gets the signal once the breakpoints are out and runs on untraced.
  RunEnd end{.exit_code = 0, .interrupted = true};
  auto failed = [&](const Status& s) {
    if (s.ok()) return;
    report(s.error());
    end.exit_code = 1;
  };
  std::vector<pid_t> pids;
  for (const auto& entry : session_.processes()) pids.push_back(entry.first);
  for (pid_t pid : pids) failed(bps_.release(pid));
  for (Part* p : parts_) failed(p->before_detach(*this));
  if (spawned() && session_.process(pid_) != nullptr) forward_stop_signal(pid_);
  failed(session_.detach_all());
  if (options_.note) options_.note(fmt::format("Process {} detached", pid_));
  return end;
}

Result<RunEnd> Engine::run() {
  Status s = start();
  if (s.ok()) s = arm();
  if (s.ok()) s = session_.resume_all();
  if (!s.ok()) {
    // Killed as it started: the loop below sees the end (its events are queued), as later on.
    if (pid_ == 0 || !ended_under_us(session_, pid_, s.error())) {
      if (!spawned() && session_.process(pid_) != nullptr) {
        (void)bps_.release(pid_);  // what was set before the step that failed
        (void)session_.detach_all();
      }
      return std::move(s).error();
    }
  } else if (!spawned() && options_.note) {
    options_.note(fmt::format("Process {} attached", pid_));
  }
  while (!session_.empty()) {
    if (stopping()) return let_go();
    std::optional<Event> ev = bps_.next_deferred();
    if (!ev) {
      auto w = session_.wait();
      if (!w.ok()) {
        if (stopping()) return let_go();
        if (w.error().kind() == ErrorKind::NoSuchProcess) break;
        return std::move(w).error();
      }
      ev = *w;
    }
    // Whatever failed in a process that is being killed failed because of that: its end is
    // what the loop reports next.
    if (Status h = handle(*ev); !h.ok()) {
      if (Error e = tracee_gone_if_ending(ev->pid, h.error()); e.kind() != ErrorKind::TraceeGone) {
        report(e);
      }
    }
  }
  // How the program ended, also when a wait inside an operation took its exit report.
  std::optional<WaitStatus> end = session_.end_of(pid_);
  if (end) {
    for (Part* p : parts_) p->on_end(*this, *end);
  }
  for (Part* p : parts_) p->finish(*this, false);
  return RunEnd{.exit_code = end ? end_code(*end) : exit_code_, .interrupted = false};
}

}  // namespace ptk::engine
