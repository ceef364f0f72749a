// `ptk completion bash|zsh|fish`: prints a completion script for the shell, made from the
// parsers' own option tables (a hidden subcommand: the build runs it to make the installed
// scripts). `ptk completion options` lists every option of every subcommand, for the test
// that holds the man pages against the parsers.
#pragma once

#include <CLI/CLI.hpp>

namespace ptk::cli {

// Register last: the script covers the subcommands registered before it.
void register_completion(CLI::App& app, int& exit_code);

}  // namespace ptk::cli
