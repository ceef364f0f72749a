#include <fmt/format.h>

#include "completion/completion_scripts.h"

namespace ptk::cli {

std::string kind_word(ValueKind kind, const std::vector<std::string>& choices) {
  switch (kind) {
    case ValueKind::None:
      return "none";
    case ValueKind::Any:
      return "any";
    case ValueKind::Pid:
      return "pid";
    case ValueKind::File:
      return "file";
    case ValueKind::Signal:
      return "signal";
    case ValueKind::Syscall:
      return "syscall";
    case ValueKind::Expr:
      return "expr";
    case ValueKind::Choice:
      return "choice:" + joined(choices, ",");
  }
  return "any";
}

std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string joined(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

std::string option_list(const CompletionModel& model) {
  std::string out;
  for (const CompletionOption& o : model.options) {
    for (const std::string& n : o.names) out += fmt::format("ptk {}\n", n);
  }
  for (const CompletionCommand& c : model.commands) {
    for (const CompletionOption& o : c.options) {
      for (const std::string& n : o.names) out += fmt::format("{} {}\n", c.name, n);
    }
  }
  return out;
}

}  // namespace ptk::cli
