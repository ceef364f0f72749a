// ptk: the command line. It parses, calls the library and renders; it never calls ptrace.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <string>
#include <string_view>
#include <vector>

#include "break/break_cmd.h"
#include "calls/calls_cmd.h"
#include "common/cli_util.h"
#include "common/color.h"
#include "completion/completion_cmd.h"
#include "inject/call_cmd.h"
#include "inject/inject_cmd.h"
#include "inspect/bt_cmd.h"
#include "inspect/host_cmd.h"
#include "inspect/maps_cmd.h"
#include "inspect/mem_cmd.h"
#include "inspect/regs_cmd.h"
#include "ptk/core/tracer_child.h"
#include "ptk/engine/stop_signals.h"
#include "show/show_cmd.h"
#include "step/step_cmd.h"
#include "trace/trace_cmd.h"

int main(int argc, char** argv) {
  // ptk trace parses its command line as strace does (getopt: bundled letters, the command at
  // the first non-option), not with CLI11.
  if (argc >= 2 && std::string_view(argv[1]) == "trace") {
    return ptk::cli::trace_main(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::string_view(argv[1]) == "show") {  // trace's options: the same parser
    return ptk::cli::show_main(argc - 1, argv + 1);
  }
  CLI::App app{"ptk - the ptrace toolkit: trace, tamper with, debug and inject into processes"};
  app.set_version_flag("--version", std::string("ptk ") + PTK_VERSION);
  app.require_subcommand(0, 1);
  // One line per error, as every ptk error: what was wrong, and where to look.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("{} {} (see ptk --help)\n",
                       ptk::cli::error_palette().paint(ptk::cli::Style::ErrorWord, "ptk:"),
                       e.what());
  });
  int exit_code = 0;
  // Everything after the first "--" is the command to run, given to the subcommand as is:
  // CLI11 would otherwise reorder it among the remaining arguments.
  std::vector<std::string> command;
  int own_args = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      command.assign(argv + i + 1, argv + argc);
      own_args = i;
      break;
    }
  }
  // Before parsing: an error in the command line itself is then colored (or not) as it asks.
  if (auto when = ptk::cli::color_when_in_args(own_args, argv)) ptk::cli::set_color_when(*when);
  ptk::cli::register_trace(app);
  ptk::cli::register_show(app);
  ptk::cli::register_step(app, command, exit_code);
  ptk::cli::register_inject(app, exit_code);
  ptk::cli::register_call(app, exit_code);
  ptk::cli::register_regs(app, exit_code);
  ptk::cli::register_mem(app, command, exit_code);
  ptk::cli::register_maps(app, exit_code);
  ptk::cli::register_bt(app, exit_code);
  ptk::cli::register_break(app, command, exit_code);
  ptk::cli::register_calls(app, command, exit_code);
  ptk::cli::register_host(app, exit_code);
  ptk::cli::register_completion(app, exit_code);  // last: it walks the ones above
  // The commands that change a process run in a child of the process the user started, so that
  // a kill -9 of ptk still leaves their targets as they were (ptk/core/tracer_child.h). The
  // stop handlers come first: both processes hold them from the fork on, never the defaults.
  app.parse_complete_callback([&app] {
    constexpr std::string_view kGuarded[] = {"break", "calls", "step", "inject", "call"};
    for (const CLI::App* sub : app.get_subcommands()) {
      if (std::find(std::begin(kGuarded), std::end(kGuarded), sub->get_name()) ==
          std::end(kGuarded)) {
        continue;
      }
      ptk::engine::install_stop_handlers();
      ptk::run_tracer_in_child(ptk::engine::stop_signals(), ptk::engine::parent_death_signal());
    }
  });
  try {
    app.parse(own_args, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message; its own exit codes (105 for a value out of range, ...) become
    // ptk's one code for a bad command line. --help and --version stay 0.
    return app.exit(e) == 0 ? 0 : ptk::cli::kExitUsage;
  }
  if (app.get_subcommands().empty()) fmt::print("{}", app.help());
  return exit_code;
}
