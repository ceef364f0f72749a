// What every subcommand built on the engine (ptk break, ptk calls) does around Engine::run:
// its messages as "ptk NAME: ..." lines, the stop signals taken as strace takes them, and the
// exit: the program's status, 1 for an error, or death by the stop signal that ended the run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ptk/engine/engine.h"

namespace ptk::cli {

// Errors and notes as one line each on stderr, prefixed "ptk NAME: "; ptk's stop flag.
engine::EngineOptions engine_options(std::string_view name, int pid,
                                     std::vector<std::string> command, bool follow_forks);

// Installs the stop handlers (stop_signals_for: ignored when a command is started and the
// output goes to a file), runs, and returns ptk's exit code. A run a stop signal ended with
// the command ptk started let go ends ptk by that signal, as strace ends.
int run_engine(std::string_view name, engine::Engine& engine, bool output_to_file);

}  // namespace ptk::cli
