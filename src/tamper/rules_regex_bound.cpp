// How big glibc's regcomp would make a pattern, computed before it is asked to.
//
// regcomp expands repetitions by copying their operand: X+ becomes XX*, X{m,n} becomes m to n
// copies of X, and copies nest, so "a++++++++++++++++++++" or "((a{100}){100}){100}" asks for
// millions of nodes (a fuzzer found the first: gigabytes from a 30-byte rule). This walks the
// pattern as an ERE (alternation, groups, bracket expressions, escapes, the repetition
// operators) and bounds the nodes the expansion makes; back-references, whose matching is
// exponential, are refused here too.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "rules_text.h"

namespace ptk::tamper::rules {
namespace {

constexpr std::uint64_t kMaxNodes = 10'000;
constexpr int kMaxDepth = 32;  // nested groups (glibc parses them recursively)

class SizeWalker {
 public:
  explicit SizeWalker(std::string_view p) : p_(p) {}

  Status run() {
    std::uint64_t n = alternation(0);
    // A ')' without its '(' is an ordinary character in glibc's POSIX extended syntax
    // (RE_UNMATCHED_RIGHT_PAREN_ORD): the pattern goes on after it.
    while (i_ < p_.size() && p_[i_] == ')' && why_.empty()) {
      ++i_;
      n = cap(n + 1 + alternation(0));
    }
    if (!why_.empty()) return Error(ErrorKind::InvalidArgument, why_);
    if (n > kMaxNodes) {
      return Error(ErrorKind::InvalidArgument,
                   fmt::format("its repetitions expand to more than {} nodes", kMaxNodes));
    }
    return ok_status();
  }

 private:
  // Saturating: once over the bound, the exact size no longer matters.
  static std::uint64_t cap(std::uint64_t n) { return std::min(n, kMaxNodes + 1); }

  std::uint64_t alternation(int depth) {
    std::uint64_t total = branch(depth);
    while (i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      total = cap(total + branch(depth) + 1);
    }
    return total;
  }

  std::uint64_t branch(int depth) {
    std::uint64_t total = 0;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')' && why_.empty()) {
      std::uint64_t piece = atom(depth);
      while (i_ < p_.size()) {
        char c = p_[i_];
        if (c == '*' || c == '?') {
          ++i_;
          piece = cap(piece + 1);
        } else if (c == '+') {
          ++i_;
          piece = cap(piece * 2 + 1);  // X+ is XX*
        } else if (c == '{' && i_ + 1 < p_.size() &&
                   (std::isdigit(uc(p_[i_ + 1])) || p_[i_ + 1] == ',')) {
          piece = cap(piece * std::max<std::uint64_t>(interval(), 1) + 1);
        } else {
          break;
        }
      }
      total = cap(total + piece);
    }
    return total;
  }

  std::uint64_t atom(int depth) {
    char c = p_[i_++];
    if (c == '(') {
      if (depth >= kMaxDepth) {
        why_ = fmt::format("groups nested deeper than {}", kMaxDepth);
        return 0;
      }
      std::uint64_t inner = alternation(depth + 1);
      if (i_ < p_.size() && p_[i_] == ')') ++i_;
      return cap(inner + 1);
    }
    if (c == '\\' && i_ < p_.size()) {
      char e = p_[i_++];
      if (e >= '1' && e <= '9') {
        // Back-references make matching NP-hard (exponential in glibc): refused.
        why_ = fmt::format("back-reference \\{} (not supported)", e);
      }
      return 1;
    }
    if (c == '[') bracket();
    return 1;
  }

  // Skips a bracket expression: [^]a-z[:alpha:][.-.][=e=]].
  void bracket() {
    if (i_ < p_.size() && p_[i_] == '^') ++i_;
    if (i_ < p_.size() && p_[i_] == ']') ++i_;
    while (i_ < p_.size() && p_[i_] != ']') {
      if (p_[i_] == '[' && i_ + 1 < p_.size() &&
          (p_[i_ + 1] == ':' || p_[i_ + 1] == '.' || p_[i_ + 1] == '=')) {
        char close[] = {p_[i_ + 1], ']', '\0'};
        std::size_t end = p_.find(close, i_ + 2);
        i_ = end == std::string_view::npos ? p_.size() : end + 2;
        continue;
      }
      ++i_;
    }
    if (i_ < p_.size()) ++i_;
  }

  // {m}, {m,}, {m,n}, {,n} at i_: the copies regcomp makes (m + 1 for an open bound).
  std::uint64_t interval() {
    ++i_;
    auto number = [&] {
      std::uint64_t v = 0;
      while (i_ < p_.size() && std::isdigit(uc(p_[i_]))) {
        v = std::min<std::uint64_t>(v * 10 + static_cast<unsigned>(p_[i_++] - '0'), 100'000);
      }
      return v;
    };
    std::uint64_t lo = number(), hi = lo;
    if (i_ < p_.size() && p_[i_] == ',') {
      ++i_;
      hi = i_ < p_.size() && std::isdigit(uc(p_[i_])) ? number() : lo + 1;
    }
    if (i_ < p_.size() && p_[i_] == '}') ++i_;
    return std::max(lo, hi);
  }

  static unsigned char uc(char c) { return static_cast<unsigned char>(c); }

  std::string_view p_;
  std::size_t i_ = 0;
  std::string why_;
};

}  // namespace

Status check_regex_size(std::string_view pattern) { return SizeWalker(pattern).run(); }

}  // namespace ptk::tamper::rules
