// `ptk step`: single-step a process and print each instruction, or count them.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ptk::cli {

// Registers the subcommand; its callback steps and sets `exit_code`. `command` is what followed
// "--" on the command line (the command to run), if anything did.
void register_step(CLI::App& app, const std::vector<std::string>& command, int& exit_code);

}  // namespace ptk::cli
