// The lookup functions the bash and zsh scripts share: plain `case` statements, which both
// shells read alike.
#include <fmt/format.h>

#include "completion/completion_scripts.h"

namespace ptk::cli {
namespace {

// "opt:KIND" for a value that only --name=VALUE gives (a letter of it takes none).
std::string value_word(const CompletionOption& o, const std::string& name) {
  if (o.value == ValueKind::None) return "none";
  if (!o.value_optional) return kind_word(o.value);
  return name.starts_with("--") ? "opt:" + kind_word(o.value) : "none";
}

}  // namespace

std::string shell_tables(const CompletionModel& model) {
  std::string out;
  std::vector<std::string> names;
  for (const CompletionCommand& c : model.commands) names.push_back(c.name);
  out += fmt::format("_ptk_commands={}\n", single_quoted(joined(names)));
  out += fmt::format("_ptk_syscalls={}\n", single_quoted(joined(model.syscalls)));
  out += fmt::format("_ptk_signals={}\n", single_quoted(joined(model.signals)));
  std::vector<std::string> keys;
  for (const std::string& k : model.expr_keys) keys.push_back(k + "=");
  out += fmt::format("_ptk_expr_keys={}\n", single_quoted(joined(keys)));

  auto all_names = [](const std::vector<CompletionOption>& options) {
    std::vector<std::string> n;
    for (const CompletionOption& o : options) n.insert(n.end(), o.names.begin(), o.names.end());
    return single_quoted(joined(n));
  };
  out += "\n# _ptk_options COMMAND: its options (ptk's own for '').\n_ptk_options() {\n";
  out += fmt::format("  case $1 in\n    '') echo {} ;;\n", all_names(model.options));
  for (const CompletionCommand& c : model.commands) {
    out += fmt::format("    {}) echo {} ;;\n", c.name, all_names(c.options));
  }
  out += "  esac\n}\n";

  out += "\n# _ptk_value COMMAND OPTION[=...]: what OPTION's value is (none: a flag).\n";
  out += "_ptk_value() {\n  case \"$1 ${2%%=*}\" in\n";
  for (const CompletionCommand& c : model.commands) {
    for (const CompletionOption& o : c.options) {
      for (const std::string& n : o.names) {
        std::string v = value_word(o, n);
        if (v != "none") out += fmt::format("    '{} {}') echo {} ;;\n", c.name, n, v);
      }
    }
  }
  out += "    *) echo none ;;\n  esac\n}\n";

  out += "\n# _ptk_positional COMMAND: what its first positional argument is.\n";
  out += "_ptk_positional() {\n  case $1 in\n";
  for (const CompletionCommand& c : model.commands) {
    if (c.positional != ValueKind::None) {
      out += fmt::format("    {}) echo {} ;;\n", c.name, kind_word(c.positional, c.choices));
    }
  }
  out += "  esac\n}\n";

  out +=
      "\n# _ptk_runs COMMAND: how it takes the command to run: after --, or (ptk trace, as\n"
      "# strace) at the first word that is no option.\n_ptk_runs() {\n  case $1 in\n";
  for (const CompletionCommand& c : model.commands) {
    if (c.runs_command) {
      out += fmt::format("    {}) echo {} ;;\n", c.name,
                         c.command_at_first_word ? "first-word" : "dashdash");
    }
  }
  out += "  esac\n}\n";

  out += "\n# _ptk_expr_kind KEY: what ptk trace -e KEY=VALUE's value is.\n";
  out += "_ptk_expr_kind() {\n  case $1 in\n";
  for (std::size_t i = 0; i < model.expr_keys.size(); ++i) {
    out += fmt::format("    {}) echo {} ;;\n", model.expr_keys[i], kind_word(model.expr_kinds[i]));
  }
  out += "  esac\n}\n";
  return out;
}

}  // namespace ptk::cli
