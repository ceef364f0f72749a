// `ptk trace`: a strace-compatible syscall tracer.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// Registers the subcommand; its callback runs the trace and sets `exit_code`. `command` is what
// followed "--" on the command line (the command to trace), if anything did.
void register_trace(CLI::App& app, const std::vector<std::string>& command, int& exit_code);

}  // namespace ptk::cli
