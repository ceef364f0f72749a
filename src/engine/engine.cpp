// The engine's run: start, arm, the event loop, and letting go. The handling of each stop is in
// engine_events.cpp.
#include "ptk/engine/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <utility>

#include "ptk/core/proc.h"
#include "ptk/engine/program_start.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/inject/scratch_pages.h"

namespace ptk::engine {

SessionOptions engine_session_options() {
  SessionOptions so;
  so.syscall_stops = SyscallStops::None;
  so.wait_policy = default_wait_policy();
  return so;
}

Engine::Engine(EngineOptions options)
    : options_(std::move(options)), session_(session_options(options_)) {}

SessionOptions Engine::session_options(const EngineOptions& options) {
  SessionOptions so = options.session;
  so.follow_forks = options.follow_forks;
  // Without syscall stops until the run is armed (see arm()): a Seccomp session's filter
  // option must be known when the command is spawned, so it is kept.
  if (so.syscall_stops == SyscallStops::All) so.syscall_stops = SyscallStops::None;
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
  for (Part* p : parts_) uses_breakpoints_ = uses_breakpoints_ || p->uses_breakpoints();
  // Children are seized when breakpoints are set, so that the int3 bytes they inherit are
  // handled before they run (followed) or scrubbed (not followed, then let go).
  if (uses_breakpoints_) session_.set_follow_forks(true);
  if (spawned()) {
    const std::string& path = options_.command.front();
    program_ = path.substr(path.rfind('/') + 1);
    if (options_.spawn) {
      PTK_ASSIGN_OR_RETURN(pid_, options_.spawn(session_));
    } else if (options_.start == SpawnStart::AtEntry) {
      PTK_TRY(spawn_to_entry(session_, options_.command, pid_));
    } else {
      SpawnOptions sp;
      sp.argv = options_.command;
      sp.stop_before_exec = true;
      set_child_signals(sp);
      PTK_ASSIGN_OR_RETURN(pid_, session_.spawn(sp));
    }
  }
  for (int pid : options_.pids) {
    PTK_TRY(session_.attach(pid));
    if (pid_ == 0) {
      pid_ = pid;
      program_ = process_name(pid_);
    }
  }
  if (uses_breakpoints_) inject::provide_scratch_pages(bps_, session_);
  return ok_status();
}

Status Engine::arm() {
  for (Part* p : parts_) PTK_TRY(p->arm(*this));
  // Only now: the way to the entry point (spawn_to_entry) and the arming ran without them.
  SyscallStops stops = options_.session.syscall_stops;
  if (stops == SyscallStops::None) stops = SyscallStops::All;
  for (Part* p : parts_) {
    if (p->wants_syscalls()) session_.set_syscall_stops(stops);
  }
  return ok_status();
}

RunEnd Engine::let_go() {
  // The stop flag would make every wait of the release return at once.
  WaitPolicy quiet = session_.options().wait_policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  (void)release_delayed(true);
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
    if (Status s = handle(*ev); !s.ok()) report(s.error());
  }
  bool interrupted = this->interrupted();
  for (Part* p : parts_) p->finish(*this, true);
  // Every process is let go as it was, the command ptk started too (see stop_signals.h): at a
  // stop signal it gets the signal once the breakpoints are out and runs on untraced.
  RunEnd end{.exit_code = 0, .interrupted = interrupted};
  auto failed = [&](const Status& s) {
    if (s.ok()) return;
    report(s.error());
    end.exit_code = 1;
  };
  std::vector<std::pair<pid_t, bool>> procs;
  for (const auto& [pid, proc] : session_.processes()) procs.emplace_back(pid, proc.spawned);
  for (const auto& [pid, spawned] : procs) failed(bps_.release(pid));
  for (Part* p : parts_) failed(p->before_detach(*this));
  if (interrupted && spawned() && session_.process(pid_) != nullptr) forward_stop_signal(pid_);
  for (const auto& [pid, spawned] : procs) {
    failed(session_.detach(pid));
    for (Part* p : parts_) p->on_detached(*this, pid, spawned);
  }
  return end;
}

Result<RunEnd> Engine::run() {
  Status s = start();
  if (s.ok()) s = arm();
  // A command stopped before its execve is resumed by the loop: the exec is its first stop.
  if (s.ok()) {
    bool exec_first = spawned() && options_.start == SpawnStart::BeforeExec;
    s = session_.resume_all(exec_first ? pid_ : 0);
  }
  if (!s.ok()) {
    // Killed as it started: the loop below sees the end (its events are queued), as later on.
    if (pid_ == 0 || !ended_under_us(session_, pid_, s.error())) {
      // Attached processes are let go as they were (what was set before the step that
      // failed taken out); a spawned command dies with the session.
      if (!options_.pids.empty()) {
        if (session_.process(pid_) != nullptr) (void)bps_.release(pid_);
        (void)session_.detach_all();
      }
      return std::move(s).error();
    }
  } else if (options_.note) {
    for (int pid : options_.pids) options_.note(fmt::format("Process {} attached", pid));
  }
  running_ = true;
  return loop();
}

Result<std::optional<Event>> Engine::next_event() {
  if (std::optional<Event> ev = bps_.next_deferred()) return ev;
  if (!deferred_.empty()) {
    Event ev = std::move(deferred_.front());
    deferred_.pop_front();
    return std::optional<Event>(std::move(ev));
  }
  for (Part* p : parts_) p->before_wait(*this);
  Result<std::optional<Event>> next = std::optional<Event>();
  if (delayed_.empty()) {
    auto w = session_.wait();
    if (w.ok()) {
      next = std::optional<Event>(std::move(*w));
    } else {
      next = std::move(w).error();
    }
  } else {
    // While threads are delayed, wait for the others only until the first delay ends.
    auto first = std::min_element(delayed_.begin(), delayed_.end(),
                                  [](auto& a, auto& b) { return a.until < b.until; });
    next = session_.wait_until(first->until);
  }
  for (Part* p : parts_) p->after_wait(*this);
  return next;
}

Result<RunEnd> Engine::loop() {
  for (;;) {
    bool stopping = interrupted() || stop_requested_;
    // On a stop request the delays end at once.
    if (Status s = release_delayed(stopping); !s.ok()) report(s.error());
    if (stopping) return let_go();
    // No check of session_.empty() here: a process gone may still have its report queued (a
    // command whose execve failed), which wait() hands out before it says none is left.
    auto next = next_event();
    if (!next.ok()) {
      if (interrupted()) continue;
      if (next.error().kind() == ErrorKind::NoSuchProcess) break;  // all gone
      if (next.error().error_number() == EINTR) continue;
      return std::move(next).error();
    }
    if (!next->has_value()) continue;  // a delay ended
    const Event& ev = **next;
    // Whatever failed in a process that is being killed failed because of that: its end is
    // what the loop reports next.
    if (Status h = handle(ev); !h.ok()) {
      if (Error e = tracee_gone_if_ending(ev.pid, h.error()); e.kind() != ErrorKind::TraceeGone) {
        report(e);
      }
    }
  }
  // How the program ended, also when a wait inside an operation took its exit report.
  std::optional<WaitStatus> end = pid_ != 0 ? session_.end_of(pid_) : std::nullopt;
  if (end) {
    for (Part* p : parts_) p->on_end(*this, *end);
  }
  for (Part* p : parts_) p->finish(*this, false);
  return RunEnd{.exit_code = end ? end_code(*end) : exit_code_};
}

Status Engine::resume_or_delay(const Event& ev) {
  std::chrono::microseconds wait{0};
  for (Part* p : parts_) wait += p->take_delay(*this, ev.tid);
  if (wait.count() > 0) {
    delayed_.push_back({std::chrono::steady_clock::now() + wait, ev});
    return ok_status();
  }
  return session_.resume(ev);
}

Status Engine::release_delayed(bool all) {
  auto now = std::chrono::steady_clock::now();
  Status first = ok_status();
  for (auto it = delayed_.begin(); it != delayed_.end();) {
    if (!all && it->until > now) {
      ++it;
      continue;
    }
    Status s = session_.resume(it->ev);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone && first.ok()) first = std::move(s);
    it = delayed_.erase(it);
  }
  return first;
}

}  // namespace ptk::engine
