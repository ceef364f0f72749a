// `ptk step`: options -> engine::StepRun -> one line per instruction, a count or a profile.
#include "step/step_cmd.h"

#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iterator>
#include <memory>

#include "common/cli_util.h"
#include "common/color.h"
#include "common/target_args.h"
#include "ptk/engine/step_run.h"
#include "ptk/engine/stop_signals.h"
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

// The instructions as lines (or a profile, or only their count) into stdout or -o FILE.
class StepRender : public engine::StepSink {
 public:
  explicit StepRender(const StepCmdOptions& o) : o_(o) {}
  ~StepRender() override {
    if (out_ != stdout) std::fclose(out_);
  }

  Status begin(engine::StepRun& run) override {
    if (!o_.output.empty()) {
      // Kept as stdout until the file is open: the destructor closes any other stream.
      std::FILE* file = std::fopen(o_.output.c_str(), "we");  // e: O_CLOEXEC, not the program's
      if (file == nullptr) return Error::from_errno(errno, fmt::format("open {}", o_.output));
      out_ = file;
    }
    if (debug::LiveSymbols* symbols = run.symbols()) {
      if (print_lines()) {
        printer_ = std::make_unique<StepPrinter>(
            run.session(), *symbols, o_.intel ? debug::AsmSyntax::Intel : debug::AsmSyntax::Att,
            out_, o_.source_lines, Palette::for_stream(out_));
      }
      if (o_.profile) profile_ = std::make_unique<StepProfile>(*symbols);
    }
    return ok_status();
  }
  bool wants_steps() const override { return printer_ || profile_; }
  void step(pid_t tid, const Registers& regs) override {
    if (profile_) profile_->add(regs.ip());
    if (printer_) printer_->print(tid, regs);
  }
  void before_run_on() override { std::fflush(out_); }

  bool print_lines() const { return !o_.count && !o_.profile; }
  // The profile or the count, once the stepping is over.
  void finish(std::uint64_t steps) {
    if (profile_) std::fputs(profile_->table(Palette::for_stream(out_)).c_str(), out_);
    if (o_.count) fmt::print(out_, "{}\n", steps);
    std::fflush(out_);
  }

 private:
  const StepCmdOptions& o_;
  std::FILE* out_ = stdout;
  std::unique_ptr<StepPrinter> printer_;
  std::unique_ptr<StepProfile> profile_;
};

int run_step(const StepCmdOptions& o) {
  engine::install_stop_handlers(engine::stop_signals_for(!o.command.empty(), !o.output.empty()));
  StepRender render(o);
  engine::StepRun run(
      {.pid = o.pid,
       .command = o.command,
       .max = o.max,
       .from = o.from,
       .from_syscall = o.from_syscall,
       .same_cpu = o.same_cpu,
       .spin_us = o.spin_us,
       .symbols = render.print_lines() || o.profile,
       .stop = engine::stop_flag(),
       .note = [](std::string_view text) { fmt::print(stderr, "ptk step: {}\n", text); },
       .report = [](const Error& e) { fail("step", e); }},
      render);
  auto end = run.run();
  if (!end.ok()) return fail("step", end.error());
  render.finish(run.steps());
  if (end->interrupted) engine::die_of_stop_signal();
  return end->exit_code;
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
    exit_code = run_step(*o);
  });
}

}  // namespace ptk::cli
