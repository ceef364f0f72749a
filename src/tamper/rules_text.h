// Text machinery of the --rewrite rules: regular expressions, globs and the byte transforms
// (set, reverse, s/re/repl/, replace) that rewrite strings and buffers. Pure code.
#pragma once

#include <regex.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ptk/base/result.h"

namespace ptk::tamper::rules {

// A POSIX extended regular expression (regcomp/regexec), not std::regex: libstdc++'s
// std::regex executor recurses once per input character, so a 1 MiB buffer can overflow the
// stack, and it is slow; glibc's regexec does not recurse on the input, and REG_STARTEND
// lets it match buffers that contain NUL bytes. Patterns are bounded before compiling
// (length, counted repetitions, no back-references) so that neither regcomp nor regexec can
// take exponential time or memory.
class Regex {
 public:
  static Result<std::shared_ptr<const Regex>> compile(std::string_view pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  const std::string& source() const { return source_; }
  std::size_t groups() const { return re_.re_nsub; }  // parenthesized subexpressions
  bool search(std::string_view s) const;
  // The first match in s[from, end): match and groups as offsets into s; nullopt if none.
  static constexpr int kGroups = 10;
  struct Match {
    std::size_t begin[kGroups];
    std::size_t end[kGroups];  // begin == end == npos: the group did not take part
  };
  std::optional<Match> find(std::string_view s, std::size_t from) const;

 private:
  Regex() = default;
  regex_t re_{};
  bool compiled_ = false;
  std::string source_;
};

// s in double quotes, with C escapes for quotes, backslashes and unprintable bytes.
std::string quote(std::string_view s);

// Refuses a pattern whose compiled form glibc would make huge (X+ and X{m,n} copy X, and
// copies nest), or that has back-references (src/tamper/rules_regex_bound.cpp).
Status check_regex_size(std::string_view pattern);

// Checks a glob as fnmatch(3) will see it (an unterminated [ class is refused).
Status check_glob(std::string_view glob);
bool glob_matches(const std::string& glob, std::string_view s);

// How a string or buffer is rewritten.
struct Transform {
  enum class Kind : std::uint8_t { Set, Reverse, Substitute, Replace } kind = Kind::Set;
  std::string text;  // Set: the new bytes; Substitute: the replacement template; Replace: from
  std::string to;    // Replace: to
  std::shared_ptr<const Regex> regex;  // Substitute
  bool global = false;                 // Substitute: every match, not the first only

  bool reads_input() const { return kind != Kind::Set; }
  // The rewritten bytes, or nullopt when they would exceed max_out.
  std::optional<std::string> apply(std::string_view in, std::size_t max_out) const;
  std::string describe() const;  // as a rule spells it
};

}  // namespace ptk::tamper::rules
