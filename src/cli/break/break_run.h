// `ptk break` at run time: the process, its breakpoints and watchpoints, and the event loop.
#pragma once

#include <string>
#include <vector>

#include "break/break_actions.h"

namespace ptk::cli {

struct BreakOptions {
  std::vector<std::string> locations;
  std::vector<std::string> watches;
  BreakActions actions;
  bool count = false;
  bool once = false;
  bool follow_forks = false;
  bool pending = false;  // unresolvable locations wait for a library or an execve
  int pid = 0;
  std::vector<std::string> command;
};

// Runs to the end of the process (or until ptk is told to stop); returns ptk's exit code.
int run_break(const BreakOptions& options);

}  // namespace ptk::cli
