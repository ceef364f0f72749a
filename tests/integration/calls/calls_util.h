// Helpers for the `ptk calls` tests: traces with addresses masked, lines of a text.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace ptk_test {

// Every "0x..." becomes "0x?": heap, stack and code addresses change from run to run.
inline std::string mask_addresses(const std::string& text) {
  static const std::regex kHex("0x[0-9a-f]+");
  return std::regex_replace(text, kHex, "0x?");
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// A trace with each call split by another thread's output ("name(args) <unfinished ...>" ...
// "<... name resumed> = value", same "[pid N] " prefix and indentation) joined back into one
// line, where the first half was: interleaving differs from run to run, calls do not.
inline std::vector<std::string> join_unfinished(const std::vector<std::string>& lines) {
  static const std::regex kOpen(
      R"(^(\[pid \d+\] )?( *)([A-Za-z_]\w*)\((.*)\) <unfinished \.\.\.>$)");
  static const std::regex kResumed(
      R"(^(\[pid \d+\] )?( *)<\.\.\. ([A-Za-z_]\w*) resumed> (= .*)$)");
  std::vector<std::string> out;
  std::vector<std::size_t> open;  // indexes in `out` of unfinished halves
  for (const std::string& line : lines) {
    std::smatch m;
    if (std::regex_match(line, m, kResumed)) {
      std::string head = fmt::format("{}{}{}(", m[1].str(), m[2].str(), m[3].str());
      auto it = std::find_if(open.rbegin(), open.rend(),
                             [&](std::size_t i) { return out[i].starts_with(head); });
      if (it != open.rend()) {
        std::string& first = out[*it];
        first = first.substr(0, first.size() - std::string(" <unfinished ...>").size()) + " " +
                m[4].str();
        open.erase(std::next(it).base());
        continue;
      }
    } else if (std::regex_match(line, m, kOpen)) {
      open.push_back(out.size());
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace ptk_test
