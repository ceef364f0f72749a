// The options of `ptk trace`, spelled as strace spells them.
#pragma once

#include <sys/types.h>

#include <bitset>
#include <memory>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/filter.h"
#include "ptk/tamper/hook.h"
#include "ptk/tamper/inject_spec.h"
#include "trace/trace_rewrite.h"

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

  // ---- Tampering. The hooks ptk trace runs, in order, under one tamper::Tamperer: finish()
  // puts first one InjectHook for every -e inject=/fault= (and --inject/--fault). Options that
  // make more hooks (--rewrite, --rules) append theirs here, from their own block of finish().
  std::vector<std::string> inject_args;              // --inject SPEC
  std::vector<std::string> fault_args;               // --fault SPEC
  std::vector<tamper::InjectSpec> injects;           // derived: every inject/fault, in order
  std::vector<std::unique_ptr<tamper::Hook>> hooks;  // derived
  std::vector<std::string> tamper_warnings;          // derived: printed before the trace starts
  // ---- end of tampering
  RewriteOptions rewrite;  // --rewrite RULE, --rules FILE (trace_rewrite.h): one more hook

  // Derived by finish().
  sys::SyscallFilter filter;
  std::bitset<65> signals;       // -e signal=
  unsigned status = kStatusAll;  // -e status=
  std::vector<pid_t> pids;

  // Parses -e, -p, and checks the combinations. Errors name the offending option.
  Status finish();

 private:
  Status finish_tampering();
};

void add_trace_options(CLI::App& app, TraceOptions& o);

}  // namespace ptk::cli
