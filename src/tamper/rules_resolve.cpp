// Binding a parsed rule to the syscalls its match covers: argument names (and the aliases
// "path" and "buf") to register indices, by the syscall table's argument names and types, and
// every check that needs the syscall (a string compared with a number, an action that does
// not fit the argument, two actions on one register).
#include <fmt/format.h>

#include <algorithm>

#include "ptk/tamper/rules.h"
#include "rules_model.h"

namespace ptk::tamper::rules {
namespace {

bool is_string(ArgType t) { return t == ArgType::Path || t == ArgType::Str; }
bool is_buffer(ArgType t) { return t == ArgType::InBuf || t == ArgType::OutBuf; }
bool is_fd(ArgType t) { return t == ArgType::Fd || t == ArgType::DirFd; }

std::string_view type_words(ArgType t) {
  switch (t) {
    case ArgType::Path:
      return "a path";
    case ArgType::Str:
      return "a string";
    case ArgType::InBuf:
      return "a buffer the kernel reads";
    case ArgType::OutBuf:
      return "a buffer the kernel fills";
    case ArgType::Fd:
    case ArgType::DirFd:
      return "a file descriptor";
    case ArgType::Flags:
      return "a set of flags";
    case ArgType::StructIn:
    case ArgType::StructOut:
    case ArgType::StructInOut:
      return "a pointer to a struct";
    case ArgType::StrArray:
    case ArgType::EnvArray:
      return "an array of strings";
    default:
      return "a number";
  }
}

std::string arg_list(const SyscallSpec& s) {
  std::string out;
  for (std::size_t i = 0; i < s.nargs; ++i) {
    if (is_high_half(s, i)) continue;
    if (!out.empty()) out += ", ";
    out += s.args[i].name;
  }
  return out.empty() ? "none" : out;
}

// The registers an argument name stands for: its own, or for the aliases "path" and "buf"
// every Path / every InBuf-OutBuf argument. A split 64-bit value gives its low half.
std::vector<int> lookup(const SyscallSpec& s, std::string_view name) {
  std::vector<int> out;
  for (int i = 0; i < s.nargs; ++i) {
    if (!is_high_half(s, static_cast<std::size_t>(i)) && s.args[i].name == name) return {i};
  }
  for (int i = 0; i < s.nargs; ++i) {
    ArgType t = s.args[i].type;
    if ((name == "path" && t == ArgType::Path) || (name == "buf" && is_buffer(t))) {
      out.push_back(i);
    }
  }
  return out;
}

Result<std::vector<int>> need(const SyscallSpec& s, std::string_view name, bool one) {
  std::vector<int> idx = lookup(s, name);
  if (idx.empty()) {
    return rule_error(
        fmt::format("{} has no argument \"{}\" (arguments: {})", s.name, name, arg_list(s)));
  }
  if (one && idx.size() > 1) {
    std::vector<std::string_view> names;
    for (int i : idx) names.push_back(s.args[i].name);
    return rule_error(fmt::format("{} has {} {} arguments ({}): name the one to change", s.name,
                                  idx.size(), name, fmt::join(names, ", ")));
  }
  return idx;
}

bool split_at(const SyscallSpec& s, int i) {
  return is_high_half(s, static_cast<std::size_t>(i) + 1);
}

Result<PredicateBinding> bind_predicate(const SyscallSpec& s, const Predicate& p) {
  PredicateBinding b;
  PTK_ASSIGN_OR_RETURN(b.args, need(s, p.arg, false));
  b.split = split_at(s, b.args[0]);
  if (p.value.kind == Value::Kind::Number) return b;
  for (int i : b.args) {
    ArgType t = s.args[i].type;
    std::string_view what = s.args[i].name;
    if (t == ArgType::OutBuf) {
      return rule_error(fmt::format(
          "\"{}{}...\": {}'s {} is filled by the kernel at exit, so it cannot be compared at "
          "entry",
          p.arg, op_text(p.op), s.name, what));
    }
    if (!is_string(t) && !is_fd(t) && t != ArgType::InBuf) {
      return rule_error(fmt::format("\"{}{}...\": {}'s {} is {}: compare it with a number", p.arg,
                                    op_text(p.op), s.name, what, type_words(t)));
    }
  }
  return b;
}

Result<ActionBinding> bind_action(const SyscallSpec& s, const Action& a) {
  ActionBinding b;
  if (a.arg.empty()) return b;
  PTK_ASSIGN_OR_RETURN(std::vector<int> idx, need(s, a.arg, true));
  b.arg = idx[0];
  const ArgSpec& spec = s.args[b.arg];
  if (a.kind == ActionKind::SetNumber) {
    b.site = Site::Register;
    b.split = split_at(s, b.arg);
    return b;
  }
  if (is_string(spec.type)) {
    if (a.transform.kind == Transform::Kind::Set &&
        a.transform.text.find('\0') != std::string::npos) {
      return rule_error(fmt::format("{}=...: {}'s {} is a C string: it cannot hold a NUL byte",
                                    a.arg, s.name, spec.name));
    }
    b.site = Site::String;
    return b;
  }
  if (is_buffer(spec.type)) {
    auto len = lookup(s, spec.param);
    if (len.size() != 1) {
      return rule_error(fmt::format("{}'s {} has no length argument", s.name, spec.name));
    }
    b.len = len[0];
    b.site = spec.type == ArgType::InBuf ? Site::InBuffer : Site::OutBuffer;
    return b;
  }
  return rule_error(
      fmt::format("{}={}: {}'s {} is {}, not a string or a buffer (set it with a number: {}=N)",
                  a.arg, a.transform.describe(), s.name, spec.name, type_words(spec.type), a.arg));
}

Result<Binding> bind(const RuleData& r, Arch arch, const SyscallSpec& s) {
  Binding b{arch, &s, {}, {}};
  for (const Predicate& p : r.preds) {
    PTK_ASSIGN_OR_RETURN(auto pb, bind_predicate(s, p));
    b.preds.push_back(std::move(pb));
  }
  for (const Action& a : r.actions) {
    PTK_ASSIGN_OR_RETURN(auto ab, bind_action(s, a));
    b.actions.push_back(ab);
  }
  // Conflicts between resolved registers: "path" and "filename" are one register, and a
  // buffer rewrite at entry sets its length itself.
  for (std::size_t i = 0; i < b.actions.size(); ++i) {
    const ActionBinding& x = b.actions[i];
    for (std::size_t j = 0; j < b.actions.size(); ++j) {
      const ActionBinding& y = b.actions[j];
      if (i != j && x.arg >= 0 &&
          (x.arg == y.arg || (x.site == Site::InBuffer && x.len == y.arg))) {
        return rule_error(fmt::format("\"{}\" and \"{}\" both change {}'s {}", r.actions[i].arg,
                                      r.actions[j].arg, s.name, s.args[y.arg].name));
      }
      bool sets_return = y.site == Site::InBuffer || y.site == Site::OutBuffer;
      if (r.actions[i].kind == ActionKind::Return && sets_return) {
        return rule_error(
            fmt::format("return=... and {}=...: rewriting {}'s {} sets the return value already",
                        r.actions[j].arg, s.name, s.args[y.arg].name));
      }
    }
  }
  return b;
}

}  // namespace

const Binding* RuleData::binding(Arch arch, const SyscallSpec* spec) const {
  if (spec == nullptr || spec->nr < 0) return nullptr;
  const auto& map = by_nr[static_cast<std::size_t>(arch)];
  auto nr = static_cast<std::size_t>(spec->nr);
  if (nr >= map.size() || map[nr] < 0) return nullptr;
  const Binding& b = bindings[static_cast<std::size_t>(map[nr])];
  return b.spec == spec ? &b : nullptr;
}

bool RuleData::skips() const {
  return std::any_of(actions.begin(), actions.end(), [](const Action& a) {
    return a.kind == ActionKind::Deny || a.kind == ActionKind::Skip;
  });
}

Status resolve(RuleData& r) {
  std::optional<Error> first;
  for (Arch arch : kAllArches) {
    auto& map = r.by_nr[static_cast<std::size_t>(arch)];
    for (const SyscallSpec& s : syscall_table(arch)) {
      bool covered = r.class_bits != 0 ? (s.classes & r.class_bits) != 0 : s.name == r.match;
      if (!covered) continue;
      auto b = bind(r, arch, s);
      if (!b.ok()) {
        if (!first) first = b.error();
        continue;
      }
      auto nr = static_cast<std::size_t>(s.nr);
      if (map.size() <= nr) map.resize(nr + 1, -1);
      map[nr] = static_cast<std::int16_t>(r.bindings.size());
      r.bindings.push_back(std::move(b).value());
    }
  }
  if (!r.bindings.empty()) return ok_status();
  if (r.class_bits == 0 || !first) {
    return first ? *first : rule_error(fmt::format("no syscall matches \"{}\"", r.match));
  }
  return rule_error(fmt::format("no syscall of {} fits every part of the rule (for example: {})",
                                r.match, first->call()));
}

}  // namespace ptk::tamper::rules
