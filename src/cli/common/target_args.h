// The process a subcommand acts on, from its command line: the command to run (what CLI11
// left over, then what followed "--"), or `-p PID` for the commands that can also attach.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// Appends the command `sub` left over and `after_dashes` to `command`. Returns 0, or ptk's
// usage exit code after one error line when the leftover starts with an option ptk lacks.
int take_command(const CLI::App& sub, std::string_view name,
                 const std::vector<std::string>& after_dashes, std::vector<std::string>& command);

// take_command, then exactly one of `pid` and a command, and a pid that can be one.
int take_target(const CLI::App& sub, std::string_view name,
                const std::vector<std::string>& after_dashes, int pid,
                std::vector<std::string>& command);

}  // namespace ptk::cli
