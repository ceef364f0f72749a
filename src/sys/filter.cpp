#include "ptk/sys/filter.h"

#include <fmt/format.h>
#include <regex.h>

#include <algorithm>
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

Error bad(std::string_view expr, std::string hint) {
  return Error(ErrorKind::InvalidArgument, fmt::format("-e trace={}", expr), 0, std::move(hint));
}

// Adds every syscall matched by one element of the list; false when it matched nothing.
Result<bool> add_element(SyscallFilter& f, std::string_view item) {
  bool optional = item.starts_with('?');
  if (optional) item.remove_prefix(1);
  bool any = false;
  if (item == "all") {
    f.all();
    return true;
  }
  if (item == "none") return true;
  if (item.starts_with('/')) {
    std::string pattern(item.substr(1));
    regex_t re;
    if (int rc = ::regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
      char msg[256];
      ::regerror(rc, &re, msg, sizeof msg);
      return Error(ErrorKind::InvalidArgument, fmt::format("regular expression /{}", pattern), 0,
                   msg);
    }
    for (Arch a : kAllArches) {
      for (const SyscallSpec& s : syscall_table(a)) {
        std::string name(s.name);
        if (::regexec(&re, name.c_str(), 0, nullptr, 0) == 0) {
          f.set(a, s.nr, true);
          any = true;
        }
      }
    }
    ::regfree(&re);
    return any || optional;
  }
  std::string_view cls = item;
  if (cls.starts_with('%')) cls.remove_prefix(1);
  std::uint32_t bit = syscall_class_from_name(item);
  if (bit == 0 && !item.starts_with('%')) {
    // strace still accepts the old class names without '%' (trace=file, trace=process).
    if (cls == "file" || cls == "process" || cls == "network" || cls == "signal" || cls == "ipc" ||
        cls == "desc" || cls == "memory") {
      bit = syscall_class_from_name(cls);
    }
  }
  if (bit != 0) {
    for (Arch a : kAllArches) {
      for (const SyscallSpec& s : syscall_table(a)) {
        if (s.classes & bit) f.set(a, s.nr, true);
      }
    }
    return true;
  }
  if (item.starts_with('%')) {
    return Error(ErrorKind::InvalidArgument, fmt::format("syscall class '{}'", item), 0,
                 "known classes: %file %desc %network %process %memory %signal %ipc %creds "
                 "%clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure");
  }
  int nr = -1;
  if (auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), nr);
      ec == std::errc() && p == item.data() + item.size()) {
    for (Arch a : kAllArches) f.set(a, nr, true);
    return true;
  }
  for (Arch a : kAllArches) {
    if (const SyscallSpec* s = find_syscall(a, item)) {
      f.set(a, s->nr, true);
      any = true;
    }
  }
  return any || optional;
}

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
  std::string_view body = expr;
  bool negate = body.starts_with('!');
  if (negate) body.remove_prefix(1);
  if (body.empty()) return bad(expr, "empty syscall list");
  SyscallFilter f;
  f.none();
  while (!body.empty()) {
    std::size_t comma = body.find(',');
    std::string_view item = body.substr(0, comma);
    body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    if (item.empty()) return bad(expr, "empty element in the syscall list");
    PTK_ASSIGN_OR_RETURN(bool matched, add_element(f, item));
    if (!matched) {
      std::string hint = fmt::format("'{}' is not a syscall of x86_64 or i386", item);
      auto near = nearest_syscall_names(item);
      if (!near.empty()) hint += fmt::format("; did you mean {}?", fmt::join(near, ", "));
      return Error(ErrorKind::InvalidArgument, fmt::format("-e trace={}", expr), 0, hint);
    }
  }
  if (negate) {
    for (auto& s : f.sets_) s.flip();
  }
  f.everything_ = f.sets_[0].all() && f.sets_[1].all();
  return f;
}

}  // namespace ptk::sys
