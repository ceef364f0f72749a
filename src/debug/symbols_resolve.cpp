// Names -> addresses: symbol lookup, location parsing, and suggestions for unknown names.
#include <cxxabi.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

#include "ptk/core/mem_format.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug {
namespace {

bool names_match(const Symbol& s, std::string_view name) {
  if (s.name == name) return true;
  if (s.demangled.empty()) return false;
  if (s.demangled == name) return true;
  // cxx_base_name() only cuts a prefix and a suffix off, and the "[abi:...]" tags out: without
  // a tag its result is a substring of the demangled name. This test spares a string built for
  // each of the C++ symbols of a program (tens of thousands in a big one) on every lookup.
  if (s.demangled.find("[abi:") == std::string::npos &&
      s.demangled.find(name) == std::string::npos) {
    return false;
  }
  return cxx_base_name(s.demangled) == name;
}

// Optimal string alignment distance (an adjacent transposition costs 1, as "mian" -> "main"),
// when it is at most `limit`; limit + 1 otherwise. Every candidate name of a program goes
// through it, so it gives up early: names whose lengths differ by more than `limit` are that
// far apart, and once two consecutive rows exceed the limit so does every later one (a cell
// comes from the row above, the one two above, or its left neighbour, each adding >= 0).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit,
                          std::vector<std::size_t> (&rows)[3]) {
  std::size_t longer = std::max(a.size(), b.size()), shorter = std::min(a.size(), b.size());
  if (longer - shorter > limit) return limit + 1;
  auto& prev2 = rows[0];
  auto& prev = rows[1];
  auto& cur = rows[2];
  prev2.assign(b.size() + 1, 0);
  prev.resize(b.size() + 1);
  cur.resize(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  bool prev_over = false;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      row_min = std::min(row_min, cur[j]);
    }
    bool over = row_min > limit;
    if (over && prev_over) return limit + 1;
    prev_over = over;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

// Whether `text` contains `lower_part` (already in lower case), ignoring the case of `text`.
bool contains_ignoring_case(std::string_view text, std::string_view lower_part) {
  auto it = std::search(
      text.begin(), text.end(), lower_part.begin(), lower_part.end(), [](char x, char lower_y) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(x))) == lower_y;
      });
  return it != text.end();
}

// The ':' that separates "lib:symbol" or "file:line", skipping C++'s "::".
std::size_t separator_colon(std::string_view spec) {
  for (std::size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != ':') continue;
    if (i + 1 < spec.size() && spec[i + 1] == ':') {
      ++i;
      continue;
    }
    return i;
  }
  return std::string_view::npos;
}

std::string module_names(std::span<const std::unique_ptr<Module>> modules) {
  std::string out;
  for (const auto& m : modules) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

}  // namespace

std::string cxx_base_name(std::string_view name) {
  if (std::size_t close = name.rfind(')'); close != std::string_view::npos) {
    int depth = 0;
    for (std::size_t i = close + 1; i-- > 0;) {
      if (name[i] == ')') ++depth;
      if (name[i] == '(' && --depth == 0) {
        if (i != 0) name = name.substr(0, i);
        break;
      }
    }
  }
  std::string out(name);
  for (std::size_t tag; (tag = out.find("[abi:")) != std::string::npos;) {
    std::size_t end = out.find(']', tag);
    if (end == std::string::npos) break;
    out.erase(tag, end + 1 - tag);
  }
  // A function template's name comes after its return type ("std::ostream& std::endl<char>"):
  // the last space outside <> and (), except the one of "operator new" and its kin. An
  // operator< or << whose brackets do not pair stops the search (the name stays whole).
  int depth = 0;
  for (std::size_t i = out.size(); i-- > 0;) {
    char c = out[i];
    if (c == '>' || c == ')') {
      ++depth;
    } else if (c == '<' || c == '(') {
      if (--depth < 0) break;
    } else if (c == ' ' && depth == 0) {
      constexpr std::string_view kOperator = "operator";
      if (std::string_view(out).substr(0, i).ends_with(kOperator)) continue;
      out.erase(0, i + 1);
      break;
    }
  }
  return out;
}

std::string short_name(std::string_view name) {
  std::string d = demangle(name);
  return d.empty() ? std::string(name) : cxx_base_name(d);
}

std::string demangle(std::string_view name) {
  if (!name.starts_with("_Z")) return {};
  int status = 0;
  std::string mangled(name);
  char* out = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  std::string result = status == 0 && out != nullptr ? out : "";
  std::free(out);
  return result;
}

std::vector<std::string> closest_names(std::string_view name,
                                       std::span<const std::string> candidates, std::size_t max) {
  // Up to a third of the name may be wrong (at least one character, at most three).
  std::size_t limit = std::clamp<std::size_t>(name.size() / 3, 1, 3);
  std::string lower_name(name);
  for (char& ch : lower_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::vector<std::size_t> rows[3];
  std::vector<std::tuple<std::size_t, std::size_t, std::string_view>> ranked;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(name, c, limit, rows);
    if (d <= limit) {
      ranked.emplace_back(d, c.size(), c);
    } else if (name.size() >= 3 && contains_ignoring_case(c, lower_name)) {
      ranked.emplace_back(limit + 1, c.size(), c);  // after every near miss, shortest first
    }
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (const auto& r : ranked) {
    std::string_view c = std::get<2>(r);
    if (std::find(out.begin(), out.end(), c) != out.end()) continue;
    out.emplace_back(c);
    if (out.size() == max) break;
  }
  return out;
}

std::vector<const Symbol*> SymbolTable::find(std::string_view name, const Module* module) const {
  std::vector<std::tuple<int, std::size_t, int, const Symbol*>> found;
  for (std::size_t mi = 0; mi < modules_.size(); ++mi) {
    const Module& m = *modules_[mi];
    if (module != nullptr && &m != module) continue;
    for (const Symbol& s : m.symbols) {
      if (!names_match(s, name)) continue;
      found.emplace_back(s.is_code() ? 0 : 1, mi, static_cast<int>(s.binding), &s);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  std::vector<const Symbol*> out;
  for (const auto& f : found) out.push_back(std::get<3>(f));
  return out;
}

std::vector<std::string> SymbolTable::close_matches(std::string_view name, std::size_t max) const {
  // Each name once (.symtab and .dynsym repeat names, overloads share a base name).
  std::vector<std::string> list;
  for (const auto& m : modules_) {
    for (const Symbol& s : m->symbols) {
      if (s.kind == SymbolKind::Object) continue;
      list.push_back(s.name);
      if (!s.demangled.empty()) list.push_back(cxx_base_name(s.demangled));
    }
  }
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  return closest_names(name, list, max);
}

Result<ResolvedLocation> SymbolTable::resolve(std::string_view spec) const {
  while (!spec.empty() && std::isspace(static_cast<unsigned char>(spec.front())))
    spec.remove_prefix(1);
  while (!spec.empty() && std::isspace(static_cast<unsigned char>(spec.back())))
    spec.remove_suffix(1);
  if (spec.empty()) return Error(ErrorKind::InvalidArgument, "empty location");

  if (spec.starts_with("0x") || spec.starts_with("0X")) {
    auto addr = parse_number(spec);
    if (!addr) {
      return Error(ErrorKind::InvalidArgument, fmt::format("bad address '{}'", spec), 0,
                   "expected 0x and hexadecimal digits");
    }
    if (module_at(*addr) == nullptr) {
      return Error(ErrorKind::BadAddress,
                   fmt::format("address {:#x} is in no object mapped by process {}", *addr, pid_));
    }
    return ResolvedLocation{*addr, describe(*addr).to_string()};
  }

  std::string_view name = spec;
  const Module* module = nullptr;
  if (std::size_t colon = separator_colon(spec); colon != std::string_view::npos) {
    std::string_view left = spec.substr(0, colon), right = spec.substr(colon + 1);
    if (auto line = parse_number(right); line && !right.starts_with("0")) {
      if (*line > INT32_MAX) return Error(ErrorKind::InvalidArgument, "bad line number", 0);
      return resolve_line(left, static_cast<int>(*line));
    }
    module = find_module(left);
    if (module == nullptr) {
      return Error(ErrorKind::NotFound,
                   fmt::format("no object named '{}' in process {}", left, pid_), 0,
                   "loaded: " + module_names(modules_));
    }
    name = right;
  }

  // "main+4", "f+0x10": an offset from the symbol.
  std::uint64_t offset = 0;
  if (std::size_t plus = name.rfind('+'); plus != std::string_view::npos && plus > 0) {
    if (auto n = parse_number(name.substr(plus + 1))) {
      offset = *n;
      name = name.substr(0, plus);
    }
  }
  std::vector<const Symbol*> found = find(name, module);
  if (found.empty()) {
    std::string where = module != nullptr ? module->name : fmt::format("process {}", pid_);
    std::vector<std::string> close;
    if (module != nullptr) {
      std::vector<std::string> names;
      for (const Symbol& s : module->symbols) {
        if (s.is_code()) names.push_back(s.display_name());
      }
      close = closest_names(name, names);
    } else {
      close = close_matches(name);
    }
    std::string hint = close.empty() ? "no close matches"
                                     : fmt::format("close matches: {}", fmt::join(close, ", "));
    return Error(ErrorKind::NotFound, fmt::format("no symbol '{}' in {}", name, where), 0, hint);
  }
  const Symbol& s = *found.front();
  const Module* in = module_at(s.address);
  std::string description = s.display_name();
  if (offset != 0) description += fmt::format("+{}", offset);
  if (in != nullptr) description += " in " + in->name;
  return ResolvedLocation{s.address + offset, description, s.ifunc && offset == 0};
}

}  // namespace ptk::debug
