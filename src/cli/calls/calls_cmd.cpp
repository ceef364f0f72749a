// `ptk calls` options -> CallsOptions -> run_calls.
#include "calls/calls_cmd.h"

#include <fmt/format.h>

#include <memory>

#include "calls/calls_run.h"
#include "common/cli_util.h"
#include "common/color.h"
#include "common/target_args.h"

namespace ptk::cli {

void register_calls(CLI::App& app, const std::vector<std::string>& command, int& exit_code) {
  auto o = std::make_shared<CallsOptions>();
  CLI::App* sub = app.add_subcommand(
      "calls", "Trace library calls, like ltrace (also -z now programs and dlopen-ed libraries)");
  sub->footer(
      "Forms: ptk calls [OPTIONS] -- COMMAND [ARGS...]   or   ptk calls [OPTIONS] -p PID\n"
      "Each call is printed as 'name(args) = value', nested calls indented by two spaces.\n"
      "By default the functions the program imports are traced, when the program itself calls\n"
      "them; -l LIB traces every function LIB exports, called from any other object. Arguments\n"
      "follow built-in prototypes of common libc functions; other functions show their first\n"
      "3 integer arguments and their return value in hex. Ctrl-C, SIGTERM or SIGHUP removes\n"
      "every breakpoint and detaches (an attached process runs on). Breakpoints, not PLT\n"
      "patching: programs linked with -z now and functions reached through dlsym are traced.");
  sub->add_option("-e", o->globs, "trace only functions matching GLOB; !GLOB leaves them out")
      ->type_name("GLOB");
  sub->add_option("-l,--library", o->libs,
                  "trace every function of LIB (libm, libc.so.6); if not loaded yet, traced "
                  "once the program loads it")
      ->type_name("LIB");
  sub->add_flag("-f,--follow-forks", o->follow_forks, "follow child processes (fork, vfork)");
  sub->add_option("-o,--output", o->output, "write the trace to FILE (default: stderr)")
      ->type_name("FILE");
  sub->add_option("-s", o->string_limit, "show at most N bytes of each string (default 32)")
      ->type_name("N")
      ->check(CLI::Range(0, 1 << 20));
  sub->add_flag("--json", o->json, "one JSON object per call, at its return");
  add_color_option(*sub);
  sub->add_flag("-t", o->timestamps,
                "the time of day before each line; -tt with microseconds, -ttt as seconds since "
                "the epoch");
  sub->add_flag("-T", o->durations, "how long each call took, after its return value");
  sub->add_flag("-c,--summary", o->summary,
                "print calls and time per function at the end (ltrace -c) instead of each call")
      ->excludes("--json");
  sub->add_option("-p,--pid", o->pid, "attach to process PID (Ctrl-C detaches)")->type_name("PID");
  sub->callback([sub, o, &command, &exit_code] {
    exit_code = take_target(*sub, "calls", command, o->pid, o->command);
    if (exit_code != 0) return;
    for (const std::string& g : o->globs) {
      if (std::string why = check_glob(g); !why.empty()) {
        exit_code = fail("calls", fmt::format("-e '{}': bad glob: {}", g, why), kExitUsage);
        return;
      }
    }
    exit_code = run_calls(*o);
  });
}

}  // namespace ptk::cli
