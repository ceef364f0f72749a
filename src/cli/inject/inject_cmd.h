// `ptk inject`: run a syscall or raw machine code inside a running process, then put it back
// exactly as it was.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

// Registers the subcommand; its callback runs the injection and sets `exit_code`.
void register_inject(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
