// Evaluating a rule's conditions at a syscall entry, on the arguments as the registers hold
// them now (an earlier rule's change included).
#include <fmt/format.h>
#include <unistd.h>

#include <climits>
#include <optional>
#include <vector>

#include "rules_hook.h"

namespace ptk::tamper::rules {
namespace {

constexpr std::size_t kMaxPathRead = 4096;  // PATH_MAX with its NUL
constexpr std::int64_t kAtFdcwd = -100;     // AT_FDCWD, from <fcntl.h>, as the kernel's int

// The argument's value, sign-extended as its C type says: int-typed arguments are 32-bit
// everywhere, long-typed ones are the ABI's word; a split 64-bit value is joined.
struct Number {
  bool is_signed = false;
  std::int64_t s = 0;
  std::uint64_t u = 0;
};

Number number_of(const Binding& b, SyscallContext& ctx, int i, bool split) {
  std::uint64_t raw = ctx.arg(i);
  bool narrow = b.arch == Arch::I386;
  if (split) {
    raw = (raw & 0xffffffffu) | (ctx.arg(i + 1) << 32);
    narrow = false;
  }
  Number n;
  switch (b.spec->args[i].type) {
    case ArgType::Int:
    case ArgType::Fd:
    case ArgType::DirFd:
    case ArgType::Pid:
    case ArgType::Signal:
      n.is_signed = true;
      n.s = static_cast<std::int32_t>(raw);
      return n;
    case ArgType::Long:
    case ArgType::Off:
      n.is_signed = true;
      n.s = narrow ? static_cast<std::int32_t>(raw) : static_cast<std::int64_t>(raw);
      return n;
    default:
      n.u = narrow ? (raw & 0xffffffffu) : raw;
      return n;
  }
}

// <0, 0, >0 as arg compares with v.
int compare(const Number& n, std::int64_t v) {
  if (n.is_signed) return n.s < v ? -1 : n.s > v ? 1 : 0;
  if (v < 0) return 1;
  auto uv = static_cast<std::uint64_t>(v);
  return n.u < uv ? -1 : n.u > uv ? 1 : 0;
}

bool holds(Op op, int c) {
  switch (op) {
    case Op::Eq:
      return c == 0;
    case Op::Ne:
      return c != 0;
    case Op::Lt:
      return c < 0;
    case Op::Le:
      return c <= 0;
    case Op::Gt:
      return c > 0;
    case Op::Ge:
      return c >= 0;
    default:
      return false;
  }
}

// What a descriptor refers to: /proc/TID/fd/N (the thread's own table: a thread that
// unshared CLONE_FILES has its own), or the cwd for AT_FDCWD.
std::optional<std::string> fd_target(pid_t tid, std::int64_t fd) {
  std::string link =
      fd == kAtFdcwd ? fmt::format("/proc/{}/cwd", tid) : fmt::format("/proc/{}/fd/{}", tid, fd);
  if (fd < 0 && fd != kAtFdcwd) return std::nullopt;
  char buf[PATH_MAX];
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

// The text a string condition looks at, or nullopt when there is none (NULL, unreadable,
// longer than the bound, a closed descriptor).
std::optional<std::string> subject(const Binding& b, SyscallContext& ctx, int i) {
  const ArgSpec& a = b.spec->args[i];
  std::uint64_t addr = ctx.arg(i);
  if (a.type == ArgType::Fd || a.type == ArgType::DirFd) {
    return fd_target(ctx.tid(), static_cast<std::int32_t>(addr));
  }
  if (addr == 0) return std::nullopt;
  if (a.type == ArgType::InBuf) {
    int len = -1;
    for (int j = 0; j < b.spec->nargs; ++j) {
      if (b.spec->args[j].name == a.param) len = j;
    }
    if (len < 0) return std::nullopt;
    // A condition looks at the first kMaxBufferBytes bytes of a larger buffer.
    std::uint64_t n = std::min<std::uint64_t>(ctx.arg(len), kMaxBufferBytes);
    std::string bytes(n, '\0');
    auto got = ctx.memory().read(RemoteAddr(addr), std::as_writable_bytes(std::span(bytes)));
    if (!got.ok()) return std::nullopt;
    bytes.resize(*got);
    return bytes;
  }
  auto s = ctx.memory().read_string(RemoteAddr(addr), kMaxPathRead);
  if (!s.ok() || !s->terminated) return std::nullopt;
  return std::move(s->bytes);
}

bool string_holds(const Predicate& p, const std::optional<std::string>& s) {
  if (!s) return p.op == Op::Ne;  // nothing to compare is unequal to every string
  switch (p.op) {
    case Op::Eq:
      return *s == p.value.text;
    case Op::Ne:
      return *s != p.value.text;
    case Op::Glob:
      return glob_matches(p.value.text, *s);
    case Op::Regex:
      return p.value.regex->search(*s);
    default:
      return false;
  }
}

bool one_holds(const Predicate& p, const PredicateBinding& pb, const Binding& b,
               SyscallContext& ctx, int i) {
  if (p.value.kind == Value::Kind::Number) {
    return holds(p.op, compare(number_of(b, ctx, i, pb.split), p.value.number));
  }
  return string_holds(p, subject(b, ctx, i));
}

}  // namespace

bool predicates_hold(const RuleData& rule, const Binding& b, SyscallContext& ctx) {
  for (std::size_t k = 0; k < rule.preds.size(); ++k) {
    const Predicate& p = rule.preds[k];
    const PredicateBinding& pb = b.preds[k];
    // An alias naming several arguments ("path" of renameat): any one may match; for "!="
    // every one must differ.
    bool all = p.op == Op::Ne;
    bool result = all;
    for (int i : pb.args) {
      bool h = one_holds(p, pb, b, ctx, i);
      if (all && !h) result = false;
      if (!all && h) result = true;
    }
    if (!result) return false;
  }
  return true;
}

}  // namespace ptk::tamper::rules
