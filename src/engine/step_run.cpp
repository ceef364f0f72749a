#include "ptk/engine/step_run.h"

#include <fmt/format.h>

#include <utility>

#include "ptk/core/wait_status.h"
#include "ptk/engine/program_start.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/tracee_end.h"

namespace ptk::engine {

StepRun::StepRun(StepRunOptions options, StepSink& sink)
    : options_(std::move(options)), sink_(sink), session_(session_options(options_)) {}

SessionOptions StepRun::session_options(const StepRunOptions& o) {
  SessionOptions so;
  so.syscall_stops = SyscallStops::None;
  so.follow_forks = false;
  so.follow_threads = true;
  // Each step is a stop: waking an idle CPU for each one costs more than the step itself,
  // so the default policy polls briefly first (docs/trace.md, "Waiting for stops").
  so.wait_policy = default_wait_policy();
  if (o.spin_us >= 0) so.wait_policy.spin_us = static_cast<std::uint32_t>(o.spin_us);
  so.wait_policy.interrupt = o.stop;
  return so;
}

Status StepRun::start_process() {
  if (!options_.command.empty()) {
    SpawnOptions sp;
    sp.argv = options_.command;
    // The child must not inherit ptk's own handling of these signals.
    set_child_signals(sp);
    PTK_ASSIGN_OR_RETURN(pid_, session_.spawn(sp));
  } else {
    pid_ = options_.pid;
    PTK_TRY(session_.attach(pid_));
    note(fmt::format("Process {} attached", pid_));
  }
  tid_ = pid_;
  const std::string& path = options_.command.empty() ? std::string() : options_.command.front();
  name_ = options_.command.empty() ? process_name(pid_) : path.substr(path.rfind('/') + 1);
  return ok_status();
}

Result<debug::StepStart> StepRun::start_condition() {
  debug::StepStart start;
  if (!options_.from_syscall.empty()) {
    start.kind = debug::StepStart::Kind::AfterSyscall;
    start.syscall = options_.from_syscall;
    return start;
  }
  if (options_.from.empty()) return start;
  debug::SymbolTable* table = symbols_->table();
  if (table == nullptr) {
    return Error(ErrorKind::NotFound, fmt::format("cannot read the objects of process {}", pid_));
  }
  auto where = table->resolve(options_.from);
  if (!where.ok() && where.error().kind() == ErrorKind::NotFound && !options_.command.empty()) {
    // A dynamic program starts in its dynamic linker, before its libraries are mapped: look
    // again from its entry point.
    PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tid_));
    auto entry = entry_point(pid_, regs.arch());
    if (entry && *entry != regs.ip()) {
      debug::StepStart to_entry{.kind = debug::StepStart::Kind::AtAddress, .address = *entry};
      PTK_ASSIGN_OR_RETURN(tid_, stepper_.run_to_start(tid_, to_entry, options_.stop));
      (void)table->refresh();
      where = table->resolve(options_.from);
    }
  }
  if (!where.ok()) return std::move(where).error();
  start.kind = debug::StepStart::Kind::AtAddress;
  start.address = where->address;
  return start;
}

Result<RunEnd> StepRun::give_up(const Error& e) {
  // Killed under us (a SIGKILL fails the next ptrace request before waitpid reports it): the
  // end of the process is the end of stepping, not the request's error.
  if (auto end = ended_under_us(session_, pid_, e)) return ended(*end);
  if (options_.command.empty() && session_.process(pid_) != nullptr) {
    (void)stepper_.release(pid_);
    (void)session_.detach(pid_);
  }
  return e;
}

RunEnd StepRun::run_rest_to_end() {
  (void)session_.resume_all();
  RunEnd end;
  while (!session_.empty()) {
    auto ev = session_.wait();
    if (!ev.ok()) {  // interrupted
      auto released = let_go();
      if (released.ok()) return *released;
      if (options_.report) options_.report(released.error());
      return RunEnd{.exit_code = 1, .interrupted = false};
    }
    if (ev->tid == pid_ && ev->kind == EventKind::Exited) end.exit_code = ev->exit_code;
    if (ev->tid == pid_ && ev->kind == EventKind::Killed) end.exit_code = 128 + ev->signal;
    (void)session_.resume(*ev);
  }
  return end;
}

// At a stop signal, or the end of stepping an attached process: the process is let go as it
// was. A command ptk started gets the signal first and runs on untraced (stop_signals.h).
Result<RunEnd> StepRun::let_go() {
  bool spawned = !options_.command.empty();
  if (spawned && session_.process(pid_) != nullptr) forward_stop_signal(pid_);
  if (Status s = session_.detach(pid_); !s.ok()) {
    if (auto end = ended_under_us(session_, pid_, s.error())) return ended(*end);
    return std::move(s).error();
  }
  note(fmt::format("Process {} detached", pid_));
  return RunEnd{.exit_code = 0, .interrupted = spawned};
}

RunEnd StepRun::ended(const WaitStatus& end) {
  if (end.kind() == WaitStatus::Kind::Killed) note(describe_end(pid_, name_, end));
  return RunEnd{.exit_code = end_code(end), .interrupted = false};
}

Result<RunEnd> StepRun::finish(const debug::StepOutcome& outcome) {
  switch (outcome.end) {
    case debug::StepEnd::Exited:
    case debug::StepEnd::Killed:
      if (auto end = session_.end_of(pid_)) return ended(*end);
      // The stepped thread ended, not (yet) the process: its own status word (wait(2) layout).
      return ended(WaitStatus(outcome.last.kind == EventKind::Exited
                                  ? (outcome.last.exit_code & 0xff) << 8
                                  : outcome.last.signal | (outcome.last.core_dumped ? 0x80 : 0)));
    case debug::StepEnd::Limit:
    case debug::StepEnd::Stopped:
      break;
  }
  if (Status s = stepper_.release(pid_); !s.ok()) {
    if (auto end = ended_under_us(session_, pid_, s.error())) return ended(*end);
    if (options_.report) options_.report(s.error());
  }
  bool stopping = options_.stop != nullptr && *options_.stop != 0;
  if (!options_.command.empty() && outcome.end == debug::StepEnd::Limit && !stopping) {
    sink_.before_run_on();     // what was stepped comes before what the rest prints
    return run_rest_to_end();  // the command runs on, unstepped, to its end
  }
  return let_go();
}

void StepRun::pin_to_one_cpu() {
  // Only a speed-up: without it (no CPU in common, or no permission to set another user's
  // thread's affinity) stepping works the same, slower.
  auto p = debug::CpuPin::together(tid_);
  if (!p.ok()) return;
  pin_.emplace(std::move(*p));
  stepper_.set_syscall_fence([this](bool entering) {
    if (entering) {
      pin_->unpin_thread();
    } else {
      pin_->repin_thread();
    }
  });
  // On one CPU a spinning wait only keeps the tracee from running.
  WaitPolicy policy = session_.options().wait_policy;
  policy.spin_us = 0;
  session_.set_wait_policy(policy);
}

Result<RunEnd> StepRun::run() {
  PTK_TRY(start_process());
  if (options_.symbols || !options_.from.empty()) {
    symbols_ = std::make_unique<debug::LiveSymbols>(session_, pid_);
    symbols_->load();
  }
  auto start = start_condition();
  if (!start.ok()) return give_up(start.error());
  auto tid = stepper_.run_to_start(tid_, *start, options_.stop);
  if (!tid.ok()) return give_up(tid.error());
  tid_ = *tid;
  if (Status s = sink_.begin(*this); !s.ok()) return give_up(s.error());

  debug::Stepper::Observer observer;
  if (sink_.wants_steps()) {
    observer = [this](const Registers& regs) {
      sink_.step(tid_, regs);
      return true;
    };
  }
  if (symbols_) {
    // A new program: new objects at new addresses.
    stepper_.set_event_observer([this](const Event& ev) {
      if (ev.kind == EventKind::Exec) symbols_->load();
    });
  }
  if (options_.same_cpu) pin_to_one_cpu();
  auto outcome = stepper_.step(tid_, {.max_steps = options_.max, .stop = options_.stop}, observer);
  stepper_.set_syscall_fence({});
  if (pin_) (void)pin_->restore();  // before the thread is let go or runs on
  if (!outcome.ok()) return give_up(outcome.error());
  steps_ = outcome->steps;
  return finish(*outcome);
}

}  // namespace ptk::engine
