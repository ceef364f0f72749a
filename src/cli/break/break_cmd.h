// `ptk break`: software breakpoints (and hardware watchpoints) with actions at each hit.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// Registers the subcommand; `command` is what followed "--" on the command line.
void register_break(CLI::App& app, const std::vector<std::string>& command, int& exit_code);

}  // namespace ptk::cli
