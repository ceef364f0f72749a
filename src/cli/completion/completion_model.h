// What the shell completions know about ptk's command line, read from the parsers' own
// definitions: the CLI11 app (its subcommands and options) and ptk trace's option table. The
// renderers (completion_scripts.h) turn one model into a bash, zsh or fish script, so no option
// is ever listed by hand a second time.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace ptk::cli {

// What an option's value (or a positional argument) is, for offering candidates.
enum class ValueKind : std::uint8_t {
  None,     // a flag: no value
  Any,      // a value with nothing to offer
  Pid,      // a running process
  File,     // a file name
  Signal,   // signal names, comma separated (SIGINT,SIGTERM)
  Syscall,  // syscall names, comma separated (openat,read)
  Expr,     // ptk trace -e: KEY=VALUE, the value completed by the key's own kind
  Choice,   // one of `choices`
};

struct CompletionOption {
  std::vector<std::string> names;  // as typed: "-p", "--pid"
  ValueKind value = ValueKind::None;
  bool value_optional = false;  // --name[=VALUE]: only attached to a long name
  std::string help;             // one line
};

struct CompletionCommand {
  std::string name;
  std::string help;
  std::vector<CompletionOption> options;
  ValueKind positional = ValueKind::None;  // the first positional argument
  std::vector<std::string> choices;        // of the positional, when ValueKind::Choice
  bool runs_command = false;               // takes a COMMAND to run after --
  bool command_at_first_word = false;      // ... or at its first word that is no option (trace)
};

struct CompletionModel {
  std::vector<CompletionOption> options;  // ptk's own (--help, --version)
  std::vector<CompletionCommand> commands;
  std::vector<std::string> expr_keys;  // ptk trace -e KEY=, with their kinds below
  std::vector<ValueKind> expr_kinds;
  std::vector<std::string> syscalls;  // every ABI's, sorted, unique
  std::vector<std::string> signals;   // SIGHUP ... SIGSYS, SIGRTMIN
};

// `app` is ptk's top-level app with every subcommand registered; hidden ones are left out.
CompletionModel build_completion_model(const CLI::App& app);

}  // namespace ptk::cli
