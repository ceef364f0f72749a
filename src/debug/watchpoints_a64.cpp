// Watchpoints on aarch64: the slots in NT_ARM_HW_WATCH / NT_ARM_HW_BREAK, which hit they were,
// and the step past it. Built on every host (the regset calls fail with Unsupported off
// aarch64); Watchpoints calls these only on an aarch64 host.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <vector>

#include "ptk/core/hw_debug.h"
#include "ptk/debug/watchpoints.h"

namespace ptk::debug {

namespace {

bool is_data(WatchKind kind) { return kind != WatchKind::Execute; }

// A signal the instruction itself raised (si_code > 0 is the kernel's; these four are faults):
// stepping it again would raise it again.
bool is_fault(const Event& ev) {
  return ev.siginfo.si_code > 0 && (ev.signal == SIGSEGV || ev.signal == SIGBUS ||
                                    ev.signal == SIGILL || ev.signal == SIGFPE);
}

}  // namespace

Status Watchpoints::learn_a64_slots(pid_t tid) {
  if (a64_watch_slots_ >= 0) return ok_status();
  PTK_ASSIGN_OR_RETURN(HwSlotState watch, read_hw_slots(tid, HwSlotKind::Watchpoint));
  PTK_ASSIGN_OR_RETURN(HwSlotState brk, read_hw_slots(tid, HwSlotKind::Breakpoint));
  // ptk offers kDebugRegSlots of them, as on x86: slot i is hardware slot i of its kind.
  a64_watch_slots_ = std::min(watch.info.slots, kDebugRegSlots);
  a64_break_slots_ = std::min(brk.info.slots, kDebugRegSlots);
  return ok_status();
}

int Watchpoints::a64_slots_for(WatchKind kind) const {
  return std::max(is_data(kind) ? a64_watch_slots_ : a64_break_slots_, 0);
}

Status Watchpoints::write_a64_slots(pid_t tid, bool on) {
  if (a64_watch_slots_ < 0) return ok_status();  // nothing was ever set
  std::vector<a64::HwSlot> watch(static_cast<std::size_t>(a64_watch_slots_));
  std::vector<a64::HwSlot> brk(static_cast<std::size_t>(a64_break_slots_));
  for (std::size_t i = 0; on && i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    std::vector<a64::HwSlot>& regset = is_data(slots_[i]->kind) ? watch : brk;
    if (i < regset.size())
      regset[i] = a64::encode(slots_[i]->address, slots_[i]->len, slots_[i]->kind);
  }
  PTK_TRY(write_hw_slots(tid, HwSlotKind::Watchpoint, watch));
  return write_hw_slots(tid, HwSlotKind::Breakpoint, brk);
}

Result<std::optional<WatchHit>> Watchpoints::decode_a64_hit(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  // An execute slot stops with pc on its instruction; a data slot's si_addr is the address the
  // access used (arch/arm64/kernel/hw_breakpoint.c, watchpoint_handler: the fault address).
  std::optional<int> slot;
  std::array<a64::HwSlot, kDebugRegSlots> data{};
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i]) continue;
    a64::HwSlot hw = a64::encode(slots_[i]->address, slots_[i]->len, slots_[i]->kind);
    if (!is_data(slots_[i]->kind)) {
      if (hw.addr == regs.ip() && !slot) slot = static_cast<int>(i);
    } else {
      data[i] = hw;
    }
  }
  if (!slot) slot = a64::hit_slot(data, reinterpret_cast<std::uint64_t>(ev.siginfo.si_addr));
  if (!slot) return std::optional<WatchHit>{};
  const auto index = static_cast<std::size_t>(*slot);
  WatchHit hit{.slot = *slot, .spec = *slots_[index], .tid = ev.tid, .ip = regs.ip()};
  const std::size_t deferred_before = deferred_.size();
  PTK_TRY(step_past_hit(ev.tid));
  if (!is_data(hit.spec.kind) || deferred_.size() != deferred_before) {
    return std::optional<WatchHit>(hit);  // an execute hit is reported at its instruction
  }
  // The access is done now: report it from past the instruction, as x86 does.
  if (auto after = session_.get_regs(ev.tid); after.ok()) hit.ip = after->ip();
  hit.old_value = shadow_.at(index);
  if (auto v = read_value(ev.tid, hit.spec); v.ok()) {
    hit.new_value = *v;
    shadow_.at(index) = *v;
  }
  return std::optional<WatchHit>(hit);
}

// arm64 reports a hit before the access (or the instruction), and for a ptrace slot leaves the
// step past it to the tracer: the kernel steps over a hit itself only for perf events with the
// default overflow handler, and ptrace's has its own (arch/arm64/kernel/hw_breakpoint.c,
// is_default_overflow_handler). Resumed as is, the thread would hit again at once.
Status Watchpoints::step_past_hit(pid_t tid) {
  PTK_TRY(write_a64_slots(tid, false));
  int held_signal = 0;
  bool stopped = true;
  Status stepped = ok_status();
  for (;;) {
    if (Status s = session_.resume(tid, Resume::SingleStep, 0); !s.ok()) {
      stepped = s;
      break;
    }
    Result<Event> ev = session_.wait_thread(tid);
    if (!ev.ok()) {
      stepped = ev.error();
      break;
    }
    if (!ev->stopped()) {  // exited or killed: the caller reports it
      deferred_.push_back(*ev);
      stopped = false;
      break;
    }
    if (ev->kind == EventKind::Trap) break;  // stepped
    if (ev->kind == EventKind::Interrupt) continue;
    if (ev->kind == EventKind::Signal) {
      held_signal = ev->signal;
      // The instruction faults (a store to a read-only page): its signal is the program's,
      // delivered when the caller resumes; the instruction never completes.
      if (is_fault(*ev)) break;
      continue;  // a signal that came first: step, then deliver it
    }
    deferred_.push_back(*ev);  // a stop the caller must see; it resumes the thread from there
    break;
  }
  if (!stopped) return stepped;
  Status on = write_a64_slots(tid, true);
  if (held_signal != 0) PTK_TRY(session_.set_pending_signal(tid, held_signal));
  return !stepped.ok() ? stepped : on;
}

std::optional<Event> Watchpoints::next_deferred() {
  if (deferred_.empty()) return std::nullopt;
  Event ev = deferred_.front();
  deferred_.pop_front();
  return ev;
}

}  // namespace ptk::debug
