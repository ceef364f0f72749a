// The syscall expression parser: NAME(ARG, ...), a small recursive descent over the text.
#include "ptk/inject/syscall_expr.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace ptk::inject {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// The one-character escapes of C: \n -> newline, \" -> quote, ...; 0 when `e` is none.
char simple_escape(char e) {
  constexpr std::pair<char, char> kEscapes[] = {
      {'n', '\n'}, {'t', '\t'},   {'r', '\r'},  {'a', '\a'}, {'b', '\b'},  {'f', '\f'},
      {'v', '\v'}, {'e', '\x1b'}, {'\\', '\\'}, {'"', '"'},  {'\'', '\''}, {'?', '?'}};
  for (auto [name, value] : kEscapes) {
    if (name == e) return value;
  }
  return 0;
}

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

class Parser {
 public:
  Parser(std::string_view text, bool call) : text_(text), call_(call) {}

  Result<SyscallExpr> parse() {
    SyscallExpr expr;
    skip_space();
    if (call_) expr.cast = take_cast();
    std::size_t start = pos_;
    if (call_) {
      // A function as a location: "puts", "libc:puts", "0x401000", "f+0x10", "ns::f".
      while (pos_ < text_.size() &&
             (is_name_char(text_[pos_], false) || text_[pos_] == ':' || text_[pos_] == '.' ||
              text_[pos_] == '+' || text_[pos_] == '-')) {
        ++pos_;
      }
    } else {
      while (pos_ < text_.size() && is_name_char(text_[pos_], pos_ == start)) ++pos_;
    }
    if (pos_ == start) return fail(call_ ? "expected a function name" : "expected a syscall name");
    expr.name = std::string(text_.substr(start, pos_ - start));
    skip_space();
    if (!take('(')) return fail("expected '(' after the name");
    skip_space();
    if (!take(')')) {
      for (;;) {
        PTK_ASSIGN_OR_RETURN(SyscallArgExpr arg, parse_arg());
        expr.args.push_back(std::move(arg));
        skip_space();
        if (take(')')) break;
        if (!take(',')) return fail("expected ',' or ')'");
        skip_space();
      }
    }
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected text after ')'");
    return expr;
  }

 private:
  Error fail(std::string_view what) const {
    std::string where = pos_ < text_.size()
                            ? fmt::format("at column {}: '{}'", pos_ + 1, text_.substr(pos_, 12))
                            : "at the end";
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("malformed {} '{}'", call_ ? "call" : "syscall", text_), 0,
                 fmt::format("{} {}", what, where));
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool take(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  // A C cast such as "(int)" or "(char *)" before a call or an argument: its type, or "" (and
  // nothing consumed) when the text there is no cast.
  std::string take_cast() {
    if (pos_ >= text_.size() || text_[pos_] != '(') return {};
    std::size_t end = pos_ + 1;
    while (end < text_.size() &&
           (is_name_char(text_[end], false) || text_[end] == ' ' || text_[end] == '*')) {
      ++end;
    }
    if (end >= text_.size() || text_[end] != ')' || end == pos_ + 1 ||
        !is_name_char(text_[pos_ + 1], true)) {
      return {};
    }
    std::string type(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    skip_space();
    return type;
  }

  Result<SyscallArgExpr> parse_arg() {
    if (call_) (void)take_cast();  // argument casts only document the type: values are words
    std::size_t start = pos_;
    SyscallArgExpr arg;
    if (take('"')) {
      arg.kind = SyscallArgExpr::Kind::String;
      PTK_TRY(parse_string(arg.bytes));
    } else if (text_.substr(pos_, 4) == "NULL" &&
               (pos_ + 4 == text_.size() || !is_name_char(text_[pos_ + 4], false))) {
      arg.kind = SyscallArgExpr::Kind::Null;
      pos_ += 4;
    } else {
      PTK_TRY(parse_integer(arg.value));
    }
    arg.text = std::string(text_.substr(start, pos_ - start));
    return arg;
  }

  // C integer literals: 0x hex, leading-0 octal, decimal, with a sign.
  Status parse_integer(std::uint64_t& out) {
    std::size_t start = pos_;
    bool negative = take('-');
    if (!negative) (void)take('+');
    int base = 10;
    if (text_.substr(pos_, 2) == "0x" || text_.substr(pos_, 2) == "0X") {
      base = 16;
      pos_ += 2;
    } else if (pos_ + 1 < text_.size() && text_[pos_] == '0' && digit_value(text_[pos_ + 1]) < 8) {
      base = 8;
    }
    std::size_t digits = pos_;
    while (pos_ < text_.size() && digit_value(text_[pos_]) < base) ++pos_;
    if (pos_ == digits || (pos_ < text_.size() && is_name_char(text_[pos_], false))) {
      pos_ = start;
      return fail("expected a number, a \"string\" or NULL");
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text_.data() + digits, text_.data() + pos_, value, base);
    if (ec != std::errc() || end != text_.data() + pos_ ||
        (negative && value > (std::uint64_t{1} << 63))) {
      pos_ = start;
      return fail("the number does not fit in 64 bits");
    }
    out = negative ? ~value + 1 : value;
    return ok_status();
  }

  Status parse_string(std::string& out) {
    for (;;) {
      if (pos_ >= text_.size()) return fail("unterminated string: expected '\"'");
      char c = text_[pos_++];
      if (c == '"') return ok_status();
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail("unterminated escape");
      char e = text_[pos_++];
      if (char simple = simple_escape(e); simple != 0) {
        out += simple;
        continue;
      }
      switch (e) {
        case 'x': {
          int value = 0, n = 0;
          while (n < 2 && pos_ < text_.size() && digit_value(text_[pos_]) < 16) {
            value = value * 16 + digit_value(text_[pos_++]);
            ++n;
          }
          if (n == 0) return fail("expected hex digits after \\x");
          out += static_cast<char>(value);
          break;
        }
        default: {
          if (digit_value(e) >= 8) {
            --pos_;
            return fail("unknown escape");
          }
          int value = digit_value(e), n = 1;  // \ooo: up to three octal digits
          while (n < 3 && pos_ < text_.size() && digit_value(text_[pos_]) < 8) {
            value = value * 8 + digit_value(text_[pos_++]);
            ++n;
          }
          out += static_cast<char>(value & 0xff);
        }
      }
    }
  }

  std::string_view text_;
  bool call_ = false;
  std::size_t pos_ = 0;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

Result<SyscallExpr> parse_syscall_expr(std::string_view text) {
  return Parser(text, false).parse();
}

Result<SyscallExpr> parse_call_expr(std::string_view text) { return Parser(text, true).parse(); }

std::vector<std::string> close_names(std::string_view name,
                                     const std::vector<std::string_view>& candidates) {
  std::size_t limit = name.size() <= 4 ? 1 : 2;
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (std::string_view c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d <= limit) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.emplace_back(scored[i].second);
  return out;
}

}  // namespace ptk::inject
