// -e trace= sets, parsed as strace parses them (strace(1), "Filtering"): the same elements,
// the same personality suffixes, and the same verdict on what is invalid.
#include "ptk/sys/filter.h"

#include <fmt/format.h>
#include <regex.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "ptk/sys/edit_distance.h"

namespace ptk::sys {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

namespace {

std::size_t idx(Arch a) { return static_cast<std::size_t>(a); }

std::string_view abi_name(Arch a) { return to_string(a); }

// The ABIs one element applies to: every ABI, or the one its personality suffix names. @x32 is
// an ABI strace knows and ptk does not trace: its names are checked against x86_64's (x32
// numbers the same calls) and it selects nothing.
struct Scope {
  std::array<bool, kArchCount> on = per_arch(true);  // selects on this ABI (indexed by Arch)
  bool x32 = false;

  // Whether the element is looked up in this ABI's table.
  bool checks(Arch a) const { return on[idx(a)] || (x32 && a == Arch::X86_64); }
};

// One element of the list, split as strace splits it.
struct Element {
  std::string_view text;  // as written, without the leading '?'s: what errors quote
  std::string_view body;  // without the '?'s and the personality suffix
  bool optional = false;  // '?': matching nothing is no error
  Scope scope;
};

// strace's deprecated class names without '%': only these seven (trace=net is no class).
constexpr std::array<std::string_view, 7> kBareClasses = {"file", "process", "network", "signal",
                                                          "ipc",  "desc",    "memory"};

class Parser {
 public:
  Parser(std::string_view expr, SyscallFilter& f) : expr_(expr), f_(f) {}

  // Adds the element's syscalls; an error when it is invalid (see strace(1)).
  Status add(std::string_view item) {
    Element e;
    while (item.starts_with('?')) {
      item.remove_prefix(1);
      e.optional = true;
    }
    e.text = item;
    e.body = item;
    // The personality is what follows the last '@'; a bad one is an error even after '?'.
    if (std::size_t at = item.rfind('@'); at != std::string_view::npos) {
      e.body = item.substr(0, at);
      std::string_view p = item.substr(at + 1);
      e.scope.on = per_arch(false);
      if (p == "64") {
        // The host's 64-bit personality: x86_64, or aarch64 on an arm64 host.
        e.scope.on[idx(Arch::X86_64)] = true;
        e.scope.on[idx(Arch::Aarch64)] = true;
      } else if (p == "32") {
        e.scope.on[idx(Arch::I386)] = true;
      } else if (p == "x32") {
        e.scope.x32 = true;
      } else {
        return bad(
            fmt::format("incorrect personality designator '{}' in '{}' (known: @64 for "
                        "x86_64, @32 for i386, @x32)",
                        p, item));
      }
    }
    PTK_ASSIGN_OR_RETURN(bool matched, match(e));
    if (matched || e.optional) return ok_status();
    return bad(fmt::format("invalid system call '{}'{}", e.text, why_unknown(e)));
  }

  Error bad(std::string hint) const {
    return Error(ErrorKind::InvalidArgument, fmt::format("-e trace={}", expr_), 0, std::move(hint));
  }

 private:
  // Selects nr on every ABI of the scope; false when no ABI it checks has that many syscalls.
  bool number(const Element& e) {
    std::uint32_t nr = 0;
    const char* end = e.body.data() + e.body.size();
    auto [p, ec] = std::from_chars(e.body.data(), end, nr);
    if (ec != std::errc() || p != end) return false;
    bool any = false;
    for (Arch a : kAllArches) {
      if (!e.scope.checks(a) || nr > static_cast<std::uint32_t>(syscall_table(a).back().nr)) {
        continue;
      }
      any = true;
      if (e.scope.on[idx(a)]) f_.set(a, nr, true);
    }
    return any;
  }

  Result<bool> regex(const Element& e) {
    std::string pattern(e.body.substr(1));
    regex_t re;
    if (int rc = ::regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
      // As in strace, a pattern that does not compile is an error even after '?'.
      char msg[256];
      ::regerror(rc, &re, msg, sizeof msg);
      return bad(fmt::format("regular expression '{}' does not compile: {}", e.body, msg));
    }
    bool any = false;
    for (Arch a : kAllArches) {
      if (!e.scope.checks(a)) continue;
      for (const SyscallSpec& s : syscall_table(a)) {
        std::string name(s.name);
        if (::regexec(&re, name.c_str(), 0, nullptr, 0) != 0) continue;
        any = true;
        if (e.scope.on[idx(a)]) f_.set(a, s.nr, true);
      }
    }
    ::regfree(&re);
    return any;
  }

  static std::uint32_t class_bit(std::string_view body) {
    // %stat_like and %statfs_like are the data file's spellings of %%stat and %%statfs.
    if (body.ends_with("_like")) return 0;
    if (body.starts_with('%')) return syscall_class_from_name(body);
    if (std::find(kBareClasses.begin(), kBareClasses.end(), body) != kBareClasses.end()) {
      return syscall_class_from_name(body);
    }
    return 0;
  }

  Result<bool> match(const Element& e) {
    const std::string_view body = e.body;
    if (!body.empty() && body[0] >= '0' && body[0] <= '9') return number(e);
    if (body.starts_with('/')) return regex(e);
    if (body == "all") {
      for (Arch a : kAllArches) {
        if (!e.scope.on[idx(a)]) continue;
        for (std::size_t nr = 0; nr < SyscallFilter::kMaxNr; ++nr) f_.set(a, nr, true);
      }
      return true;
    }
    if (std::uint32_t bit = class_bit(body); bit != 0) {
      for (Arch a : kAllArches) {
        if (!e.scope.on[idx(a)]) continue;
        for (const SyscallSpec& s : syscall_table(a)) {
          if (s.classes & bit) f_.set(a, s.nr, true);
        }
      }
      return true;
    }
    bool any = false;
    for (Arch a : kAllArches) {
      if (!e.scope.checks(a)) continue;
      if (const SyscallSpec* s = find_syscall(a, body)) {
        any = true;
        if (e.scope.on[idx(a)]) f_.set(a, s->nr, true);
      }
    }
    return any;
  }

  // Why an element matched nothing, for the error: "; did you mean ...?" and the like.
  static std::string why_unknown(const Element& e) {
    const std::string_view body = e.body;
    if (!body.empty() && body[0] >= '0' && body[0] <= '9') {
      std::vector<std::string> ranges;
      for (Arch a : kAllArches) {
        if (e.scope.checks(a)) {
          ranges.push_back(fmt::format("{} on {}", syscall_table(a).back().nr, abi_name(a)));
        }
      }
      return fmt::format("; a syscall number is decimal, at most {}", fmt::join(ranges, ", "));
    }
    if (body.starts_with('%')) {
      return "; no such class (known: %file %desc %network %net %process %memory %signal %ipc "
             "%creds %clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure)";
    }
    if (body == "none") return "; 'none' selects nothing only as the whole set (trace=none)";
    if (std::string cls = "%" + std::string(body);
        !body.ends_with("_like") && syscall_class_from_name(cls) != 0) {
      return fmt::format("; the class is {}: only strace's seven older classes go without '%'",
                         cls);
    }
    if (body.starts_with('!')) return "; '!' negates the whole set, only at its start";
    // A name another ABI has, limited to an ABI without it (mmap2@64).
    for (Arch a : kAllArches) {
      if (!e.scope.checks(a) && find_syscall(a, body) != nullptr) {
        return fmt::format("; {} is a syscall of {} only", body, abi_name(a));
      }
    }
    auto near = nearest_syscall_names(body);
    if (near.empty()) {
      std::vector<std::string_view> abis;
      for (Arch a : kAllArches) abis.push_back(abi_name(a));
      return fmt::format("; no syscall of {} has that name", fmt::join(abis, " or "));
    }
    return fmt::format("; did you mean {}?", fmt::join(near, ", "));
  }

  std::string_view expr_;
  SyscallFilter& f_;
};

}  // namespace

void SyscallFilter::set(Arch arch, std::int64_t nr, bool on) {
  if (nr < 0 || static_cast<std::size_t>(nr) >= kMaxNr) return;
  sets_[static_cast<std::size_t>(arch)][static_cast<std::size_t>(nr)] = on;
  if (!on) everything_ = false;
}

std::vector<int> SyscallFilter::selected(Arch arch) const {
  std::vector<int> out;
  for (std::size_t i = 0; i < kMaxNr; ++i) {
    if (sets_[static_cast<std::size_t>(arch)][i]) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<std::string> nearest_syscall_names(std::string_view name, std::size_t max) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (Arch a : kAllArches) {
    for (const SyscallSpec& s : syscall_table(a)) {
      std::string n(s.name);
      if (std::none_of(scored.begin(), scored.end(),
                       [&](const auto& p) { return p.second == n; })) {
        scored.emplace_back(edit_distance(name, n), n);
      }
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, n] : scored) {
    if (out.size() >= max || d > std::max<std::size_t>(2, name.size() / 2)) break;
    out.push_back(n);
  }
  return out;
}

Result<SyscallFilter> SyscallFilter::parse(std::string_view expr) {
  SyscallFilter f;
  f.none();
  Parser parser(expr, f);
  // Every leading '!' negates the set once more, as in strace ("!!open" is "open").
  std::string_view body = expr;
  bool negate = false;
  while (body.starts_with('!')) {
    body.remove_prefix(1);
    negate = !negate;
  }
  // "none" is a whole set, not an element: trace=none,open is invalid in strace too.
  bool any_element = body == "none";
  if (any_element) body = {};
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item.empty()) continue;  // strace skips empty elements: trace=,open and trace=open,
    any_element = true;
    PTK_TRY(parser.add(item));
  }
  if (!any_element) {
    return parser.bad(fmt::format("invalid system call '{}'; the set names no syscall", expr));
  }
  if (negate) {
    for (auto& s : f.sets_) s.flip();
  }
  f.everything_ = f.sets_[0].all() && f.sets_[1].all();
  return f;
}

}  // namespace ptk::sys
