// The actions of a rule: at entry (strings, buffers the kernel reads, registers, skip,
// delay, signal), at exit (buffers the kernel filled, the return value), and the check at exit
// that the kernel did what the rule intended.
#include <fmt/format.h>

#include <chrono>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "rules_hook.h"

namespace ptk::tamper::rules {
namespace {

constexpr std::size_t kMaxPathRead = 4096;  // PATH_MAX with its NUL

bool is_error(std::int64_t ret) { return ret < 0 && ret >= -4095; }

std::string err_name(std::int64_t ret) {
  std::string_view n = sys::errno_name(static_cast<int>(-ret));
  return n.empty() ? fmt::format("error {}", -ret) : std::string(n);
}

std::string arg_of(const Binding& b, int i) {
  return fmt::format("{}'s {}", b.spec->name, b.spec->args[i].name);
}

}  // namespace

void RulesHook::entry_action(SyscallContext& ctx, Applied& ap, std::size_t k,
                             std::vector<std::string>& marks) {
  const Action& a = rules_[ap.rule].data().actions[k];
  const ActionBinding& ab = ap.binding->actions[k];
  ActionState& st = ap.actions[k];
  bool done = false;
  switch (a.kind) {
    case ActionKind::Transform:
      if (ab.site == Site::String) entry_string(ctx, ap, k, done);
      if (ab.site == Site::InBuffer) entry_buffer(ctx, ap, k, done);
      if (ab.site == Site::OutBuffer) {
        // Rewritten at exit, in the buffer the kernel filled.
        st.buf = ctx.arg(ab.arg);
        st.cap = ctx.arg(ab.len);
        st.active = true;
      }
      if (done) marks.push_back(a.arg);
      return;
    case ActionKind::SetNumber: {
      auto v = static_cast<std::uint64_t>(a.number);
      Status s = ab.split ? ctx.set_arg(ab.arg, v & 0xffffffffu) : ctx.set_arg(ab.arg, v);
      if (s.ok() && ab.split) s = ctx.set_arg(ab.arg + 1, v >> 32);
      if (!s.ok()) {
        warn(ap.rule, "set",
             fmt::format("rewrite: {}={}: {}", a.arg, a.number, s.error().message()));
        return;
      }
      marks.push_back(a.arg);
      return;
    }
    case ActionKind::Deny:
    case ActionKind::Skip: {
      std::int64_t ret = a.kind == ActionKind::Deny ? -a.number : a.number;
      if (Status s = ctx.skip(ret); !s.ok()) {
        warn(ap.rule, "skip", fmt::format("rewrite: {}: {}", ctx.name(), s.error().message()));
        return;
      }
      st.active = true;
      marks.emplace_back("(INJECTED)");
      return;
    }
    case ActionKind::Return:
      st.active = true;  // at exit
      return;
    case ActionKind::Delay:
      ctx.delay(std::chrono::microseconds(a.number));
      marks.emplace_back("(DELAYED)");
      return;
    case ActionKind::Signal:
      if (Status s = ctx.raise(static_cast<int>(a.number)); !s.ok()) {
        warn(ap.rule, "signal",
             fmt::format("rewrite: signal={}: {}", signal_name(static_cast<int>(a.number)),
                         s.error().message()));
      }
      return;
  }
}

void RulesHook::entry_string(SyscallContext& ctx, Applied& ap, std::size_t k, bool& done) {
  const Action& a = rules_[ap.rule].data().actions[k];
  const Binding& b = *ap.binding;
  int i = b.actions[k].arg;
  std::string in;
  if (a.transform.reads_input()) {
    auto s = ctx.memory().read_string(RemoteAddr(ctx.arg(i)), kMaxPathRead);
    if (!s.ok() || !s->terminated) {
      warn(ap.rule, "read",
           fmt::format("rewrite: {} could not be read: not rewritten", arg_of(b, i)));
      return;
    }
    in = std::move(s->bytes);
  }
  auto out = a.transform.apply(in, kMaxStringLength);
  if (!out || out->find('\0') != std::string::npos) {
    warn(ap.rule, "long",
         fmt::format("rewrite: {}={} gives {}: not rewritten", a.arg, a.transform.describe(),
                     out ? "a NUL byte" : fmt::format("over {} bytes", kMaxStringLength)));
    return;
  }
  auto p = ctx.push_string(*out);
  Status s = p.ok() ? ctx.set_arg(i, p->addr()) : Status(p.error());
  if (!s.ok()) {
    warn(ap.rule, "push", fmt::format("rewrite: {}: {}", arg_of(b, i), s.error().message()));
    return;
  }
  ap.actions[k].new_string = std::move(*out);
  ap.actions[k].active = true;
  done = true;
}

void RulesHook::entry_buffer(SyscallContext& ctx, Applied& ap, std::size_t k, bool& done) {
  const Action& a = rules_[ap.rule].data().actions[k];
  const Binding& b = *ap.binding;
  const ActionBinding& ab = b.actions[k];
  std::uint64_t len = ctx.arg(ab.len);
  if (len > kMaxBufferBytes && a.transform.reads_input()) {
    warn(ap.rule, "big",
         fmt::format("rewrite: {} holds {} bytes, over the {} bytes a rewrite reads: not rewritten",
                     arg_of(b, ab.arg), len, kMaxBufferBytes));
    return;
  }
  std::string in;
  if (a.transform.reads_input()) {
    in.resize(len);
    Status r =
        ctx.memory().read_exact(RemoteAddr(ctx.arg(ab.arg)), std::as_writable_bytes(std::span(in)));
    if (!r.ok()) {
      warn(ap.rule, "read", fmt::format("rewrite: {}: {}", arg_of(b, ab.arg), r.error().message()));
      return;
    }
  }
  auto out = a.transform.apply(in, kMaxBufferBytes);
  if (!out) {
    warn(ap.rule, "long",
         fmt::format("rewrite: {}={} gives over {} bytes: not rewritten", a.arg,
                     a.transform.describe(), kMaxBufferBytes));
    return;
  }
  // The new bytes go to borrowed memory, never over the program's own buffer: it may be
  // read-only (a string literal) or still in use after the call.
  auto p = ctx.borrow(std::max<std::size_t>(out->size(), 1));
  Status s =
      p.ok() ? ctx.memory().write(p->bytes(), std::as_bytes(std::span(*out))) : Status(p.error());
  if (s.ok()) s = ctx.set_arg(ab.arg, p->addr());
  if (s.ok()) s = ctx.set_arg(ab.len, out->size());
  if (!s.ok()) {
    warn(ap.rule, "push", fmt::format("rewrite: {}: {}", arg_of(b, ab.arg), s.error().message()));
    return;
  }
  ap.actions[k].orig_len = len;
  ap.actions[k].new_len = out->size();
  ap.actions[k].active = true;
  done = true;
}

void RulesHook::exit_action(SyscallContext& ctx, Applied& ap, std::size_t k,
                            std::vector<std::string>& marks) {
  const Action& a = rules_[ap.rule].data().actions[k];
  const ActionBinding& ab = ap.binding->actions[k];
  ActionState& st = ap.actions[k];
  if (!st.active) return;
  std::int64_t ret = ctx.ret();
  std::string name = ctx.name();
  if (ab.site == Site::String && is_error(ret)) {
    warn(ap.rule, "failed",
         fmt::format("rewrite: {} -> {} failed: {}", name, quote(st.new_string), err_name(ret)));
  } else if (ab.site == Site::InBuffer) {
    if (is_error(ret)) {
      warn(ap.rule, "failed",
           fmt::format("rewrite: {} of the rewritten {} failed: {}", name, a.arg, err_name(ret)));
    } else if (static_cast<std::uint64_t>(ret) == st.new_len) {
      // The program asked to write orig_len bytes and must see them all written, or it would
      // write the rest again (a short write), whatever length the rewritten bytes had.
      (void)ctx.set_return(static_cast<std::int64_t>(st.orig_len));
    } else {
      // A short write of the rewritten bytes has no exact counterpart in the original ones:
      // the program is told as many bytes (at most its own count) and writes the rest again.
      std::uint64_t told = std::min<std::uint64_t>(static_cast<std::uint64_t>(ret), st.orig_len);
      warn(ap.rule, "short",
           fmt::format("rewrite: {} wrote {} of the {} rewritten bytes; the program is told {}",
                       name, ret, st.new_len, told));
      (void)ctx.set_return(static_cast<std::int64_t>(told));
    }
  } else if (ab.site == Site::OutBuffer) {
    exit_buffer(ctx, ap, k, marks);
  } else if (a.kind == ActionKind::Deny || a.kind == ActionKind::Skip) {
    std::int64_t want = a.kind == ActionKind::Deny ? -a.number : a.number;
    if (ret != want) {
      warn(ap.rule, "skip",
           fmt::format("rewrite: {} was to return {} but returned {}", name, want, ret));
    }
  } else if (a.kind == ActionKind::Return) {
    Status s = ctx.set_return(a.number);
    if (!s.ok() || ctx.ret() != a.number) {
      warn(ap.rule, "return",
           fmt::format("rewrite: return={} on {}: {}", a.number, name,
                       s.ok() ? fmt::format("it returned {}", ctx.ret()) : s.error().message()));
      return;
    }
    marks.emplace_back("(INJECTED)");
  }
}

void RulesHook::exit_buffer(SyscallContext& ctx, Applied& ap, std::size_t k,
                            std::vector<std::string>& marks) {
  const Action& a = rules_[ap.rule].data().actions[k];
  const Binding& b = *ap.binding;
  const ActionState& st = ap.actions[k];
  std::int64_t ret = ctx.ret();
  if (ret <= 0) return;  // an error, or nothing read: nothing to rewrite
  // The return value is the count of bytes the kernel stored (read, recvfrom, readlink...);
  // never more than the buffer, whatever it says.
  std::uint64_t n = std::min(static_cast<std::uint64_t>(ret), st.cap);
  if (n > kMaxBufferBytes) {
    warn(ap.rule, "big",
         fmt::format("rewrite: {} returned {} bytes, over the {} bytes a rewrite reads: not "
                     "rewritten",
                     ctx.name(), n, kMaxBufferBytes));
    return;
  }
  std::string in(n, '\0');
  if (Status r = ctx.memory().read_exact(RemoteAddr(st.buf), std::as_writable_bytes(std::span(in)));
      !r.ok()) {
    warn(ap.rule, "read",
         fmt::format("rewrite: {}: {}", arg_of(b, b.actions[k].arg), r.error().message()));
    return;
  }
  auto out = a.transform.apply(in, kMaxBufferBytes);
  if (!out) {
    warn(ap.rule, "long",
         fmt::format("rewrite: {}={} gives over {} bytes: not rewritten", a.arg,
                     a.transform.describe(), kMaxBufferBytes));
    return;
  }
  if (out->size() > st.cap) {
    // The program's buffer holds cap bytes; the rest of the rewritten data is lost.
    warn(ap.rule, "truncated",
         fmt::format("rewrite: {}={} gives {} bytes, more than the {} of {}: truncated", a.arg,
                     a.transform.describe(), out->size(), st.cap, arg_of(b, b.actions[k].arg)));
    out->resize(st.cap);
  }
  Status s = ctx.memory().write(RemoteAddr(st.buf), std::as_bytes(std::span(*out)));
  if (s.ok()) s = ctx.set_return(static_cast<std::int64_t>(out->size()));
  if (!s.ok()) {
    warn(ap.rule, "write",
         fmt::format("rewrite: {}: {}", arg_of(b, b.actions[k].arg), s.error().message()));
    return;
  }
  marks.push_back(a.arg);
}

}  // namespace ptk::tamper::rules
