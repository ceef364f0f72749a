// --rules FILE: one rule per line.
#include <fmt/format.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "ptk/tamper/rules.h"

namespace ptk::tamper {

Result<std::vector<Rule>> parse_rules_text(std::string_view text, std::string_view name) {
  std::vector<Rule> rules;
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    std::size_t last = line.find_last_not_of(" \t\r");
    line = line.substr(first, last - first + 1);
    if (rules.size() == kMaxRulesPerFile) {
      return Error(ErrorKind::InvalidArgument,
                   fmt::format("{}:{}: more than {} rules", name, line_no, kMaxRulesPerFile));
    }
    auto rule = parse_rule(line);
    if (!rule.ok()) {
      return Error(ErrorKind::InvalidArgument,
                   fmt::format("{}:{}: {}", name, line_no, rule.error().call()), 0,
                   rule.error().hint());
    }
    rules.push_back(std::move(rule).value());
  }
  return rules;
}

Result<std::vector<Rule>> load_rules_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::from_errno(errno, fmt::format("--rules {}: open", path));
  std::string text(kMaxRulesFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Error::from_errno(errno, fmt::format("--rules {}: read", path));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxRulesFileBytes) {
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("--rules {}: larger than {} bytes", path, kMaxRulesFileBytes));
  }
  if (text.find('\0') != std::string::npos) {
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("--rules {}: a NUL byte (not a text file)", path));
  }
  return parse_rules_text(text, path);
}

}  // namespace ptk::tamper
