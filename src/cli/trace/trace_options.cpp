#include "trace/trace_options.h"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include <algorithm>
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
  if (body.empty()) {
    return bad_option(fmt::format("-e signal={}", expr), "invalid signal '': the set is empty");
  }
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
                          fmt::format("invalid signal '{}': not a signal name or number", item));
      }
      out.set(static_cast<std::size_t>(sig));
    }
  }
  if (negate) out.flip();
  return ok_status();
}

// A strace set of names ("[!]all", "none", "a,b,c") into bits; `names` maps each name to its
// bit (several names may share one).
Status parse_name_set(std::string_view option, std::string_view expr,
                      std::initializer_list<std::pair<std::string_view, unsigned>> names,
                      unsigned all, unsigned& out) {
  std::string_view body = expr;
  bool negate = body.starts_with('!');
  if (negate) body.remove_prefix(1);
  out = 0;
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item.empty() || item == "none") continue;
    if (item == "all") {
      out = all;
      continue;
    }
    auto it = std::find_if(names.begin(), names.end(), [&](auto& n) { return n.first == item; });
    if (it == names.end()) {
      std::string known;
      for (auto& [name, bit] : names) known += fmt::format("{}{}", known.empty() ? "" : ", ", name);
      return bad_option(fmt::format("{}={}", option, expr),
                        fmt::format("'{}' is not one of {}", item, known));
    }
    out |= it->second;
  }
  if (negate) out = ~out & all;
  return ok_status();
}

Status parse_status_set(std::string_view expr, unsigned& out) {
  return parse_name_set("-e status", expr,
                        {{"successful", kStatusSuccessful},
                         {"failed", kStatusFailed},
                         {"unfinished", kStatusUnfinished},
                         {"unavailable", kStatusUnavailable},
                         {"detached", kStatusDetached}},
                        kStatusAll, out);
}

Result<sys::SyscallFilter> parse_syscall_set(std::string_view value) {
  return sys::SyscallFilter::parse(value);
}

}  // namespace

Status parse_quiet_set(std::string_view expr, unsigned& out) {
  return parse_name_set("-e quiet", expr,
                        {{"attach", kQuietAttach},
                         {"exit", kQuietExit},
                         {"exits", kQuietExit},
                         {"path-resolution", kQuietPathResolution},
                         {"personality", kQuietPersonality},
                         {"thread-execve", kQuietThreadExecve},
                         {"superseded", kQuietThreadExecve}},
                        kQuietAll, out);
}

Status parse_decode_fds(std::string_view expr, unsigned& out) {
  return parse_name_set("-e decode-fds", expr,
                        {{"path", kDecodeFdPath},
                         {"socket", kDecodeFdSocket},
                         {"dev", kDecodeFdDev},
                         {"pidfd", kDecodeFdPidfd},
                         {"signalfd", kDecodeFdSignalfd},
                         {"eventfd", kDecodeFdEventfd}},
                        kDecodeFdAll, out);
}

Status parse_decode_pids(std::string_view expr, unsigned& out) {
  return parse_name_set("--decode-pids", expr, {{"comm", kDecodePidComm}, {"pidns", kDecodePidNs}},
                        kDecodePidComm | kDecodePidNs, out);
}

// ---- Tampering: -e inject=, -e fault=, --inject, --fault.
Status TraceOptions::finish_tampering() {
  // strace keeps one rule per syscall: a later -e inject=/fault= naming a syscall replaces
  // what earlier ones said about it (qual_fault-exit_group: `fault=all:...` then
  // `fault=exit:...:when=2+` leaves the first exit alone).
  tamper::keep_last_rule_per_syscall(injects);
  for (const tamper::InjectSpec& spec : injects) {
    for (const std::string& w : spec.warnings) {
      tamper_warnings.push_back(
          fmt::format("-e {}={}: {}", spec.fault ? "fault" : "inject", spec.text, w));
    }
  }
  // strace tampers only with the syscalls it traces (-e trace=): `-e trace=writev
  // -e fault=desc` leaves the loader's mmap alone. The same here.
  if (!filter.selects_all()) {
    for (tamper::InjectSpec& spec : injects) {
      for (Arch arch : kAllArches) {
        for (std::size_t nr = 0; nr < sys::SyscallFilter::kMaxNr; ++nr) {
          auto n = static_cast<std::int64_t>(nr);
          if (!filter.selects(arch, n)) spec.syscalls.set(arch, n, false);
        }
      }
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
    } else if (key == "quiet" || key == "silent" || key == "silence" || key == "q") {
      PTK_TRY(parse_quiet_set(value, quiet));
    } else if (key == "decode-fds" || key == "decode_fds" || key == "decode-fd") {
      PTK_TRY(parse_decode_fds(value, decode_fds));
    } else if (key == "decode-pids" || key == "decode_pids") {
      PTK_TRY(parse_decode_pids(value, decode_pids));
    } else if (key == "raw" || key == "x") {
      PTK_ASSIGN_OR_RETURN(sys::SyscallFilter set, parse_syscall_set(value));
      raw_set = std::move(set);
    } else if (key == "verbose" || key == "v") {
      PTK_ASSIGN_OR_RETURN(sys::SyscallFilter set, parse_syscall_set(value));
      verbose_set = std::move(set);
    } else if (key == "abbrev" || key == "a") {
      // abbrev=none is -v; abbrev=all the default; any other set abbreviates only its calls.
      PTK_ASSIGN_OR_RETURN(sys::SyscallFilter set, parse_syscall_set(value));
      abbrev_set.reset();
      if (value == "none" || value == "!all") {
        verbose = true;
      } else if (value != "all") {
        abbrev_set = std::move(set);
      }
    } else if (key == "read" || key == "reads" || key == "r") {
      read_fds = std::string(value);
    } else if (key == "write" || key == "writes" || key == "w") {
      write_fds = std::string(value);
    } else if (key == "kvm") {
      if (value != "vcpu") {
        return bad_option(fmt::format("-e {}", expr), "the only kvm qualifier is vcpu");
      }
      kvm_vcpu = true;
    } else {
      return bad_option(fmt::format("-e {}", expr),
                        fmt::format("unknown qualifier '{}' (known: trace, signal, status, inject, "
                                    "fault, quiet, decode-fds, decode-pids, raw, verbose, abbrev)",
                                    key));
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
  if (output_separately && follow == 0) output_separately = false;
  if (follow >= 2) output_separately = true;
  if (output_separately && output.empty()) {
    // strace ignores -ff without -o; so does ptk, following forks into the one output.
    output_separately = false;
  }
  if (output_separately) follow = 2;
  if (acolumn < 0) return bad_option("-a", "the column cannot be negative");
  return ok_status();
}

}  // namespace ptk::cli
