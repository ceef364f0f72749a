// `ptk show FILE`: a recording of `ptk trace --record` rendered as ptk trace renders a live
// trace (text, JSON, Perfetto, -c), through sys::Replayer.
#pragma once

#include <span>

#include "trace/trace_args.h"

namespace CLI {
class App;
}

namespace ptk::cli {

// Lists the subcommand in `ptk --help`; ptk show parses its own command line, with the
// rendering options of ptk trace (show_option_specs()).
void register_show(CLI::App& app);

// `ptk show ARGS...`: argv[0] is "show". Returns the exit status.
int show_main(int argc, char** argv);

// The options of ptk trace that ptk show takes.
std::span<const TraceOptionSpec> show_option_specs();

}  // namespace ptk::cli
