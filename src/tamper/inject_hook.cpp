#include "ptk/tamper/inject_hook.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdio>

#include "ptk/sys/decoded.h"
#include "ptk/sys/escape.h"

namespace ptk::tamper {
namespace {

bool is_error_value(std::int64_t v) { return v < 0 && v >= -4095; }

// A result as strace shows it: "-1 ENOENT" or "42".
std::string describe(std::int64_t v) {
  if (is_error_value(v)) {
    std::string_view name = sys::errno_name(static_cast<int>(-v));
    return name.empty() ? fmt::format("-1 errno {}", -v) : fmt::format("-1 {}", name);
  }
  return fmt::format("{}", v);
}

// strace's injected value on a 32-bit ABI is the low half of the value given.
std::int64_t for_abi(Arch arch, std::int64_t v) {
  return abi(arch).word_size == 4 ? static_cast<std::int32_t>(v) : v;
}

// i386 reaches the socket and SysV IPC calls through the multiplexers socketcall(2) and ipc(2)
// (a glibc of Debian 12 still does for some). As in -e trace=, a set that names the sub-call
// (inject=connect) matches socketcall(SYS_CONNECT, ...): the number of the sub-call's own
// i386 syscall, taken from the name the decoder gave the call, is the one that counts.
std::int64_t matched_nr(const sys::DecodedSyscall& sc) {
  if (sc.arch != Arch::I386 || sc.spec == nullptr || sc.display_for != sc.spec ||
      sc.display_name.empty()) {
    return sc.nr;
  }
  const SyscallSpec* sub = find_syscall(Arch::I386, sc.display_name);
  return sub != nullptr ? sub->nr : sc.nr;
}

bool is_multiplexer(Arch arch, const SyscallSpec& spec, std::uint32_t& members) {
  if (arch != Arch::I386) return false;
  if (spec.name == "socketcall") members = kClassNetwork;
  if (spec.name == "ipc") members = kClassIpc;
  return members != 0;
}

}  // namespace

InjectHook::InjectHook(std::vector<InjectSpec> specs)
    : specs_(std::move(specs)), warned_(specs_.size(), false) {}

bool InjectHook::wants(Arch arch, const SyscallSpec* spec) const {
  if (spec == nullptr) return false;
  for (const InjectSpec& s : specs_) {
    if (s.syscalls.selects(arch, spec->nr)) return true;
  }
  // socketcall / ipc stop when a set names one of the calls they multiplex.
  std::uint32_t members = 0;
  if (!is_multiplexer(arch, *spec, members)) return false;
  for (const SyscallSpec& sub : syscall_table(arch)) {
    if ((sub.classes & members) == 0 || sub.nr == spec->nr) continue;
    for (const InjectSpec& s : specs_) {
      if (s.syscalls.selects(arch, sub.nr)) return true;
    }
  }
  return false;
}

std::uint64_t InjectHook::next_invocation(pid_t tid, std::size_t spec, Arch arch, std::int64_t nr) {
  std::uint64_t key = (static_cast<std::uint64_t>(spec) << 32) |
                      (static_cast<std::uint64_t>(arch) << 24) |
                      (static_cast<std::uint64_t>(nr) & 0xffffff);
  std::vector<Counter>& counts = counts_[tid];
  for (Counter& c : counts) {
    if (c.key == key) return ++c.count;
  }
  counts.push_back({key, 1});
  return 1;
}

void InjectHook::warn_once(std::size_t spec, const std::string& text) {
  if (warned_[spec]) return;
  warned_[spec] = true;
  warn(text);
}

void InjectHook::warn(const std::string& text) {
  if (warn_) {
    warn_(text);
  } else {
    fmt::print(stderr, "ptk: inject: {}\n", sys::printable(text));
  }
}

// As strace: a poke at memory that ends early writes what it can (and counts as done); one
// that cannot write a byte, or names an argument the call does not have, is reported each time.
bool InjectHook::poke(SyscallContext& ctx, const std::vector<InjectPoke>& pokes) {
  bool poked = false;
  const sys::DecodedSyscall& sc = ctx.syscall();
  int nargs = sc.spec != nullptr ? sc.spec->nargs : 6;
  for (const InjectPoke& p : pokes) {
    if (p.arg + 1 > nargs) {
      warn(
          fmt::format("Failed to tamper with process {}: requested to tamper with argument #{}, "
                      "but system call '{}' has only {} arguments",
                      ctx.tid(), p.arg + 1, ctx.name(), nargs));
      continue;
    }
    std::uint64_t addr = ctx.arg(p.arg);
    std::size_t written = p.bytes.size();
    if (!ctx.memory().write(RemoteAddr(addr), p.bytes).ok()) {
      // How far the memory goes: the bytes before the first one that cannot be written.
      written = 0;
      while (written < p.bytes.size() &&
             ctx.memory()
                 .write(RemoteAddr(addr + written), std::span(p.bytes).subspan(written, 1))
                 .ok()) {
        ++written;
      }
      if (written == 0) {
        warn(fmt::format("Failed to tamper with process {}: couldn't poke", ctx.tid()));
        continue;
      }
      warn(fmt::format("pid:{} short write ({} < {}) @{:#x}", ctx.tid(), written, p.bytes.size(),
                       addr));
    }
    poked = true;
  }
  return poked;
}

void InjectHook::on_entry(SyscallContext& ctx) {
  const sys::DecodedSyscall& sc = ctx.syscall();
  Fired f;
  std::int64_t nr = matched_nr(sc);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const InjectSpec& spec = specs_[i];
    std::int64_t counted = spec.syscalls.selects(sc.arch, nr) ? nr : sc.nr;
    if (!spec.syscalls.selects(sc.arch, counted)) continue;
    if (!spec.when.selects(next_invocation(sc.tid, i, sc.arch, counted))) continue;
    f.specs.push_back(static_cast<int>(i));
    if (spec.signal != 0) {
      if (Status s = ctx.raise(spec.signal); !s.ok()) warn_once(i, s.error().message());
    }
    if (spec.replaces_result()) {
      f.result_spec = static_cast<int>(i);
      f.substituted = spec.substitute.has_value();
      Status s = f.substituted
                     ? ctx.set_syscall(spec.substitute_nr[static_cast<std::size_t>(sc.arch)])
                     : ctx.skip(for_abi(sc.arch, spec.result_value()));
      if (!s.ok()) warn_once(i, s.error().message());
    }
    if (!spec.poke_enter.empty() && poke(ctx, spec.poke_enter)) {
      f.poked = true;
      ctx.args_poked();
    }
    if (spec.delay_enter) {
      ctx.delay(std::chrono::ceil<std::chrono::microseconds>(*spec.delay_enter));
      f.delayed = true;
    }
  }
  if (f.specs.empty()) {
    fired_.erase(sc.tid);
  } else {
    fired_[sc.tid] = std::move(f);
  }
}

void InjectHook::on_exit(SyscallContext& ctx) {
  auto it = fired_.find(ctx.tid());
  if (it == fired_.end()) return;
  Fired f = std::move(it->second);
  fired_.erase(it);
  bool replaced = false;
  if (f.result_spec >= 0) {
    auto index = static_cast<std::size_t>(f.result_spec);
    std::int64_t want = for_abi(ctx.arch(), specs_[index].result_value());
    std::int64_t got = ctx.kernel_ret();
    // A skipped call (number -1) must come back -ENOSYS; a pure substitute must succeed.
    bool took = f.substituted ? !is_error_value(got) : got == -ENOSYS;
    if (took && f.substituted) took = ctx.set_return(want).ok();
    if (took) {
      replaced = true;
    } else {
      warn_once(index, fmt::format("{} in {} returned {}, not the injected {}", ctx.name(),
                                   ctx.tid(), describe(got), describe(want)));
    }
  }
  for (int i : f.specs) {
    const InjectSpec& spec = specs_[static_cast<std::size_t>(i)];
    if (!spec.poke_exit.empty() && poke(ctx, spec.poke_exit)) f.poked = true;
    if (spec.delay_exit) {
      ctx.delay(std::chrono::ceil<std::chrono::microseconds>(*spec.delay_exit));
      f.delayed = true;
    }
  }
  if (replaced && f.poked) {
    ctx.mark("(INJECTED: args, retval)");
  } else if (f.poked) {
    ctx.mark("(INJECTED: args)");
  } else if (replaced) {
    ctx.mark("(INJECTED)");
  }
  if (f.delayed) ctx.mark("(DELAYED)");
}

void InjectHook::on_thread_exit(pid_t tid) {
  counts_.erase(tid);
  fired_.erase(tid);
}

void InjectHook::on_exec(pid_t tid, pid_t old_tid) {
  if (tid == old_tid) return;
  // The thread that called execve goes on as `tid`, with its counts.
  if (auto c = counts_.extract(old_tid); !c.empty()) {
    c.key() = tid;
    counts_.erase(tid);
    counts_.insert(std::move(c));
  }
  if (auto f = fired_.extract(old_tid); !f.empty()) {
    f.key() = tid;
    fired_.erase(tid);
    fired_.insert(std::move(f));
  }
}

}  // namespace ptk::tamper
