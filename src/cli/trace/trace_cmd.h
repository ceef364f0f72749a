// `ptk trace`: a strace-compatible syscall tracer.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// Lists the subcommand in `ptk --help`; ptk trace parses its own command line (trace_args.h).
void register_trace(CLI::App& app);

// `ptk trace ARGS...`: argv[0] is "trace". Returns the exit status.
int trace_main(int argc, char** argv);

}  // namespace ptk::cli
