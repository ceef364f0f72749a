#include "rules_scan.h"

#include <fmt/format.h>

#include <cctype>
#include <limits>

#include "ptk/tamper/rules.h"
#include "rules_model.h"

namespace ptk::tamper::rules {
namespace {

bool is_word_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void Scanner::skip_space() {
  while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
}

bool Scanner::peek(std::string_view tok) {
  skip_space();
  return s_.substr(pos_).starts_with(tok);
}

bool Scanner::eat(std::string_view tok) {
  if (!peek(tok)) return false;
  pos_ += tok.size();
  return true;
}

bool Scanner::eat_word(std::string_view w) {
  if (!peek(w)) return false;
  std::size_t end = pos_ + w.size();
  if (end < s_.size() && is_word_char(s_[end])) return false;
  pos_ = end;
  return true;
}

std::string_view Scanner::word() {
  skip_space();
  if (pos_ >= s_.size() || !is_word_start(s_[pos_])) return {};
  std::size_t start = pos_;
  while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
  return s_.substr(start, pos_ - start);
}

Result<std::int64_t> Scanner::number(std::string_view what) {
  skip_space();
  std::size_t start = pos_;
  bool negative = false;
  if (pos_ < s_.size() && (s_[pos_] == '-' || s_[pos_] == '+')) negative = s_[pos_++] == '-';
  unsigned base = 10;
  if (s_.substr(pos_).starts_with("0x") || s_.substr(pos_).starts_with("0X")) {
    base = 16;
    pos_ += 2;
  } else if (pos_ + 1 < s_.size() && s_[pos_] == '0' &&
             std::isdigit(static_cast<unsigned char>(s_[pos_ + 1]))) {
    base = 8;
    ++pos_;
  }
  std::uint64_t v = 0;
  std::size_t digits_at = pos_;
  while (pos_ < s_.size()) {
    int d = hex_digit(s_[pos_]);
    if (d < 0 || static_cast<unsigned>(d) >= base) break;
    if (v > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) / base) {
      pos_ = start;
      return rule_error(fmt::format("{} at column {} is out of range", what, start + 1));
    }
    v = v * base + static_cast<unsigned>(d);
    ++pos_;
  }
  if (pos_ == digits_at || (pos_ < s_.size() && is_word_char(s_[pos_]))) {
    pos_ = start;
    return expected(what);
  }
  constexpr std::uint64_t kMinMagnitude = std::uint64_t{1} << 63;
  if (negative && v > kMinMagnitude) {
    pos_ = start;
    return rule_error(fmt::format("{} at column {} is out of range", what, start + 1));
  }
  // Positive values up to 2^64-1 are kept as their bits (an address, an unsigned mask).
  return negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
}

Result<std::string> Scanner::string(std::string_view what) {
  skip_space();
  if (pos_ >= s_.size() || s_[pos_] != '"') return expected(what);
  std::size_t start = pos_++;
  std::string out;
  while (pos_ < s_.size() && s_[pos_] != '"') {
    char c = s_[pos_++];
    if (c == '\\') {
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case '0':
          c = '\0';
          break;
        case '\\':
        case '"':
          c = e;
          break;
        case 'x': {
          int hi = pos_ < s_.size() ? hex_digit(s_[pos_]) : -1;
          int lo = pos_ + 1 < s_.size() ? hex_digit(s_[pos_ + 1]) : -1;
          if (hi < 0 || lo < 0) {
            return rule_error(
                fmt::format("bad escape '\\x' at column {}: two hex digits follow it", pos_ - 1));
          }
          c = static_cast<char>(hi * 16 + lo);
          pos_ += 2;
          break;
        }
        default:
          return rule_error(fmt::format(
              "unknown escape '\\{}' at column {} (known: \\n \\t \\r \\0 \\\\ \\\" \\xHH)", e,
              pos_ - 1));
      }
    }
    out += c;
    if (out.size() > kMaxStringLength) {
      return rule_error(fmt::format("the string at column {} is longer than {} bytes", start + 1,
                                    kMaxStringLength));
    }
  }
  if (pos_ >= s_.size()) {
    return rule_error(
        fmt::format("the string at column {} is never closed (a '\"' is missing)", start + 1));
  }
  ++pos_;
  return out;
}

Result<std::string> Scanner::delimited(std::string_view what) {
  std::size_t start = pos_;
  std::string out;
  while (pos_ < s_.size() && s_[pos_] != '/') {
    if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
      if (s_[pos_ + 1] != '/') out += '\\';
      out += s_[pos_ + 1];
      pos_ += 2;
    } else {
      out += s_[pos_++];
    }
    if (out.size() > kMaxRegexLength) {
      return rule_error(
          fmt::format("the {} at column {} is longer than {} bytes", what, start, kMaxRegexLength));
    }
  }
  if (pos_ >= s_.size()) {
    return rule_error(
        fmt::format("the {} at column {} is never closed (a '/' is missing)", what, start));
  }
  ++pos_;
  return out;
}

std::string_view Scanner::chunk() {
  skip_space();
  std::size_t start = pos_;
  while (pos_ < s_.size() && (is_word_char(s_[pos_]) || s_[pos_] == '-' || s_[pos_] == '+')) {
    ++pos_;
  }
  return s_.substr(start, pos_ - start);
}

std::string Scanner::found() {
  skip_space();
  if (pos_ >= s_.size()) return "the end of the rule";
  std::size_t end = pos_;
  if (is_word_char(s_[end]) || s_[end] == '-') {
    ++end;
    while (end < s_.size() && is_word_char(s_[end])) ++end;
  } else if (s_[end] == '"') {
    end = s_.find('"', end + 1);
    end = end == std::string_view::npos ? s_.size() : end + 1;
  } else {
    while (end < s_.size() && !is_word_char(s_[end]) &&
           !std::isspace(static_cast<unsigned char>(s_[end])) && s_[end] != '"' && end - pos_ < 2) {
      ++end;
    }
  }
  std::string_view tok = s_.substr(pos_, std::min<std::size_t>(end - pos_, 40));
  return fmt::format("'{}'", tok);
}

Error Scanner::expected(std::string_view what) {
  skip_space();
  return rule_error(fmt::format("expected {} at column {}, found {}", what, column(), found()));
}

}  // namespace ptk::tamper::rules
