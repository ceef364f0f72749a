// `ptk mem PID read|write|find ...`: read, patch and search a process's memory.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// `command` is what followed "--" on the command line: more arguments of `mem` (a pattern
// that starts with '-').
void register_mem(CLI::App& app, const std::vector<std::string>& command, int& exit_code);

}  // namespace ptk::cli
