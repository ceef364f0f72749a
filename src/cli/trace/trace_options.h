// The options of `ptk trace`, spelled as strace spells them.
#pragma once

#include <sys/types.h>

#include <bitset>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/color.h"
#include "ptk/base/result.h"
#include "ptk/sys/fd_details.h"
#include "ptk/sys/filter.h"
#include "ptk/tamper/hook.h"
#include "ptk/tamper/inject_spec.h"
#include "trace/trace_rewrite.h"
#include "trace/trace_summary.h"

namespace ptk::cli {

enum DecodeFd : unsigned {  // -y, -yy, --decode-fds=: the tracer's sys::FdDecode bits
  kDecodeFdPath = sys::kFdDecodePath,
  kDecodeFdSocket = sys::kFdDecodeSocket,
  kDecodeFdDev = sys::kFdDecodeDev,
  kDecodeFdPidfd = sys::kFdDecodePidfd,
  kDecodeFdSignalfd = sys::kFdDecodeSignalfd,
  kDecodeFdEventfd = sys::kFdDecodeEventfd,
  kDecodeFdAll = sys::kFdDecodeAll,
};

enum DecodePid : unsigned {  // -Y, --decode-pids=
  kDecodePidComm = 1,
  kDecodePidNs = 2,
};

enum StatusClass : unsigned {  // -e status=
  kStatusSuccessful = 1,
  kStatusFailed = 2,
  kStatusUnfinished = 4,
  kStatusUnavailable = 8,
  kStatusDetached = 16,
  kStatusAll = 31,
};

enum QuietFlag : unsigned {  // -q, -qq, -qqq, -e quiet=
  kQuietAttach = 1,          // "Process N attached/detached"
  kQuietExit = 2,            // "+++ exited with 0 +++"
  kQuietPathResolution = 4,  // -P path resolution messages
  kQuietPersonality = 8,     // "[ Process PID=N runs in 32 bit mode. ]"
  kQuietThreadExecve = 16,   // "+++ superseded by execve in pid N +++"
  kQuietAll = 31,
};

enum class ConstStyle : std::uint8_t { Abbrev, Raw, Verbose };  // -X

enum class TraceBackend : std::uint8_t { Ptrace, Bpf, Auto };  // --backend

struct TraceOptions {
  // As given on the command line.
  int follow = 0;                     // -f, -ff
  bool output_separately = false;     // --output-separately (-ff with -f)
  std::string output;                 // -o FILE (or "|command")
  bool append = false;                // -A
  std::vector<std::string> pid_args;  // -p PID[,PID...]
  std::vector<std::string> exprs;     // -e EXPR (and the long forms: --trace=SET is trace=SET)
  bool only_successful = false;       // -z
  bool only_failed = false;           // -Z
  std::vector<std::string> paths;     // -P PATH (globs allowed)
  int string_limit = 32;              // -s
  int acolumn = 40;                   // -a
  bool verbose = false;               // -v
  bool kvm_vcpu = false;              // -e kvm=vcpu
  int xlevel = 0;                     // -x, -xx
  ConstStyle const_style = ConstStyle::Abbrev;  // -X
  ColorWhen color = ColorWhen::Auto;            // --color[=WHEN]
  unsigned decode_fds = 0;                      // -y, -yy, --decode-fds=: kDecodeFd* bits
  unsigned decode_pids = 0;                     // -Y, --decode-pids=: kDecodePid* bits
  bool arg_names = false;                       // -N
  bool syscall_numbers = false;                 // -n
  bool instruction_pointer = false;             // -i
  int timestamps = 0;                           // -t, -tt, -ttt
  int timestamp_digits = -1;                    // --absolute-timestamps=...,precision:
  bool relative = false;                        // -r
  int relative_digits = 6;                      // -r=PRECISION
  bool syscall_times = false;                   // -T
  int syscall_time_digits = 6;                  // -T=PRECISION
  bool summary = false;                         // -c
  bool summary_too = false;                     // -C
  SummaryOptions summary_opts;      // -w, -S, -U, -O (trace_summary.h parses the values)
  int interruptible = 0;            // -I (0: ptk's default)
  int daemonize = 0;                // -D, -DD, -DDD: 1, 2, 3
  unsigned quiet = 0;               // -q, -qq, -qqq, -e quiet=: QuietFlag bits
  int stack_trace = 0;              // -k
  bool seccomp_bpf = false;         // --seccomp-bpf
  bool detach_on_execve = false;    // -b execve
  std::vector<std::string> env;     // -E VAR=VAL, -E VAR
  std::string user;                 // -u USERNAME
  std::uint64_t syscall_limit = 0;  // --syscall-limit (0: none)
  bool tips = false;                // --tips
  bool json = false;                // --json
  std::string perfetto;             // --perfetto FILE
  std::string record;               // --record FILE (trace_record.h)
  bool whole_lines = false;         // --whole-lines
  int spin_us = -1;                 // --spin-us (-1: the default)
  std::vector<std::string> breaks;  // --break LOCATION
  bool break_bt = false;            // --bt
  TraceBackend backend = TraceBackend::Ptrace;  // --backend
  std::vector<std::string> command;

  // ---- Tampering. The hooks ptk trace runs, in order, under one tamper::Tamperer: finish()
  // puts first one InjectHook for every -e inject=/fault= (and --inject/--fault). Options that
  // make more hooks (--rewrite, --rules) append theirs here, from their own block of finish().
  std::vector<tamper::InjectSpec> injects;           // derived: every inject/fault, in order
  std::vector<std::unique_ptr<tamper::Hook>> hooks;  // derived
  std::vector<std::string> tamper_warnings;          // derived: printed before the trace starts
  // ---- end of tampering
  RewriteOptions rewrite;  // --rewrite RULE, --rules FILE (trace_rewrite.h): one more hook

  // Derived by finish().
  sys::SyscallFilter filter;
  std::optional<sys::SyscallFilter> raw_set;      // -e raw=: arguments undecoded
  std::optional<sys::SyscallFilter> verbose_set;  // -e verbose=: structures in full
  std::optional<sys::SyscallFilter> abbrev_set;   // -e abbrev=: the calls abbreviated (not -v)
  std::optional<std::string> read_fds;            // -e read=SET (ptk/sys/io_dumps.h)
  std::optional<std::string> write_fds;           // -e write=SET
  std::bitset<65> signals;                        // -e signal=
  unsigned status = kStatusAll;                   // -e status=
  std::vector<pid_t> pids;

  // Parses -e, -p, and checks the combinations. Errors name the offending option.
  Status finish();

 private:
  Status finish_tampering();
};

// Values of -e quiet=, decode-fds=, decode-pids= (and of their long options): strace's sets.
Status parse_quiet_set(std::string_view expr, unsigned& out);
Status parse_decode_fds(std::string_view expr, unsigned& out);
Status parse_decode_pids(std::string_view expr, unsigned& out);

}  // namespace ptk::cli
