#include "rules_text.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "ptk/tamper/rules.h"

namespace ptk::tamper::rules {
namespace {

Error regex_error(std::string_view pattern, std::string why) {
  return Error(ErrorKind::InvalidArgument, fmt::format("bad regex /{}/: {}", pattern, why));
}

Status check_regex_bounds(std::string_view p) {
  if (p.size() > kMaxRegexLength) {
    return regex_error(p.substr(0, 40), fmt::format("longer than {} bytes", kMaxRegexLength));
  }
  if (p.find('\0') != std::string_view::npos) return regex_error(p, "a NUL byte");
  if (Status s = check_regex_size(p); !s.ok()) return regex_error(p, s.error().call());
  return ok_status();
}

// What regcomp gets for a rule's regex: \n, \t and \r stand for a newline, a tab and a carriage
// return, in a bracket expression too (`[^\n]*`, "the rest of the line"). POSIX leaves a
// backslash before an ordinary character undefined outside brackets (glibc takes `\n` as `n`)
// and literal inside them (`[^\n]` would exclude '\' and 'n'), and a line of a rules file cannot
// hold a raw newline. Other escapes are left to regcomp, a backslash pair (`\\n`) included.
std::string control_escapes(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char next = pattern[++i];
      if (next == 'n') {
        out += '\n';
      } else if (next == 't') {
        out += '\t';
      } else if (next == 'r') {
        out += '\r';
      } else {
        out += c;
        out += next;
      }
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const Regex>> Regex::compile(std::string_view pattern) {
  PTK_TRY(check_regex_bounds(pattern));
  std::shared_ptr<Regex> re(new Regex());
  re->source_ = std::string(pattern);
  std::string compiled = control_escapes(pattern);
  if (int rc = ::regcomp(&re->re_, compiled.c_str(), REG_EXTENDED); rc != 0) {
    char msg[128];
    ::regerror(rc, &re->re_, msg, sizeof msg);
    return regex_error(pattern, msg);
  }
  re->compiled_ = true;
  return std::shared_ptr<const Regex>(std::move(re));
}

Regex::~Regex() {
  if (compiled_) ::regfree(&re_);
}

bool Regex::search(std::string_view s) const { return find(s, 0).has_value(); }

std::optional<Regex::Match> Regex::find(std::string_view s, std::size_t from) const {
  if (from > s.size()) return std::nullopt;
  regmatch_t m[kGroups];
  m[0].rm_so = static_cast<regoff_t>(from);
  m[0].rm_eo = static_cast<regoff_t>(s.size());
  // REG_STARTEND: the subject is s[from, size) of s (NUL bytes included); offsets stay
  // relative to s. REG_NOTBOL past the start: '^' means the start of the whole subject.
  int flags = REG_STARTEND | (from > 0 ? REG_NOTBOL : 0);
  const char* data = s.empty() ? "" : s.data();
  if (::regexec(&re_, data, kGroups, m, flags) != 0) return std::nullopt;
  Match out;
  for (int g = 0; g < kGroups; ++g) {
    bool used = m[g].rm_so >= 0 && static_cast<std::size_t>(g) <= re_.re_nsub;
    out.begin[g] = used ? static_cast<std::size_t>(m[g].rm_so) : std::string::npos;
    out.end[g] = used ? static_cast<std::size_t>(m[g].rm_eo) : std::string::npos;
  }
  return out;
}

Status check_glob(std::string_view g) {
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] == '\\') {
      if (++i == g.size()) {
        return Error(ErrorKind::InvalidArgument,
                     fmt::format("bad glob {}: it ends in a backslash", quote(g)));
      }
      continue;
    }
    if (g[i] != '[') continue;
    std::size_t j = i + 1;
    if (j < g.size() && (g[j] == '!' || g[j] == '^')) ++j;
    if (j < g.size() && g[j] == ']') ++j;  // a leading ']' is a member
    while (j < g.size() && g[j] != ']') {
      if (g[j] == '[' && j + 1 < g.size() && g[j + 1] == ':') {
        std::size_t end = g.find(":]", j + 2);
        if (end == std::string_view::npos) break;
        std::string cls(g.substr(j + 2, end - j - 2));
        static constexpr std::string_view kClasses[] = {"alnum", "alpha", "blank", "cntrl",
                                                        "digit", "graph", "lower", "print",
                                                        "punct", "space", "upper", "xdigit"};
        if (std::find(std::begin(kClasses), std::end(kClasses), cls) == std::end(kClasses)) {
          return Error(ErrorKind::InvalidArgument,
                       fmt::format("bad glob {}: unknown class [:{}:]", quote(g), cls));
        }
        j = end + 2;
        continue;
      }
      ++j;
    }
    if (j >= g.size()) {
      return Error(ErrorKind::InvalidArgument,
                   fmt::format("bad glob {}: '[' at offset {} is never closed", quote(g), i));
    }
    i = j;
  }
  return ok_status();
}

bool glob_matches(const std::string& glob, std::string_view s) {
  // fnmatch(3) takes C strings: a subject with a NUL byte is matched up to that byte.
  std::string subject(s.substr(0, s.find('\0')));
  return ::fnmatch(glob.c_str(), subject.c_str(), 0) == 0;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u >= 0x7f) {
          out += fmt::format("\\x{:02x}", u);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace ptk::tamper::rules
