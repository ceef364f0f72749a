// `ptk step`: options -> Session + Stepper -> one line per instruction, a count or a profile.
#include "step/step_cmd.h"
#include "common/entry_point.h"

#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iterator>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "common/stop_signals.h"
#include "common/target_args.h"
#include "common/tracee_end.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/cpu_pin.h"
#include "ptk/debug/stepper.h"
#include "step/step_cmd_printer.h"

namespace ptk::cli {
namespace {

struct StepCmdOptions {
  bool count = false;
  std::uint64_t max = 0;
  std::string from;
  std::string from_syscall;
  bool profile = false;
  bool intel = false;
  bool source_lines = false;
  std::string output;
  int spin_us = -1;  // -1: the default policy
  bool same_cpu = true;
  int pid = 0;
  std::vector<std::string> command;
};

class StepRun {
 public:
  explicit StepRun(const StepCmdOptions& o) : o_(o), session_(session_options(o)) {}
  int run();

 private:
  static SessionOptions session_options(const StepCmdOptions& o) {
    SessionOptions so;
    so.syscall_stops = SyscallStops::None;
    so.follow_forks = false;
    so.follow_threads = true;
    // Each step is a stop: waking an idle CPU for each one costs more than the step itself,
    // so the default policy polls briefly first (README, "Waiting for stops").
    so.wait_policy = default_wait_policy();
    if (o.spin_us >= 0) so.wait_policy.spin_us = static_cast<std::uint32_t>(o.spin_us);
    so.wait_policy.interrupt = stop_flag();
    return so;
  }
  Status start_process();
  Result<debug::StepStart> start_condition();
  // Lets the process go after an error or a stop: detach an attached one; a spawned one is
  // killed with the session.
  int give_up(const Error& e);
  int finish(const debug::StepOutcome& outcome);
  int ended(const WaitStatus& end);
  int run_rest_to_end();
  int let_go();

  const StepCmdOptions& o_;
  Session session_;
  debug::Stepper stepper_{session_};
  pid_t pid_ = 0;
  pid_t tid_ = 0;
  bool spawned_ = false;
  bool die_when_done_ = false;  // interrupted with a command of ptk's own: die of the signal
  std::string name_;            // the program's, for "process 12 (prog) was killed by SIGKILL"
  std::unique_ptr<StepSymbols> symbols_;
  std::FILE* out_ = stdout;
};

Status StepRun::start_process() {
  spawned_ = !o_.command.empty();
  if (spawned_) {
    SpawnOptions sp;
    sp.argv = o_.command;
    // The child must not inherit ptk's own handling of these signals.
    set_child_signals(sp);
    PTK_ASSIGN_OR_RETURN(pid_, session_.spawn(sp));
  } else {
    pid_ = o_.pid;
    PTK_TRY(session_.attach(pid_));
    fmt::print(stderr, "ptk step: Process {} attached\n", pid_);
  }
  tid_ = pid_;
  name_ =
      spawned_ ? o_.command.front().substr(o_.command.front().rfind('/') + 1) : process_name(pid_);
  return ok_status();
}

Result<debug::StepStart> StepRun::start_condition() {
  debug::StepStart start;
  if (!o_.from_syscall.empty()) {
    start.kind = debug::StepStart::Kind::AfterSyscall;
    start.syscall = o_.from_syscall;
    return start;
  }
  if (o_.from.empty()) return start;
  debug::SymbolTable* table = symbols_->table();
  if (table == nullptr) {
    return Error(ErrorKind::NotFound, fmt::format("cannot read the objects of process {}", pid_));
  }
  auto where = table->resolve(o_.from);
  if (!where.ok() && where.error().kind() == ErrorKind::NotFound && spawned_) {
    // A dynamic program starts in its dynamic linker, before its libraries are mapped: look
    // again from its entry point.
    PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tid_));
    auto entry = entry_point(pid_, regs.arch());
    if (entry && *entry != regs.ip()) {
      debug::StepStart to_entry{.kind = debug::StepStart::Kind::AtAddress, .address = *entry};
      PTK_ASSIGN_OR_RETURN(tid_, stepper_.run_to_start(tid_, to_entry, stop_flag()));
      (void)table->refresh();
      where = table->resolve(o_.from);
    }
  }
  if (!where.ok()) return std::move(where).error();
  start.kind = debug::StepStart::Kind::AtAddress;
  start.address = where->address;
  return start;
}

int StepRun::give_up(const Error& e) {
  // Killed under us (a SIGKILL fails the next ptrace request before waitpid reports it): the
  // end of the process is the end of stepping, not the request's error.
  if (auto end = ended_under_us(session_, pid_, e)) return ended(*end);
  if (!spawned_ && session_.process(pid_) != nullptr) {
    (void)stepper_.release(pid_);
    (void)session_.detach(pid_);
  }
  return fail("step", e);
}

int StepRun::run_rest_to_end() {
  (void)session_.resume_all();
  int code = 0;
  while (!session_.empty()) {
    auto ev = session_.wait();
    if (!ev.ok()) return let_go();  // interrupted
    if (ev->tid == pid_ && ev->kind == EventKind::Exited) code = ev->exit_code;
    if (ev->tid == pid_ && ev->kind == EventKind::Killed) code = 128 + ev->signal;
    (void)session_.resume(*ev);
  }
  return code;
}

// At ptk's stop signal, or the end of stepping an attached process: the process is let go as
// it was. A command ptk started gets the signal first, runs on untraced, and ptk dies of it
// at the end of run() (common/stop_signals.h).
int StepRun::let_go() {
  if (spawned_ && session_.process(pid_) != nullptr) forward_stop_signal(pid_);
  if (Status s = session_.detach(pid_); !s.ok()) {
    if (auto end = ended_under_us(session_, pid_, s.error())) return ended(*end);
    return fail("step", s.error());
  }
  fmt::print(stderr, "ptk step: Process {} detached\n", pid_);
  die_when_done_ = spawned_;  // once the count or profile is out
  return 0;
}

int StepRun::ended(const WaitStatus& end) {
  if (end.kind() == WaitStatus::Kind::Killed) {
    fmt::print(stderr, "ptk step: {}\n", describe_end(pid_, name_, end));
  }
  return end_code(end);
}

int StepRun::finish(const debug::StepOutcome& outcome) {
  int code = 0;
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
      if (Status s = stepper_.release(pid_); !s.ok()) {
        if (auto end = ended_under_us(session_, pid_, s.error())) return ended(*end);
        fail("step", s.error());
      }
      if (spawned_ && outcome.end == debug::StepEnd::Limit && !*stop_flag()) {
        std::fflush(out_);         // what was stepped comes before what the rest prints
        code = run_rest_to_end();  // the command runs on, unstepped, to its end
      } else {
        code = let_go();
      }
      break;
  }
  return code;
}

int StepRun::run() {
  install_stop_handlers(stop_signals_for(!o_.command.empty(), !o_.output.empty()));
  if (Status s = start_process(); !s.ok()) return fail("step", s.error());
  bool print_lines = !o_.count && !o_.profile;
  if (print_lines || o_.profile || !o_.from.empty()) {
    symbols_ = std::make_unique<StepSymbols>(session_, pid_);
    symbols_->load();
  }
  auto start = start_condition();
  if (!start.ok()) return give_up(start.error());
  auto tid = stepper_.run_to_start(tid_, *start, stop_flag());
  if (!tid.ok()) return give_up(tid.error());
  tid_ = *tid;

  if (!o_.output.empty()) {
    out_ = std::fopen(o_.output.c_str(), "we");  // e: O_CLOEXEC, not the program's
    if (out_ == nullptr) {
      return give_up(Error::from_errno(errno, fmt::format("open {}", o_.output)));
    }
  }
  std::unique_ptr<StepPrinter> printer;
  std::unique_ptr<StepProfile> profile;
  debug::Stepper::Observer observer;
  if (print_lines || o_.profile) {
    if (print_lines) {
      printer = std::make_unique<StepPrinter>(
          session_, *symbols_, o_.intel ? debug::AsmSyntax::Intel : debug::AsmSyntax::Att, out_,
          o_.source_lines, Palette::for_stream(out_));
    }
    if (o_.profile) profile = std::make_unique<StepProfile>(*symbols_);
    observer = [&](const Registers& regs) {
      if (profile) profile->add(regs.ip());
      if (printer) printer->print(tid_, regs);
      return true;
    };
    // A new program: new objects at new addresses.
    stepper_.set_event_observer([this](const Event& ev) {
      if (ev.kind == EventKind::Exec) symbols_->load();
    });
  }
  std::optional<debug::CpuPin> pin;
  if (o_.same_cpu) {
    // Only a speed-up: without it (no CPU in common, or no permission to set another user's
    // thread's affinity) stepping works the same, slower.
    if (auto p = debug::CpuPin::together(tid_); p.ok()) {
      pin.emplace(std::move(*p));
      stepper_.set_syscall_fence([&pin](bool entering) {
        if (entering) {
          pin->unpin_thread();
        } else {
          pin->repin_thread();
        }
      });
      // On one CPU a spinning wait only keeps the tracee from running.
      WaitPolicy policy = session_.options().wait_policy;
      policy.spin_us = 0;
      session_.set_wait_policy(policy);
    }
  }
  auto outcome = stepper_.step(tid_, {.max_steps = o_.max, .stop = stop_flag()}, observer);
  stepper_.set_syscall_fence({});
  if (pin) (void)pin->restore();  // before the thread is let go or runs on
  if (!outcome.ok()) return give_up(outcome.error());
  int code = finish(*outcome);
  if (profile) std::fputs(profile->table(Palette::for_stream(out_)).c_str(), out_);
  if (o_.count) fmt::print(out_, "{}\n", outcome->steps);
  std::fflush(out_);
  if (out_ != stdout) std::fclose(out_);
  if (die_when_done_) die_of_stop_signal();
  return code;
}

}  // namespace

void register_step(CLI::App& app, const std::vector<std::string>& command, int& exit_code) {
  auto o = std::make_shared<StepCmdOptions>();
  CLI::App* sub = app.add_subcommand(
      "step", "Single-step a process: print each instruction, count them, or profile them");
  sub->footer(
      "Forms: ptk step [OPTIONS] -- COMMAND [ARGS...]   or   ptk step [OPTIONS] -p PID\n"
      "Each line: address <symbol+offset>  bytes  instruction, before it runs. A signal is\n"
      "passed on and its handler stepped; other threads run freely.");
  sub->add_flag("--count", o->count, "print only the number of instructions stepped");
  sub->add_option("--max", o->max, "stop after N instructions (a command then runs on)")
      ->type_name("N");
  auto* from =
      sub->add_option("--from", o->from, "start at LOCATION: symbol, lib:symbol, file:line, 0xADDR")
          ->type_name("LOCATION");
  sub->add_option("--from-syscall", o->from_syscall,
                  "start after the first syscall NAME returns (e.g. write)")
      ->type_name("NAME")
      ->excludes(from);
  sub->add_flag("--profile", o->profile, "print instructions per function instead of each one");
  sub->add_flag("--intel", o->intel, "Intel syntax (default: AT&T)");
  sub->add_flag("--lines", o->source_lines, "add the source file:line of each instruction");
  sub->add_option("-o,--output", o->output, "write the output to FILE")->type_name("FILE");
  sub->add_option("--spin-us", o->spin_us,
                  "poll for the next stop for up to N us before sleeping (0: always sleep)")
      ->type_name("N")
      ->check(CLI::Range(0, 1000000));
  sub->add_flag("--same-cpu,!--no-same-cpu", o->same_cpu,
                "run ptk and the stepped thread on one CPU while stepping (default: on; about 2x "
                "faster; the thread's own mask is put back for each of its syscalls, so it never "
                "sees the change)");
  sub->add_option("-p,--pid", o->pid, "attach to process PID (Ctrl-C detaches)")->type_name("PID");
  add_color_option(*sub);
  sub->callback([sub, o, &command, &exit_code] {
    exit_code = take_target(*sub, "step", command, o->pid, o->command);
    if (exit_code != 0) return;
    exit_code = StepRun(*o).run();
  });
}

}  // namespace ptk::cli
