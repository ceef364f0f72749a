#include "completion/completion_model.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "ptk/arch/syscalls.h"
#include "ptk/core/host.h"
#include "ptk/core/wait_status.h"
#include "show/show_cmd.h"
#include "trace/trace_args.h"

namespace ptk::cli {
namespace {

// What an option's value is, from its long name and the name its help gives the value. Both
// parsers name their values the same way (PID, FILE), so one rule serves them.
ValueKind kind_of(std::string_view name, std::string_view metavar) {
  constexpr std::string_view kPids[] = {"pid", "tid", "attach"};
  constexpr std::string_view kFiles[] = {"output", "shellcode", "lib",
                                         "rules",  "perfetto",  "trace-path"};
  constexpr std::string_view kSyscalls[] = {"trace",  "abbrev", "verbose",     "raw",
                                            "inject", "fault",  "from-syscall"};
  auto in = [name](const auto& list) {
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
  };
  if (metavar == "PID" || in(kPids)) return ValueKind::Pid;
  if (metavar == "FILE" || metavar == "PATH" || in(kFiles)) return ValueKind::File;
  if (in(kSyscalls)) return ValueKind::Syscall;
  if (name == "signal" || name == "signals") return ValueKind::Signal;
  if (name == "expr") return ValueKind::Expr;
  return ValueKind::Any;
}

std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

// CLI11 writes "N:INT in [0 - 16]" for a checked value: the name is the part before the ':'.
std::string metavar_of(const std::string& type_name) {
  return type_name.substr(0, std::min(type_name.find(':'), type_name.find(' ')));
}

CompletionOption from_cli11(const CLI::Option& opt) {
  CompletionOption out;
  for (const std::string& s : opt.get_snames()) out.names.push_back("-" + s);
  for (const std::string& l : opt.get_lnames()) out.names.push_back("--" + l);
  out.help = first_line(opt.get_description());
  if (opt.get_expected_max() > 0) {  // a flag expects no value
    std::string long_name = opt.get_lnames().empty() ? "" : opt.get_lnames().front();
    out.value = kind_of(long_name, metavar_of(opt.get_type_name()));
  }
  return out;
}

// ptk trace's options come from its getopt table, aliases (no help of their own) included;
// ptk show's from its part of the same table (it runs no command: it takes a file).
CompletionCommand trace_command(const CLI::App& stub, CompletionModel& model) {
  CompletionCommand cmd;
  cmd.name = stub.get_name();
  cmd.help = stub.get_description();
  bool show = cmd.name == "show";
  cmd.runs_command = !show;
  cmd.command_at_first_word = !show;  // getopt's "+": the options end at the command
  if (show) cmd.positional = ValueKind::File;
  for (const TraceOptionSpec& s : show ? show_option_specs() : trace_option_specs()) {
    CompletionOption o;
    if (s.id < 256) o.names.push_back(std::string("-") + static_cast<char>(s.id));
    if (s.long_name != nullptr) o.names.push_back(std::string("--") + s.long_name);
    o.help = s.help != nullptr ? s.help : "";
    if (s.arg != ArgMode::None) {
      o.value = kind_of(s.long_name != nullptr ? s.long_name : "", s.metavar);
      o.value_optional = s.arg == ArgMode::Optional;
    }
    if (s.id == 'e' && s.help != nullptr && !show) {
      // The keys -e takes are the words of its help that end in '=' ("trace=, signal=, ...").
      std::string_view h = s.help;
      for (std::size_t eq = h.find('='); eq != std::string_view::npos; eq = h.find('=', eq + 1)) {
        std::size_t start = h.find_last_of(" :", eq) + 1;
        std::string key(h.substr(start, eq - start));
        model.expr_keys.push_back(key);
        model.expr_kinds.push_back(kind_of(key, ""));
      }
    }
    cmd.options.push_back(std::move(o));
  }
  return cmd;
}

CompletionCommand cli11_command(const CLI::App& sub) {
  CompletionCommand cmd;
  cmd.name = sub.get_name();
  cmd.help = sub.get_description();
  cmd.runs_command = sub.get_footer().find("-- COMMAND") != std::string::npos;
  bool first_positional = true;
  for (const CLI::Option* opt : sub.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional()) {
      if (!first_positional) continue;
      first_positional = false;
      std::string type(metavar_of(opt->get_type_name()));
      if (opt->get_name() == "pid" || opt->get_description().starts_with("PID")) {
        cmd.positional = ValueKind::Pid;
      } else if (type == "CAPABILITY") {
        cmd.positional = ValueKind::Choice;
        for (HostCapability c : kHostCapabilities) cmd.choices.emplace_back(to_string(c));
      }
      continue;
    }
    cmd.options.push_back(from_cli11(*opt));
  }
  return cmd;
}

}  // namespace

CompletionModel build_completion_model(const CLI::App& app) {
  CompletionModel model;
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->get_group().empty() && !opt->get_positional())
      model.options.push_back(from_cli11(*opt));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden (ptk completion itself)
    bool getopt = sub->get_name() == "trace" || sub->get_name() == "show";
    model.commands.push_back(getopt ? trace_command(*sub, model) : cli11_command(*sub));
  }
  std::set<std::string> syscalls;
  for (Arch arch : kAllArches) {
    for (const SyscallSpec& s : syscall_table(arch)) syscalls.emplace(s.name);
  }
  model.syscalls.assign(syscalls.begin(), syscalls.end());
  constexpr int kLastNamed = 32;  // SIGRTMIN; the SIGRT_n after it are left to the user
  for (int sig = 1; sig <= kLastNamed; ++sig) model.signals.push_back(signal_name(sig));
  return model;
}

}  // namespace ptk::cli
