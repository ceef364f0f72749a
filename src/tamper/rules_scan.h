// The scanner of the --rewrite rule parser: a cursor over one rule's text with the lexical
// pieces (words, numbers, strings, regex bodies) and errors that quote what was found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ptk/base/result.h"

namespace ptk::tamper::rules {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  std::size_t pos() const { return pos_; }
  // The 1-based column of the next token.
  std::size_t column() {
    skip_space();
    return pos_ + 1;
  }
  bool at_end() {
    skip_space();
    return pos_ >= s_.size();
  }
  // Consumes `tok` (after blanks) if it comes next.
  bool eat(std::string_view tok);
  // Consumes the word `w` if it comes next as a whole word.
  bool eat_word(std::string_view w);
  bool peek(std::string_view tok);
  // [A-Za-z_][A-Za-z0-9_]*, or empty (nothing consumed).
  std::string_view word();
  // The next run of [A-Za-z0-9_+-] (a duration like 10ms, a signed name); may be empty.
  std::string_view chunk();
  void rewind(std::size_t pos) { pos_ = pos; }

  // An integer: decimal, 0x hex or 0-prefixed octal, optionally negative.
  Result<std::int64_t> number(std::string_view what);
  // A double-quoted string with C escapes (\n \t \r \0 \\ \" \xHH), at most kMaxStringLength.
  Result<std::string> string(std::string_view what);
  // The body of /.../ (the opening delimiter already consumed) up to an unescaped '/';
  // "\/" becomes '/', other escapes are kept for regcomp.
  Result<std::string> delimited(std::string_view what);

  // "expected WHAT at column N, found 'TOKEN'".
  Error expected(std::string_view what);
  // The next token as found, for messages ("the end of the rule" at the end).
  std::string found();

 private:
  void skip_space();
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace ptk::tamper::rules
