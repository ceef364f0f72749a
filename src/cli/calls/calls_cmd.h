// `ptk calls`: library-call tracing (like ltrace) by breakpoints on function entry and return.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace ptk::cli {

void register_calls(CLI::App& app, const std::vector<std::string>& command, int& exit_code);

}  // namespace ptk::cli
