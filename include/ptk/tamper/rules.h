// ptk's --rewrite rules: a small declarative language over decoded syscalls (documented with
// examples in docs/rewrite-rules.md), compiled into a tamper Hook.
//
//   openat(path="/etc/hostname") -> path="/tmp/myhost"
//   write if fd=1 -> buf=reverse
//   %file if path~"/etc/*" and #2 -> deny=EACCES
//
// A rule is checked completely when it is parsed: unknown syscalls, arguments, errnos and
// signals, bad globs and regexes, and actions that do not fit the syscall are refused with one
// line that quotes the offending part, before any tracee starts.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/base/result.h"
#include "ptk/tamper/hook.h"

namespace ptk::tamper {

namespace rules {
struct RuleData;  // the parsed and resolved rule (src/tamper/rules_model.h)
}

// Bounds that keep a rule, and what it does to a tracee, small.
inline constexpr std::size_t kMaxRuleLength = 4096;          // characters of one rule
inline constexpr std::size_t kMaxStringLength = 4095;        // a string literal (PATH_MAX - 1)
inline constexpr std::size_t kMaxRegexLength = 1024;         // a regex's source
inline constexpr std::size_t kMaxBufferBytes = 1u << 20;     // bytes a buffer action reads/writes
inline constexpr std::size_t kMaxRulesPerFile = 1024;        // rules in one --rules file
inline constexpr std::size_t kMaxRulesFileBytes = 1u << 20;  // size of a --rules file

// One parsed rule. Cheap to copy (the parsed form is shared and immutable).
class Rule {
 public:
  // The rule as written.
  const std::string& text() const;
  // The rule in one normalized spelling (the parser's view; used by tests and --help).
  std::string canonical() const;
  // True when the rule may apply to this syscall of this ABI (its match, and every argument
  // it names exists with a fitting type).
  bool covers(Arch arch, const SyscallSpec* spec) const;

  const rules::RuleData& data() const { return *data_; }

 private:
  friend Result<Rule> parse_rule(std::string_view text);
  explicit Rule(std::shared_ptr<const rules::RuleData> d) : data_(std::move(d)) {}
  std::shared_ptr<const rules::RuleData> data_;
};

// Parses and checks one rule. The error's message names the offending part, e.g.
// `openat has no argument "pth" (arguments: dfd, filename, flags, mode)`.
Result<Rule> parse_rule(std::string_view text);

// Rules from text, one per line; blank lines and comment lines (the first non-blank character
// is '#'; a rule never starts with one) are skipped. Errors read "NAME:LINE: message".
Result<std::vector<Rule>> parse_rules_text(std::string_view text, std::string_view name);
// The same from a file (--rules FILE).
Result<std::vector<Rule>> load_rules_file(const std::string& path);

struct RulesHookOptions {
  // Where one-line diagnostics go (a rewrite the kernel did not honour, a buffer over the
  // bound...). Each distinct message is reported once. Default: "ptk: MESSAGE" on stderr.
  std::function<void(const std::string&)> warn;
};

// A Hook that applies the rules in order at every syscall they cover.
std::unique_ptr<Hook> make_rules_hook(std::vector<Rule> rules, RulesHookOptions options = {});

}  // namespace ptk::tamper
