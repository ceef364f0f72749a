// `ptk call`: call a function inside a running process and print what it returned; the process
// is put back exactly as it was.
#pragma once

namespace CLI {
class App;
}

namespace ptk::cli {

// Registers the subcommand; its callback runs the call and sets `exit_code`.
void register_call(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
