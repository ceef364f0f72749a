// Watchpoints: programming them into every thread of a process, and decoding hits. The x86
// side (DR0-DR3/DR7) is here, aarch64's regsets in watchpoints_a64.cpp.
#include "ptk/debug/watchpoints.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <cstring>

#include "ptk/arch/arch.h"
#include "ptk/core/host.h"

namespace ptk::debug {

namespace {

// ptk traces this host's architecture only: its watchpoints are this host's kind.
constexpr bool kAarch64 = kHostArches[0] == Arch::Aarch64;

std::string describe(const WatchSpec& spec) {
  if (!spec.label.empty()) return fmt::format("watchpoint {}", spec.label);
  return fmt::format("watchpoint {:#x}:{}:{}", spec.address, spec.len, to_string(spec.kind));
}

}  // namespace

Watchpoints::~Watchpoints() { (void)remove_all(); }

std::size_t Watchpoints::size() const {
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const auto& s) { return s.has_value(); }));
}

std::vector<pid_t> Watchpoints::live_threads() const {
  std::vector<pid_t> out;
  const Process* proc = session_.process(pid_);
  if (proc == nullptr) return out;
  for (pid_t tid : proc->tids) {
    const Thread* t = session_.thread(tid);
    if (t != nullptr && t->state != ThreadState::Exited) out.push_back(tid);
  }
  return out;
}

Status Watchpoints::program_thread(pid_t tid, int slot, std::uint64_t dr7) {
  const auto& spec = slots_.at(static_cast<std::size_t>(slot));
  // The address first: Linux builds the perf breakpoint behind a slot from DR0-DR3 when DR7
  // enables it (arch/x86/kernel/ptrace.c, ptrace_write_dr7), and checks length and alignment
  // then, restoring the old DR7 if it refuses.
  if (spec) PTK_TRY(session_.set_debugreg(tid, slot, spec->address));
  return session_.set_debugreg(tid, kDr7Index, dr7);
}

Result<std::uint64_t> Watchpoints::read_value(pid_t tid, const WatchSpec& spec) {
  std::uint64_t value = 0;
  std::byte bytes[8]{};
  PTK_TRY(session_.memory(tid).read_exact(RemoteAddr(spec.address), std::span(bytes, spec.len)));
  std::memcpy(&value, bytes, spec.len);  // x86 and aarch64 are little-endian: the low bytes
  return value;
}

Result<int> Watchpoints::add(const WatchSpec& spec) {
  // Set on a host whose traps never arrive, it would stay silent: refuse instead.
  if (Status s = require(HostCapability::DebugRegisterTraps); !s.ok()) {
    return Error(ErrorKind::Unsupported, "set " + describe(spec), 0, s.error().message());
  }
  std::vector<pid_t> tids = live_threads();
  if (tids.empty()) {
    return Error(ErrorKind::NoSuchProcess, "set " + describe(spec), ESRCH,
                 fmt::format("process {} has no traced thread", pid_));
  }
  // The thread's current mode decides what it can watch (8 bytes only in 64-bit mode).
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tids.front()));
  if (Status s = check_watch(regs.arch(), spec.address, spec.len, spec.kind); !s.ok()) {
    Error e = s.error();
    return Error(e.kind(), "set " + describe(spec), 0, e.hint());
  }
  int usable = kDebugRegSlots;
  if constexpr (kAarch64) {
    if (Status s = learn_a64_slots(tids.front()); !s.ok()) {
      Error e = s.error();
      return Error(e.kind(), "set " + describe(spec), e.error_number(), e.message());
    }
    usable = a64_slots_for(spec.kind);
  }
  auto free_slot =
      std::find_if(slots_.begin(), slots_.begin() + usable, [](auto& s) { return !s; });
  if (free_slot == slots_.begin() + usable) {
    return Error(ErrorKind::Unsupported, "set " + describe(spec), 0,
                 kAarch64
                     ? fmt::format("all {} hardware {} slots in use; remove one first", usable,
                                   spec.kind == WatchKind::Execute ? "breakpoint" : "watchpoint")
                     : "all 4 debug registers in use; remove a watchpoint first");
  }
  const int slot = static_cast<int>(free_slot - slots_.begin());
  *free_slot = spec;
  const std::uint64_t dr7 = kAarch64 ? 0 : dr7_enable(dr7_, slot, spec.kind, spec.len);
  for (std::size_t i = 0; i < tids.size(); ++i) {
    Status s = kAarch64 ? write_a64_slots(tids[i], true) : program_thread(tids[i], slot, dr7);
    if (s.ok()) continue;
    if (s.error().kind() == ErrorKind::TraceeGone) continue;  // exited meanwhile
    // Leave nothing set: the threads done so far go back to what they held.
    *free_slot = std::nullopt;
    for (std::size_t j = 0; j <= i; ++j) {
      if constexpr (kAarch64) {
        (void)write_a64_slots(tids[j], true);
      } else {
        (void)session_.set_debugreg(tids[j], kDr7Index, dr7_);
      }
    }
    Error e = s.error();
    return Error(e.kind(), "set " + describe(spec), e.error_number(),
                 e.error_number() == EINVAL || e.error_number() == EIO
                     ? "the kernel refused the address (not a user-space address?)"
                     : e.hint());
  }
  dr7_ = dr7;
  shadow_.at(static_cast<std::size_t>(slot)) = std::nullopt;
  if (spec.kind != WatchKind::Execute) {
    if (auto v = read_value(tids.front(), spec); v.ok()) {
      shadow_.at(static_cast<std::size_t>(slot)) = *v;
    }
  }
  return slot;
}

Status Watchpoints::remove(int slot) {
  if (slot < 0 || slot >= kDebugRegSlots || !slots_.at(static_cast<std::size_t>(slot))) {
    return Error(ErrorKind::InvalidArgument, fmt::format("remove watchpoint {}", slot), 0,
                 "no such watchpoint");
  }
  const std::uint64_t dr7 = kAarch64 ? 0 : dr7_disable(dr7_, slot);
  slots_.at(static_cast<std::size_t>(slot)) = std::nullopt;
  Status first = ok_status();
  for (pid_t tid : live_threads()) {
    Status s = kAarch64 ? write_a64_slots(tid, true) : session_.set_debugreg(tid, kDr7Index, dr7);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone && first.ok()) first = s;
  }
  dr7_ = dr7;
  return first;
}

Status Watchpoints::remove_all() {
  Status first = ok_status();
  for (int slot = 0; slot < kDebugRegSlots; ++slot) {
    if (!slots_.at(static_cast<std::size_t>(slot))) continue;
    Status s = remove(slot);
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

Status Watchpoints::on_thread_start(pid_t tid) {
  const Thread* t = session_.thread(tid);
  if (t == nullptr || t->pid != pid_ || size() == 0) return ok_status();
  if constexpr (kAarch64) return write_a64_slots(tid, true);
  for (int slot = 0; slot < kDebugRegSlots; ++slot) {
    if (const auto& spec = slots_.at(static_cast<std::size_t>(slot))) {
      PTK_TRY(session_.set_debugreg(tid, slot, spec->address));
    }
  }
  return session_.set_debugreg(tid, kDr7Index, dr7_);
}

void Watchpoints::forget() {
  slots_ = {};
  shadow_ = {};
  dr7_ = 0;
}

bool Watchpoints::is_hw_trap(const Event& ev) {
  return ev.kind == EventKind::Trap && ev.signal == SIGTRAP && ev.siginfo.si_code == TRAP_HWBKPT;
}

Result<std::optional<WatchHit>> Watchpoints::decode_hit(const Event& ev) {
  if (!is_hw_trap(ev) || ev.pid != pid_) return std::optional<WatchHit>{};
  if constexpr (kAarch64) return decode_a64_hit(ev);
  PTK_ASSIGN_OR_RETURN(std::uint64_t dr6, session_.get_debugreg(ev.tid, kDr6Index));
  // The B bits are sticky on the processor; Linux keeps a per-thread virtual DR6 for ptrace
  // and rebuilds it at each #DB since 5.11, but older kernels accumulate: acknowledge the hit.
  PTK_TRY(session_.set_debugreg(ev.tid, kDr6Index, dr6_clear_hits(dr6)));
  std::optional<int> slot = dr6_hit_slot(dr6);
  if (!slot || !slots_.at(static_cast<std::size_t>(*slot))) return std::optional<WatchHit>{};
  const auto index = static_cast<std::size_t>(*slot);
  WatchHit hit{.slot = *slot, .spec = *slots_.at(index), .tid = ev.tid};
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  hit.ip = regs.ip();
  if (hit.spec.kind != WatchKind::Execute) {
    hit.old_value = shadow_.at(index);
    if (auto v = read_value(ev.tid, hit.spec); v.ok()) {
      hit.new_value = *v;
      shadow_.at(index) = *v;
    }
  }
  return std::optional<WatchHit>(hit);
}

}  // namespace ptk::debug
