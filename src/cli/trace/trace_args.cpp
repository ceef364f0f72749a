#include "trace/trace_args.h"

#include <fmt/format.h>
#include <getopt.h>

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

namespace ptk::cli {
namespace {

// Ids of the options that have no letter.
enum LongOnly : int {
  kTrace = 256,
  kSignal,
  kStatus,
  kAbbrev,
  kVerbose,
  kRaw,
  kRead,
  kWrite,
  kKvm,
  kInjectOpt,
  kFaultOpt,
  kAbsoluteTimestamps,
  kDecodePids,
  kPidnsTranslation,
  kOutputSeparately,
  kSyscallLimit,
  kTips,
  kColor,
  kStringsInHex,
  kSeccompBpf,
  kJson,
  kPerfetto,
  kWholeLines,
  kSpinUs,
  kRewrite,
  kRules,
  kExpr,
  kBreak,
  kBreakBt,
  kBackend,
  kRecord,
};

// clang-format off
constexpr TraceOptionSpec kSpecs[] = {
  // Startup.
  {'E', "env", ArgMode::Required, "VAR=VAL", "Put VAR=VAL in the command's environment (-E VAR: remove VAR)"},
  {'p', "attach", ArgMode::Required, "PID", "Trace the process PID (repeatable, or PID,PID,...)"},
  {'u', "user", ArgMode::Required, "USERNAME", "Run the command as USERNAME (its uid, gid and groups)"},
  // Tracing.
  {'b', "detach-on", ArgMode::Required, "execve", "Detach from a process when it calls execve"},
  {'D', "daemonize", ArgMode::Optional, "MODE", "Trace from a detached grandchild, the command being the shell's child (-DD/-DDD: own process group/session)"},
  {'f', "follow-forks", ArgMode::None, nullptr, "Follow forks (-ff: one output file per process, with -o)"},
  {kOutputSeparately, "output-separately", ArgMode::None, nullptr, "With -f and -o FILE: write each process to FILE.PID"},
  {'I', "interruptible", ArgMode::Required, "N", "1/anywhere: ptk dies of them, 2/waiting: they stop the trace; 3/never, 4/never_tstp: ignored"},
  // Filtering.
  {'e', "expr", ArgMode::Required, "EXPR", "A qualifying expression: trace=, signal=, status=, quiet=, raw=, verbose=, abbrev=, decode-fds=, decode-pids=, inject=, fault="},
  {kTrace, "trace", ArgMode::Required, "SET", "Trace only the syscalls in SET (-e trace=SET)"},
  {kSignal, "signal", ArgMode::Required, "SET", "Print only the signals in SET (-e signal=SET)"},
  {kSignal, "signals", ArgMode::Required, "SET", nullptr},
  {kStatus, "status", ArgMode::Required, "SET", "Print only the syscalls that ended as SET: successful, failed, unfinished, unavailable, detached"},
  {'P', "trace-path", ArgMode::Required, "PATH", "Trace only syscalls touching PATH (globs allowed)"},
  {'z', "successful-only", ArgMode::None, nullptr, "Print only syscalls that succeeded"},
  {'Z', "failed-only", ArgMode::None, nullptr, "Print only syscalls that failed"},
  {kSyscallLimit, "syscall-limit", ArgMode::Required, "N", "Detach from every process after N syscalls were printed"},
  // Output format.
  {'a', "columns", ArgMode::Required, "COLUMN", "Align syscall results at COLUMN (40)"},
  {kAbbrev, "abbrev", ArgMode::Required, "SET", "Abbreviate the output of the syscalls in SET (abbrev=none is -v)"},
  {kVerbose, "verbose", ArgMode::Required, "SET", "Print the structures of the syscalls in SET in full"},
  {kRaw, "raw", ArgMode::Required, "SET", "Print the arguments of the syscalls in SET undecoded, in hex"},
  {kRead, "read", ArgMode::Required, "SET", "Dump in hex the data read from the descriptors in SET"},
  {kWrite, "write", ArgMode::Required, "SET", "Dump in hex the data written to the descriptors in SET"},
  {'q', "quiet", ArgMode::Optional, "SET", "Suppress attach/detach messages (-qq: exits too; -qqq, --quiet=all: all); SET of attach, exit, path-resolution, personality, thread-execve"},
  {'q', "silent", ArgMode::Optional, "SET", nullptr},  // strace's other spellings of --quiet
  {'q', "silence", ArgMode::Optional, "SET", nullptr},
  {kKvm, "kvm", ArgMode::Required, "vcpu", "Print KVM vCPU exit reasons after KVM_RUN's return value"},
  {'y', "decode-fds", ArgMode::Optional, "SET", "Print paths of descriptors (-yy: all details); SET of path, socket, dev, pidfd, signalfd, eventfd"},
  {'Y', nullptr, ArgMode::None, nullptr, "Print the command names of pids (--decode-pids=comm)"},
  {kDecodePids, "decode-pids", ArgMode::Required, "SET", "comm: command names of pids; pidns: pids in ptk's namespace too"},
  {kPidnsTranslation, "pidns-translation", ArgMode::None, nullptr, "Print pids in ptk's namespace too (--decode-pids=pidns)"},
  {'i', "instruction-pointer", ArgMode::None, nullptr, "Print the instruction pointer at each syscall"},
  {'k', "stack-traces", ArgMode::Optional, "symbol", "Print the stack trace at each syscall"},
  {'n', "syscall-number", ArgMode::None, nullptr, "Print the syscall number"},
  {'N', "arg-names", ArgMode::None, nullptr, "Print the name of each argument (fd=3)"},
  {'o', "output", ArgMode::Required, "FILE", "Write the trace to FILE (|CMD: pipe it to CMD)"},
  {'A', "output-append-mode", ArgMode::None, nullptr, "Append to the -o file"},
  {'r', "relative-timestamps", ArgMode::Optional, "PRECISION", "Prefix lines with the time since the previous one (s, ms, us, ns)"},
  {'s', "string-limit", ArgMode::Required, "STRSIZE", "Print at most STRSIZE bytes of each string (32)"},
  {kAbsoluteTimestamps, "absolute-timestamps", ArgMode::Optional, "FORMAT", "Prefix lines with the time: [format:]none|time|unix, [precision:]s|ms|us|ns"},
  {kAbsoluteTimestamps, "timestamps", ArgMode::Optional, "FORMAT", nullptr},
  {'t', nullptr, ArgMode::None, nullptr, "Prefix lines with the time (-tt: microseconds, -ttt: since the epoch)"},
  {'T', "syscall-times", ArgMode::Optional, "PRECISION", "Show the time spent in each syscall (s, ms, us, ns)"},
  {'v', "no-abbrev", ArgMode::None, nullptr, "Print structures and arrays unabbreviated"},
  {'x', nullptr, ArgMode::None, nullptr, "Print non-ASCII strings in hex (-xx: all strings)"},
  {kStringsInHex, "strings-in-hex", ArgMode::Optional, "WHICH", "Strings in hex: non-ascii-chars (the escapes only), non-ascii, all (the default), none"},
  {'X', "const-print-style", ArgMode::Required, "FORMAT", "Named constants: raw (numbers), abbrev (names), verbose (both)"},
  {kColor, "color", ArgMode::Optional, "WHEN", "Color the trace: auto (the default: on a terminal, unless NO_COLOR is set), always (also --color alone) or never"},
  // Statistics.
  {'c', "summary-only", ArgMode::None, nullptr, "Count time, calls and errors per syscall; print only the summary"},
  {'C', "summary", ArgMode::None, nullptr, "Like -c, and print the trace as well"},
  {'O', "summary-syscall-overhead", ArgMode::Required, "OVERHEAD", "Take OVERHEAD[s|ms|us|ns] off each syscall's time in the summary"},
  {'S', "summary-sort-by", ArgMode::Required, "SORTBY", "Sort the summary by time, min-time, max-time, avg-time, calls, errors, name, nothing"},
  {'U', "summary-columns", ArgMode::Required, "COLUMNS", "The summary's columns: time-percent, total-time, min-time, max-time, avg-time, calls, errors, name"},
  {'w', "summary-wall-clock", ArgMode::None, nullptr, "Summarise wall-clock time rather than system time"},
  // Tampering.
  {kInjectOpt, "inject", ArgMode::Required, "SPEC", "Tamper with syscalls: as -e inject=SPEC"},
  {kFaultOpt, "fault", ArgMode::Required, "SPEC", "Fail syscalls: as -e fault=SPEC"},
  {kRewrite, "rewrite", ArgMode::Required, "RULE", "Rewrite syscalls by RULE (repeatable; docs/rewrite-rules.md)"},
  {kRules, "rules", ArgMode::Required, "FILE", "Rewrite rules from FILE, one per line (repeatable)"},
  // Miscellaneous.
  {'d', "debug", ArgMode::None, nullptr, "Accepted for strace's sake: ptk has no debug output (--json shows every event)"},
  {kSeccompBpf, "seccomp-bpf", ArgMode::None, nullptr, "Stop only at traced syscalls, with a seccomp-bpf filter (spawned tracees)"},
  {kTips, "tips", ArgMode::Optional, "ID", "Print a tip about ptk at the end"},
  {kJson, "json", ArgMode::None, nullptr, "Write JSON Lines (docs/json-schema.md) instead of text"},
  {kPerfetto, "perfetto", ArgMode::Required, "FILE", "Also write a trace for ui.perfetto.dev to FILE"},
  {kRecord, "record", ArgMode::Required, "FILE", "Record the raw events to FILE instead of printing (render with ptk show FILE; not with -o, -c, -C, --json, --perfetto, -k, --break or tampering)"},
  {kWholeLines, "whole-lines", ArgMode::None, nullptr, "One complete line per syscall, printed at its exit (no unfinished/resumed)"},
  // Breakpoints in the same run (ptk/engine: one engine for every job).
  {kBreak, "break", ArgMode::Required, "LOCATION", "Also stop at LOCATION (symbol, lib:symbol, file:line, 0xADDR) in each traced program; each hit is a line of the trace (repeatable)"},
  {kBreakBt, "bt", ArgMode::None, nullptr, "With --break: the stack at each hit, as -k shows a syscall's"},
  // Backends.
  {kBackend, "backend", ArgMode::Required, "NAME", "ptrace (the default: stops at each syscall; every option), bpf (an eBPF program copies each syscall's data without stopping the tracee; tracing options only), auto (bpf when it is allowed and the options need no stops, else ptrace)"},
  {kSpinUs, "spin-us", ArgMode::Required, "US", "Poll for the next stop this long before sleeping (0: always sleep)"},
  {'h', "help", ArgMode::None, nullptr, "Print this help"},
  {'V', "version", ArgMode::None, nullptr, "Print the version"},
};
// clang-format on

Error bad(std::string_view option, std::string hint) {
  return Error(ErrorKind::InvalidArgument, std::string(option), 0, std::move(hint));
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// "s", "ms", "us", "ns" as the number of digits after the seconds' point.
bool parse_precision(std::string_view s, int& digits) {
  if (s == "s")
    digits = 0;
  else if (s == "ms")
    digits = 3;
  else if (s == "us")
    digits = 6;
  else if (s == "ns")
    digits = 9;
  else
    return false;
  return true;
}

// --absolute-timestamps=[[format:]FORMAT[,[precision:]PRECISION]]
// Each option sets only what it names: --absolute-timestamps=format:unix
// --absolute-timestamps=precision:s is unix time in seconds, as strace reads them.
Status parse_absolute_timestamps(std::string_view value, TraceOptions& o) {
  int format = -1;  // unset
  int digits = -1;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (item.starts_with("format:")) item.remove_prefix(7);
    if (item.starts_with("precision:")) item.remove_prefix(10);
    if (item == "none")
      format = 0;
    else if (item == "time")
      format = 1;
    else if (item == "unix")
      format = 3;
    else if (!parse_precision(item, digits)) {
      return bad(fmt::format("--absolute-timestamps={}", item),
                 "expected none, time or unix, and a precision of s, ms, us or ns");
    }
  }
  if (o.timestamps > 0 && digits < 0) {
    // The precision set before (-tt's microseconds included) stays.
    digits = o.timestamp_digits >= 0 ? o.timestamp_digits : (o.timestamps >= 2 ? 6 : 0);
  }
  if (format < 0) format = o.timestamps >= 3 ? 3 : 1;
  o.timestamps = format;
  o.timestamp_digits = format == 0 ? -1 : digits;
  return ok_status();
}

Status apply(int id, const char* optarg, TraceOptions& o) {
  std::string_view v = optarg != nullptr ? optarg : "";
  auto expr = [&](std::string_view key) { o.exprs.push_back(fmt::format("{}={}", key, v)); };
  switch (id) {
    case 'E':
      o.env.emplace_back(v);
      break;
    case 'p':
      o.pid_args.emplace_back(v);
      break;
    case 'u':
      o.user = v;
      break;
    case 'b':
      if (v != "execve") return bad(fmt::format("-b {}", v), "only execve is supported, as strace");
      o.detach_on_execve = true;
      break;
    case 'D':
      if (!v.empty() && v != "grandchild" && v != "pgroup" && v != "pgrp" && v != "session") {
        return bad(fmt::format("--daemonize={}", v), "expected grandchild, pgroup or session");
      }
      // -D, -DD, -DDD as strace counts them; a named mode sets the level.
      if (v.empty()) {
        o.daemonize = std::min(o.daemonize + 1, 3);
      } else {
        o.daemonize = v == "grandchild" ? 1 : v == "session" ? 3 : 2;
      }
      break;
    case 'f':
      ++o.follow;
      break;
    case kOutputSeparately:
      o.output_separately = true;
      break;
    case 'I':
      // strace's names; "always" is its other name of "anywhere".
      if (v == "1" || v == "anywhere" || v == "always")
        o.interruptible = 1;
      else if (v == "2" || v == "waiting")
        o.interruptible = 2;
      else if (v == "3" || v == "never")
        o.interruptible = 3;
      else if (v == "4" || v == "never_tstp")
        o.interruptible = 4;
      else
        return bad(fmt::format("-I {}", v), "expected 1-4, anywhere, waiting, never or never_tstp");
      break;
    case 'e':
      o.exprs.emplace_back(v);
      break;
    case kTrace:
      expr("trace");
      break;
    case kSignal:
      expr("signal");
      break;
    case kStatus:
      expr("status");
      break;
    case 'P':
      o.paths.emplace_back(v);
      break;
    case 'z':
      o.only_successful = true;
      break;
    case 'Z':
      o.only_failed = true;
      break;
    case kSyscallLimit:
      if (!parse_number(v, o.syscall_limit) || o.syscall_limit == 0) {
        return bad(fmt::format("--syscall-limit={}", v), "expected a positive number");
      }
      break;
    case 'a':
      if (!parse_number(v, o.acolumn) || o.acolumn < 0) {
        return bad(fmt::format("-a {}", v), "expected a column number");
      }
      break;
    case kAbbrev:
      expr("abbrev");
      break;
    case kVerbose:
      expr("verbose");
      break;
    case kRaw:
      expr("raw");
      break;
    case kRead:
      expr("read");
      break;
    case kWrite:
      expr("write");
      break;
    case kKvm:
      expr("kvm");
      break;
    case 'q':
      if (optarg != nullptr) {
        expr("quiet");
      } else {
        // -q: attach and personality; -qq: exits too; -qqq: everything.
        o.quiet = (o.quiet & kQuietExit) ? kQuietAll
                  : o.quiet != 0         ? o.quiet | kQuietExit
                                         : kQuietAttach | kQuietPersonality;
      }
      break;
    case 'y':
      if (optarg != nullptr) {
        expr("decode-fds");
      } else {
        o.decode_fds = o.decode_fds == 0 ? kDecodeFdPath : kDecodeFdAll;
      }
      break;
    case 'Y':
      o.decode_pids |= kDecodePidComm;
      break;
    case kDecodePids:
      expr("decode-pids");
      break;
    case kPidnsTranslation:  // strace's spelling before --decode-pids (5.9)
      o.decode_pids |= kDecodePidNs;
      break;
    case 'i':
      o.instruction_pointer = true;
      break;
    case 'k':
      ++o.stack_trace;
      break;
    case 'n':
      o.syscall_numbers = true;
      break;
    case 'N':
      o.arg_names = true;
      break;
    case 'o':
      o.output = v;
      break;  // the last one counts, as in strace
    case 'A':
      o.append = true;
      break;
    case 'r':
      o.relative = true;
      if (optarg != nullptr && !parse_precision(v, o.relative_digits)) {
        return bad(fmt::format("-r {}", v), "expected a precision of s, ms, us or ns");
      }
      break;
    case 's':
      if (!parse_number(v, o.string_limit) || o.string_limit < 0) {
        return bad(fmt::format("-s {}", v), "expected a non-negative string size");
      }
      break;
    case kAbsoluteTimestamps:
      if (optarg == nullptr) {
        o.timestamps = std::max(o.timestamps, 1);
        return ok_status();
      }
      return parse_absolute_timestamps(v, o);
    case 't':
      o.timestamps = std::min(o.timestamps + 1, 3);
      break;
    case 'T':
      o.syscall_times = true;
      if (optarg != nullptr && !parse_precision(v, o.syscall_time_digits)) {
        return bad(fmt::format("-T {}", v), "expected a precision of s, ms, us or ns");
      }
      break;
    case 'v':
      o.verbose = true;
      break;
    case 'x':
      o.xlevel = std::min(o.xlevel + 1, 2);
      break;
    case kStringsInHex:
      // strace: the long form without a value means all.
      if (optarg == nullptr || v == "all")
        o.xlevel = 2;
      else if (v == "non-ascii")
        o.xlevel = 1;
      else if (v == "non-ascii-chars")
        o.xlevel = 3;
      else if (v == "none")
        o.xlevel = 0;
      else
        return bad(fmt::format("--strings-in-hex={}", v),
                   "expected none, non-ascii-chars, non-ascii or all");
      break;
    case 'X':
      if (v == "raw")
        o.const_style = ConstStyle::Raw;
      else if (v == "abbrev")
        o.const_style = ConstStyle::Abbrev;
      else if (v == "verbose")
        o.const_style = ConstStyle::Verbose;
      else
        return bad(fmt::format("-X {}", v), "expected raw, abbrev or verbose");
      break;
    case kColor: {
      // --color alone is "always", as GNU ls and grep read it.
      std::optional<ColorWhen> when = v.empty() ? ColorWhen::Always : parse_color_when(v);
      if (!when) return bad(fmt::format("--color={}", v), "expected auto, always or never");
      o.color = *when;
      break;
    }
    case 'c':
      o.summary = true;
      break;
    case 'C':
      o.summary_too = true;
      break;
    case 'O':
      return parse_summary_overhead(v, o.summary_opts);
    case 'S':
      return parse_summary_sort(v, o.summary_opts);
    case 'U':
      return parse_summary_columns(v, o.summary_opts);
    case 'w':
      o.summary_opts.wall_clock = true;
      break;
    case kInjectOpt:
      expr("inject");  // in order with -e inject=/fault=: the last rule of a syscall wins
      break;
    case kFaultOpt:
      expr("fault");
      break;
    case kRewrite:
      o.rewrite.rules.emplace_back(v);
      break;
    case kRules:
      o.rewrite.files.emplace_back(v);
      break;
    case 'd':
      break;
    case kSeccompBpf:
      o.seccomp_bpf = true;
      break;
    case kTips:
      o.tips = true;
      break;
    case kJson:
      o.json = true;
      break;
    case kPerfetto:
      o.perfetto = v;
      break;
    case kRecord:
      o.record = v;
      break;
    case kWholeLines:
      o.whole_lines = true;
      break;
    case kBreak:
      o.breaks.emplace_back(v);
      break;
    case kBreakBt:
      o.break_bt = true;
      break;
    case kBackend:
      if (v == "ptrace") {
        o.backend = TraceBackend::Ptrace;
      } else if (v == "bpf" || v == "ebpf") {
        o.backend = TraceBackend::Bpf;
      } else if (v == "auto") {
        o.backend = TraceBackend::Auto;
      } else {
        return bad("--backend", fmt::format("'{}' is not a backend: ptrace, bpf or auto", v));
      }
      break;
    case kSpinUs:
      if (!parse_number(v, o.spin_us) || o.spin_us < 0) {
        return bad(fmt::format("--spin-us {}", v), "expected microseconds");
      }
      break;
    default:
      break;
  }
  return ok_status();
}

const TraceOptionSpec* find_spec(std::span<const TraceOptionSpec> specs, int id) {
  for (const TraceOptionSpec& s : specs) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace

std::span<const TraceOptionSpec> trace_option_specs() { return kSpecs; }

Result<TraceRequest> parse_trace_args(int argc, char** argv, TraceOptions& o) {
  return parse_option_table(kSpecs, "trace", argc, argv, o);
}

Result<TraceRequest> parse_option_table(std::span<const TraceOptionSpec> specs,
                                        std::string_view cmd, int argc, char** argv,
                                        TraceOptions& o, bool options_end_at_first_word) {
  // "+": options end at the command (else getopt takes them anywhere); ':' reports a missing
  // value.
  std::string optstring = options_end_at_first_word ? "+:" : ":";
  std::vector<option> longs;
  for (const TraceOptionSpec& s : specs) {
    // A letter once: the rows after the first are other long names of the same option.
    if (s.id < 256 && optstring.find(static_cast<char>(s.id), options_end_at_first_word ? 2 : 1) ==
                          std::string::npos) {
      optstring += static_cast<char>(s.id);
      if (s.arg == ArgMode::Required) optstring += ':';
      // A letter never takes an optional value (strace: -qq is -q twice, not -q=q); only the
      // long form does (--quiet=exit).
    }
    if (s.long_name != nullptr) {
      int has = s.arg == ArgMode::None       ? no_argument
                : s.arg == ArgMode::Required ? required_argument
                                             : optional_argument;
      longs.push_back({s.long_name, has, nullptr, s.id});
    }
  }
  longs.push_back({nullptr, 0, nullptr, 0});
  // getopt keeps its state in globals: start over, and say nothing itself (opterr = 0).
  optind = 0;
  opterr = 0;
  TraceRequest request = TraceRequest::Trace;
  for (;;) {
    int long_index = -1;
    int c = getopt_long(argc, argv, optstring.c_str(), longs.data(), &long_index);
    if (c == -1) break;
    if (c == '?' || c == ':') {
      std::string what = optopt != 0 && optopt < 256 ? fmt::format("-{}", static_cast<char>(optopt))
                                                     : std::string(argv[optind - 1]);
      if (optopt > 255) {
        if (const TraceOptionSpec* s = find_spec(specs, optopt)) {
          what = fmt::format("--{}", s->long_name);
        }
      }
      return bad(what, c == ':' ? fmt::format("this option needs a value (see ptk {} --help)", cmd)
                                : fmt::format("unknown option (see ptk {} --help)", cmd));
    }
    if (c == 'h') request = TraceRequest::Help;
    if (c == 'V') request = TraceRequest::Version;
    PTK_TRY(apply(c, optarg, o));
  }
  for (int i = optind; i < argc; ++i) o.command.emplace_back(argv[i]);
  return request;
}

std::string trace_help() {
  return option_table_help(kSpecs,
                           "Trace system calls and signals, like strace\n\n"
                           "Usage: ptk trace [OPTIONS] { -p PID | [--] COMMAND [ARGS...] }\n");
}

std::string option_table_help(std::span<const TraceOptionSpec> specs, std::string_view head) {
  std::string out = fmt::format("{}\nOptions:\n", head);
  for (const TraceOptionSpec& s : specs) {
    if (s.help == nullptr) continue;
    std::string names;
    if (s.id < 256) names = fmt::format("-{}", static_cast<char>(s.id));
    if (s.long_name != nullptr) {
      names += fmt::format("{}--{}", names.empty() ? "" : ", ", s.long_name);
      if (s.arg == ArgMode::Required) names += fmt::format("={}", s.metavar);
      if (s.arg == ArgMode::Optional) names += fmt::format("[={}]", s.metavar);
    } else if (s.arg == ArgMode::Required) {
      names += fmt::format(" {}", s.metavar);
    }
    out += fmt::format("  {:<34} {}\n", names, s.help);
  }
  return out;
}

}  // namespace ptk::cli
