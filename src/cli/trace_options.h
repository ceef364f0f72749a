// The options of `ptk trace`, spelled as strace spells them.
#pragma once

#include <sys/types.h>

#include <bitset>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/filter.h"

namespace CLI {
class App;
}

namespace ptk::cli {

enum StatusClass : unsigned {  // -e status=
  kStatusSuccessful = 1,
  kStatusFailed = 2,
  kStatusUnfinished = 4,
  kStatusUnavailable = 8,
  kStatusDetached = 16,
  kStatusAll = 31,
};

struct TraceOptions {
  // As given on the command line.
  int follow = 0;                     // -f, -ff
  std::string output;                 // -o FILE (or "|command")
  std::vector<std::string> pid_args;  // -p PID[,PID...]
  std::vector<std::string> exprs;     // -e EXPR
  bool only_successful = false;       // -z
  bool only_failed = false;           // -Z
  std::vector<std::string> paths;     // -P PATH (globs allowed)
  int string_limit = 32;              // -s
  bool verbose = false;               // -v
  int xlevel = 0;                     // -x, -xx
  bool fd_paths = false;              // -y
  int timestamps = 0;                 // -t, -tt, -ttt
  bool relative = false;              // -r
  bool syscall_times = false;         // -T
  bool summary = false;               // -c
  bool summary_too = false;           // -C
  int quiet = 0;                      // -q, -qq
  bool stack_trace = false;           // -k
  bool seccomp_bpf = false;           // --seccomp-bpf
  bool json = false;                  // --json
  std::string perfetto;               // --perfetto FILE
  bool whole_lines = false;           // --whole-lines
  int spin_us = -1;                   // --spin-us (-1: the default)
  std::vector<std::string> command;

  // Derived by finish().
  sys::SyscallFilter filter;
  std::bitset<65> signals;       // -e signal=
  unsigned status = kStatusAll;  // -e status=
  std::vector<pid_t> pids;

  // Parses -e, -p, and checks the combinations. Errors name the offending option.
  Status finish();
};

void add_trace_options(CLI::App& app, TraceOptions& o);

}  // namespace ptk::cli
