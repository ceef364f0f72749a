#include "trace/trace_options.h"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include <CLI/CLI.hpp>
#include <charconv>

#include "ptk/core/wait_status.h"
#include "ptk/tamper/inject_hook.h"

namespace ptk::cli {
namespace {

Error bad_option(std::string_view option, std::string hint) {
  return Error(ErrorKind::InvalidArgument, std::string(option), 0, std::move(hint));
}

template <typename T>
bool parse_int(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

// A signal by name (SIGINT, INT, sigint) or number.
int parse_signal(std::string_view s) {
  int n = 0;
  if (parse_int(s, n)) return n >= 1 && n <= 64 ? n : 0;
  std::string up(s);
  for (char& c : up) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (!up.starts_with("SIG")) up = "SIG" + up;
  for (int sig = 1; sig <= 64; ++sig) {
    if (signal_name(sig) == up) return sig;
  }
  return 0;
}

Status parse_signal_set(std::string_view expr, std::bitset<65>& out) {
  std::string_view body = expr;
  bool negate = body.starts_with('!');
  if (negate) body.remove_prefix(1);
  out.reset();
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item == "all") {
      out.set();
    } else if (item != "none") {
      int sig = parse_signal(item);
      if (sig == 0) {
        return bad_option(fmt::format("-e signal={}", expr),
                          fmt::format("'{}' is not a signal name or number", item));
      }
      out.set(static_cast<std::size_t>(sig));
    }
  }
  if (negate) out.flip();
  return ok_status();
}

Status parse_status_set(std::string_view expr, unsigned& out) {
  std::string_view body = expr;
  bool negate = body.starts_with('!');
  if (negate) body.remove_prefix(1);
  out = 0;
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item == "successful")
      out |= kStatusSuccessful;
    else if (item == "failed")
      out |= kStatusFailed;
    else if (item == "unfinished")
      out |= kStatusUnfinished;
    else if (item == "unavailable")
      out |= kStatusUnavailable;
    else if (item == "detached")
      out |= kStatusDetached;
    else if (item == "all")
      out |= kStatusAll;
    else if (item != "none") {
      return bad_option(fmt::format("-e status={}", expr),
                        fmt::format("'{}' is not one of successful, failed, unfinished, "
                                    "unavailable, detached",
                                    item));
    }
  }
  if (negate) out = ~out & kStatusAll;
  return ok_status();
}

}  // namespace

// ---- Tampering: -e inject=, -e fault=, --inject, --fault.
Status TraceOptions::finish_tampering() {
  for (const std::string& a : inject_args) {
    PTK_ASSIGN_OR_RETURN(tamper::InjectSpec spec, tamper::parse_inject_spec(a, false));
    injects.push_back(std::move(spec));
  }
  for (const std::string& a : fault_args) {
    PTK_ASSIGN_OR_RETURN(tamper::InjectSpec spec, tamper::parse_inject_spec(a, true));
    injects.push_back(std::move(spec));
  }
  for (const tamper::InjectSpec& spec : injects) {
    for (const std::string& w : spec.warnings) {
      tamper_warnings.push_back(
          fmt::format("-e {}={}: {}", spec.fault ? "fault" : "inject", spec.text, w));
    }
  }
  if (!injects.empty()) {
    hooks.insert(hooks.begin(), std::make_unique<tamper::InjectHook>(injects));
  }
  return ok_status();
}
// ---- end of tampering

Status TraceOptions::finish() {
  signals.set();
  for (const std::string& e : exprs) {
    std::string_view expr = e;
    std::string_view key = "trace", value = expr;
    if (std::size_t eq = expr.find('='); eq != std::string_view::npos) {
      key = expr.substr(0, eq);
      value = expr.substr(eq + 1);
    }
    if (key == "trace" || key == "t") {
      auto f = sys::SyscallFilter::parse(value);
      if (!f.ok()) return std::move(f).error();
      filter = std::move(*f);
    } else if (key == "signal" || key == "signals" || key == "s") {
      PTK_TRY(parse_signal_set(value, signals));
    } else if (key == "status") {
      PTK_TRY(parse_status_set(value, status));
    } else if (key == "inject" || key == "fault") {
      PTK_ASSIGN_OR_RETURN(tamper::InjectSpec spec,
                           tamper::parse_inject_spec(value, key == "fault"));
      injects.push_back(std::move(spec));
    } else {
      return bad_option(
          fmt::format("-e {}", expr),
          fmt::format("unknown qualifier '{}' (known: trace, signal, status, inject, fault)", key));
    }
  }
  PTK_TRY(finish_tampering());
  PTK_TRY(add_rewrite_hook(rewrite, hooks));  // after the inject hooks
  if (only_successful) status = kStatusSuccessful;
  if (only_failed) status = kStatusFailed;
  for (const std::string& arg : pid_args) {
    std::string_view list = arg;
    while (!list.empty()) {
      std::size_t sep = list.find_first_of(", ");
      std::string_view item = list.substr(0, sep);
      list = sep == std::string_view::npos ? std::string_view{} : list.substr(sep + 1);
      if (item.empty()) continue;
      pid_t pid = 0;
      if (!parse_int(item, pid) || pid <= 0) {
        return bad_option(fmt::format("-p {}", arg), fmt::format("'{}' is not a process id", item));
      }
      pids.push_back(pid);
    }
  }
  if (command.empty() && pids.empty()) {
    return bad_option("ptk trace", "give a command to run, or -p PID to attach to");
  }
  if (string_limit < 0) return bad_option("-s", "the string limit cannot be negative");
  if (follow >= 2 && output.empty()) {
    return bad_option("-ff", "one file per process needs -o FILE");
  }
  return ok_status();
}

void add_trace_options(CLI::App& app, TraceOptions& o) {
  app.add_flag("-f", o.follow, "Follow forks (-ff: one output file per process, with -o)");
  app.add_option("-o,--output", o.output, "Write the trace to FILE (|CMD pipes it to CMD)");
  app.add_option("-p,--attach", o.pid_args, "Attach to PID (repeatable, or PID,PID,...)");
  // One value per occurrence (CLI11 lets a vector option swallow the following words, which
  // would take `ptk trace -e trace=open cat` for two expressions).
  app.add_option("-e,--expr", o.exprs,
                 "Qualifying expression: trace=SET, signal=SET, status=SET, inject=SPEC, "
                 "fault=SPEC (as in strace)")
      ->allow_extra_args(false);
  // Tampering.
  app.add_option("--inject", o.inject_args, "Tamper with syscalls: as -e inject=SPEC (strace)")
      ->allow_extra_args(false);
  app.add_option("--fault", o.fault_args, "Fail syscalls: as -e fault=SPEC (strace)")
      ->allow_extra_args(false);
  add_rewrite_options(app, o.rewrite);
  app.add_flag("-z,--successful-only", o.only_successful, "Print only syscalls that succeeded");
  app.add_flag("-Z,--failed-only", o.only_failed, "Print only syscalls that failed");
  app.add_option("-P,--trace-path", o.paths, "Trace only syscalls touching PATH (globs allowed)");
  app.add_option("-s,--string-limit", o.string_limit, "Maximum string size to print (32)");
  app.add_flag("-v,--no-abbrev", o.verbose, "Print structures and arrays unabbreviated");
  app.add_flag("-x", o.xlevel, "Print non-ASCII strings in hex (-xx: all strings)");
  app.add_flag("-y,--decode-fds", o.fd_paths, "Print paths of file descriptors");
  app.add_flag("-t", o.timestamps, "Prefix lines with the time (-tt: microseconds, -ttt: epoch)");
  app.add_flag("-r,--relative-timestamps", o.relative, "Prefix lines with the time since the last");
  app.add_flag("-T,--syscall-times", o.syscall_times, "Show the time spent in each syscall");
  app.add_flag("-c,--summary-only", o.summary, "Count time, calls and errors; print a summary");
  app.add_flag("-C,--summary", o.summary_too, "Like -c, and print the trace as well");
  app.add_flag("-q,--quiet", o.quiet, "Suppress attach/detach messages (-qq: exit messages too)");
  app.add_flag("-k,--stack-traces", o.stack_trace, "Print the stack trace at each syscall");
  app.add_flag("--seccomp-bpf", o.seccomp_bpf,
               "Stop only at traced syscalls, with a seccomp-bpf filter (spawned tracees)");
  app.add_flag("--json", o.json, "Write JSON Lines (docs/json-schema.md) instead of text");
  app.add_option("--perfetto", o.perfetto, "Also write a trace for ui.perfetto.dev to FILE");
  app.add_flag("--whole-lines", o.whole_lines,
               "One complete line per syscall, printed at its exit (no unfinished/resumed)");
  app.add_option("--spin-us", o.spin_us,
                 "Poll for the next stop this long before sleeping (0: always sleep)");
  // The first argument that is not an option starts the command; it and everything after it
  // (its own options included) belong to the command: see remaining() in trace_cmd.cpp.
  app.prefix_command();
}

}  // namespace ptk::cli
