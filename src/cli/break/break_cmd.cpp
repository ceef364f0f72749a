// `ptk break` options -> BreakOptions -> run_break.
#include "break/break_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "break/break_run.h"
#include "common/cli_util.h"
#include "common/color.h"
#include "common/target_args.h"
#include "ptk/core/host.h"

namespace ptk::cli {

void register_break(CLI::App& app, const std::vector<std::string>& command, int& exit_code) {
  auto o = std::make_shared<BreakOptions>();
  CLI::App* sub = app.add_subcommand(
      "break", "Set breakpoints in a process and report each hit (registers, args, backtrace...)");
  sub->footer(
      "Forms: ptk break LOCATION... [OPTIONS] -- COMMAND [ARGS...]   or   ... -p PID\n"
      "LOCATION: symbol, lib:symbol, file:line or 0xADDR. Each hit prints\n"
      "'hit N LOCATION at ADDR <symbol+off> thread TID'. Locations are set again in the new\n"
      "program after an execve, and in libraries as dlopen loads them. Ctrl-C, SIGTERM or SIGHUP "
      "removes\n"
      "every breakpoint and watchpoint and detaches (an attached process runs on).");
  sub->add_option("locations", o->locations, "where to break")->type_name("LOCATION");
  sub->add_flag("--regs", o->actions.regs, "print the general registers at each hit");
  sub->add_option("--args", o->actions.args, "print the first N integer arguments (by the ABI)")
      ->type_name("N")
      ->check(CLI::Range(0, 16));
  sub->add_flag("--bt", o->actions.bt, "print a backtrace at each hit");
  auto* mem = sub->add_option("--mem", "print LEN bytes at ADDR or at a register's value")
                  ->type_name("ADDR|REG:LEN")
                  ->take_all()
                  ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--watch", o->watches,
                  "hardware watchpoint (w: writes, rw: accesses, x: execution; LEN 1/2/4/8)")
      ->type_name("ADDR|SYMBOL[:LEN][:w|rw|x]");
  sub->add_flag("--count", o->count,
                "print only the number of hits of each location, at the end or at detach");
  sub->add_flag("--once", o->once, "remove each breakpoint at its first hit");
  sub->add_flag("-f,--follow-forks", o->follow_forks, "follow child processes (fork, vfork)");
  sub->add_flag("--pending", o->pending,
                "a location no loaded object defines waits for a dlopen or an execve that "
                "brings it (lib:symbol of a library not loaded yet always waits)");
  sub->add_flag("--json", o->actions.json, "one JSON object per line");
  add_color_option(*sub);
  sub->add_option("-p,--pid", o->pid, "attach to process PID (Ctrl-C detaches)")->type_name("PID");
  sub->callback([sub, o, mem, &command, &exit_code] {
    std::vector<std::string> mems;
    if (mem->count() > 0) mems = mem->as<std::vector<std::string>>();
    for (const std::string& m : mems) {
      auto parsed = parse_mem_action(m);
      if (!parsed.ok()) {
        exit_code = fail("break", parsed.error(), kExitUsage);
        return;
      }
      o->actions.mem.push_back(*parsed);
    }
    exit_code = take_target(*sub, "break", command, o->pid, o->command);
    if (exit_code != 0) return;
    if (o->locations.empty() && o->watches.empty()) {
      exit_code =
          fail("break", "give at least one LOCATION or --watch (see ptk break --help)", kExitUsage);
      return;
    }
    // Refused before anything starts: where traps never arrive a watchpoint would be set and
    // stay silent, which reads as "the variable was never written".
    if (!o->watches.empty()) {
      if (Status s = require(HostCapability::DebugRegisterTraps); !s.ok()) {
        exit_code = fail("break", fmt::format("--watch: {}", s.error().message()));
        return;
      }
    }
    exit_code = run_break(*o);
  });
}

}  // namespace ptk::cli
