// `ptk calls` at run time: the process, the CallTracer and the event loop.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ptk::cli {

struct CallsOptions {
  std::vector<std::string> globs;  // -e
  std::vector<std::string> libs;   // -l
  bool follow_forks = false;       // -f
  std::string output;              // -o FILE ("" = stderr)
  std::size_t string_limit = 32;   // -s
  bool json = false;
  bool summary = false;    // -c
  int timestamps = 0;      // -t, -tt, -ttt
  bool durations = false;  // -T
  int pid = 0;
  std::vector<std::string> command;
};

// Runs to the end of the process (or until ptk is told to stop); returns ptk's exit code: the
// program's own status, 128+N when it was killed by signal N.
int run_calls(const CallsOptions& options);

// A -e glob fnmatch would take as the user meant it; the error says what is wrong.
std::string check_glob(const std::string& glob);

}  // namespace ptk::cli
