// BreakpointSet at a hit: recognising it, stepping over it (slot, emulation or the classic
// stop-everything path), and letting a process go.
#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>
#include <set>
#include <string_view>

#include "breakpoint_plan.h"
#include "ptk/arch/a64_insn.h"
#include "ptk/arch/breakpoint_insn.h"
#include "ptk/core/proc.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/debug/temp_breakpoint.h"

namespace ptk::debug {
namespace {

std::uint64_t load_le(std::span<const std::byte> bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) {
    value = (value << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  }
  return value;
}

}  // namespace

Result<std::optional<BreakpointHit>> BreakpointSet::match(const Event& ev) {
  if (!TempBreakpoint::is_breakpoint_trap(ev)) return std::optional<BreakpointHit>{};
  auto pb = procs_.find(ev.pid);
  if (pb == procs_.end()) return std::optional<BreakpointHit>{};
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  std::uint64_t address = regs.ip() - regs.abi_info().breakpoint_pc_adjust;
  if (pb->second.points.count(address) == 0) return std::optional<BreakpointHit>{};
  regs.set_ip(address);
  bool repeated = false;
  if (auto r = pb->second.repeats.find(ev.tid); r != pb->second.repeats.end()) {
    repeated = r->second == address;
    if (repeated) pb->second.repeats.erase(r);
  }
  return std::optional<BreakpointHit>(BreakpointHit{
      .tid = ev.tid, .pid = ev.pid, .address = address, .regs = regs, .repeated = repeated});
}

Result<bool> BreakpointSet::absorb_stale_trap(const Event& ev) {
  if (!TempBreakpoint::is_breakpoint_trap(ev)) return false;
  auto pb = procs_.find(ev.pid);
  if (pb == procs_.end()) return false;
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  std::uint64_t address = regs.ip() - regs.abi_info().breakpoint_pc_adjust;
  if (pb->second.removed.count(address) == 0) return false;
  const InsnBytes& trap = regs.abi_info().breakpoint_insn;
  std::array<std::byte, InsnBytes::kMax> now{};
  PTK_TRY(
      session_.memory(ev.tid).read_exact(RemoteAddr(address), std::span(now).first(trap.size())));
  if (holds_insn(now, trap))
    return false;  // a breakpoint instruction there again: not ours to hide
  regs.set_ip(address);
  PTK_TRY(session_.set_regs(ev.tid, regs));
  PTK_TRY(session_.resume(ev.tid, Resume::Default, 0));
  return true;
}

Status BreakpointSet::step_over(const BreakpointHit& hit) {
  auto pb = procs_.find(hit.pid);
  const Breakpoint* bp = nullptr;
  if (pb != procs_.end()) {
    if (auto it = pb->second.points.find(hit.address); it != pb->second.points.end()) {
      bp = &it->second;
    }
  }
  Registers regs = hit.regs;
  if (bp == nullptr) {  // removed since the hit (--once): the byte is back, run it in place
    PTK_TRY(session_.set_regs(hit.tid, regs));
    return session_.resume(hit.tid, Resume::Default, 0);
  }
  switch (bp->kind) {
    case StepOverKind::Slot:
      ++stats_.slot;
      regs.set_ip(bp->slot);
      PTK_TRY(session_.set_regs(hit.tid, regs));
      // Signal 0: the breakpoint's SIGTRAP is ours, not the program's.
      return session_.resume(hit.tid, Resume::Default, 0);
    case StepOverKind::Emulate:
      ++stats_.emulated;
      return emulate(hit, *bp);
    case StepOverKind::Classic:
      ++stats_.classic;
      return classic_step(hit, *bp);
  }
  return ok_status();
}

Status BreakpointSet::emulate(const BreakpointHit& hit, const Breakpoint& bp) {
  Registers regs = hit.regs;
  const std::size_t word = regs.abi_info().word_size;
  Memory& mem = session_.memory(hit.tid);
  switch (static_cast<EmulateOp>(bp.op)) {
    case EmulateOp::CallRel: {
      std::uint64_t ret = bp.address + bp.length;
      std::uint64_t sp = regs.sp() - word;
      std::array<std::byte, 8> bytes{};
      for (std::size_t i = 0; i < word; ++i) bytes[i] = static_cast<std::byte>(ret >> (8 * i));
      PTK_TRY(mem.write(RemoteAddr(sp), std::span(bytes).first(word)));
      regs.set_sp(sp);
      regs.set_ip(bp.target);
      break;
    }
    case EmulateOp::JmpRel:
      regs.set_ip(bp.target);
      break;
    case EmulateOp::Ret: {
      std::array<std::byte, 8> bytes{};
      PTK_TRY(mem.read_exact(RemoteAddr(regs.sp()), std::span(bytes).first(word)));
      std::uint64_t to = 0;
      for (std::size_t i = 0; i < word; ++i)
        to |= std::to_integer<std::uint64_t>(bytes[i]) << (8 * i);
      regs.set_ip(to);
      regs.set_sp(regs.sp() + word);
      break;
    }
    case EmulateOp::A64:
      PTK_TRY(emulate_a64(bp, regs, mem));
      break;
    case EmulateOp::None:
      return classic_step(hit, bp);
  }
  PTK_TRY(session_.set_regs(hit.tid, regs));
  return session_.resume(hit.tid, Resume::Default, 0);
}

Status BreakpointSet::emulate_a64(const Breakpoint& bp, Registers& regs, Memory& mem) {
  const std::uint32_t word = a64::word_of(bp.saved.bytes());
  std::optional<a64::Effect> effect = a64::simulate(word, bp.address, regs);
  if (!effect) {
    return Error(ErrorKind::Unsupported,
                 fmt::format("step over the breakpoint at {:#x}", bp.address), 0,
                 fmt::format("instruction {:#010x} is not one ptk simulates", word));
  }
  if (effect->write_reg) a64::set_x(regs, *effect->write_reg, effect->write_value);
  if (effect->load) {
    std::array<std::byte, 8> bytes{};
    auto loaded = std::span(bytes).first(effect->load->width);
    PTK_TRY(mem.read_exact(RemoteAddr(effect->load->address), loaded));
    std::uint64_t value = load_le(loaded);
    if (effect->load->sign && effect->load->width == 4) {
      value =
          static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(value)));
    }
    a64::set_x(regs, effect->load->reg, value);
  }
  regs.set_ip(effect->next_pc);
  return ok_status();
}

Status BreakpointSet::stop_others(pid_t pid, pid_t except, std::vector<pid_t>& stopped) {
  const Process* p = session_.process(pid);
  if (p == nullptr) return ok_status();
  std::set<pid_t> pending;
  for (pid_t tid : std::vector<pid_t>(p->tids)) {
    const Thread* t = session_.thread(tid);
    if (tid == except || t == nullptr || t->state != ThreadState::Running) continue;
    if (session_.interrupt(tid).ok()) pending.insert(tid);  // else gone meanwhile
  }
  // Session::wait, not wait_thread: a thread may be stopped at a clone event whose report
  // Session hands out after the new thread's start, from its queue, which wait_thread never
  // looks at. Blocking waits here ignore ptk's stop flag (a release must finish).
  WaitPolicy policy = session_.options().wait_policy;
  WaitPolicy quiet = policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  Status result = ok_status();
  while (!pending.empty()) {
    auto ev = session_.wait();
    if (!ev.ok()) {
      result = std::move(ev).error();
      break;
    }
    bool ours = pending.erase(ev->tid) != 0;
    if (ours && ev->kind == EventKind::Interrupt) {
      stopped.push_back(ev->tid);
    } else {
      // Stopped for a reason of its own before the interrupt took (or another thread's
      // event): the caller handles it later. The interrupt's own stop may then follow once,
      // as a spurious Interrupt.
      deferred_.push_back(*ev);
    }
    for (auto it = pending.begin(); it != pending.end();) {
      it = session_.thread(*it) == nullptr ? pending.erase(it) : std::next(it);
    }
  }
  session_.set_wait_policy(policy);
  return result;
}

Status BreakpointSet::classic_step(const BreakpointHit& hit, const Breakpoint& bp) {
  // Every other thread stays stopped while the original byte is back: none can run past the
  // breakpoint unseen, or execute a mix of old and new bytes.
  std::vector<pid_t> stopped;
  PTK_TRY(stop_others(hit.pid, hit.tid, stopped));
  Memory& mem = session_.memory(hit.tid);
  PTK_TRY(mem.write(RemoteAddr(bp.address), bp.saved.bytes()));
  PTK_TRY(session_.set_regs(hit.tid, hit.regs));
  int held_signal = 0;
  bool resume_hit = true;
  for (;;) {
    PTK_TRY(session_.resume(hit.tid, Resume::SingleStep, 0));
    auto ev = session_.wait_thread(hit.tid);
    if (!ev.ok() || !ev->stopped()) {
      resume_hit = false;
      if (ev.ok()) deferred_.push_back(*ev);
      break;
    }
    if (ev->kind == EventKind::Trap) break;  // stepped (TRAP_TRACE, or a stepped syscall's report)
    if (ev->kind == EventKind::Signal) {
      // A signal came first and the instruction has not run: step it, deliver the signal after.
      held_signal = ev->signal;
      continue;
    }
    if (ev->kind == EventKind::Interrupt) continue;
    deferred_.push_back(*ev);  // exec, clone, ...: the caller handles it and resumes
    resume_hit = false;
    break;
  }
  Status reinsert = ok_status();
  if (session_.process(hit.pid) != nullptr) {
    reinsert = mem.write(RemoteAddr(bp.address), hit.regs.abi_info().breakpoint_insn.bytes());
  }
  for (pid_t tid : stopped) (void)session_.resume(tid, Resume::Default, -1);
  if (resume_hit) PTK_TRY(session_.resume(hit.tid, Resume::Default, held_signal));
  return reinsert;
}

Status BreakpointSet::rewind_if_ours(pid_t tid, ProcessBreakpoints& pb) {
  const Thread* t = session_.thread(tid);
  if (t == nullptr || t->state != ThreadState::Stopped || t->last_stop != EventKind::Trap) {
    return ok_status();
  }
  PTK_ASSIGN_OR_RETURN(siginfo_t si, session_.siginfo(tid));
  if (si.si_code != kHostTrapCodes.breakpoint) return ok_status();
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(tid));
  std::uint64_t address = regs.ip() - regs.abi_info().breakpoint_pc_adjust;
  if (pb.removed.count(address) == 0) return ok_status();
  // Its trap was never handled: as far as the program knows it never ran the breakpoint.
  regs.set_ip(address);
  PTK_TRY(session_.set_regs(tid, regs));
  return session_.set_pending_signal(tid, 0);
}

Status BreakpointSet::release(pid_t pid) {
  // Blocking waits here ignore ptk's stop flag: a release must finish.
  WaitPolicy policy = session_.options().wait_policy;
  WaitPolicy quiet = policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  Status result = release_stopped(pid);
  session_.set_wait_policy(policy);
  return result;
}

Status BreakpointSet::release_stopped(pid_t pid) {
  // Every thread stopped first (watchpoints are cleared next, which needs ptrace-stops too).
  std::vector<pid_t> stopped;
  PTK_TRY(stop_others(pid, 0, stopped));
  ProcessBreakpoints none;
  auto it = procs_.find(pid);
  ProcessBreakpoints& pb = it != procs_.end() ? it->second : none;
  Status result = ok_status();
  for (const auto& [address, bp] : std::map<std::uint64_t, Breakpoint>(pb.points)) {
    pb.points.find(address)->second.refs = 1;
    Status s = remove(pid, address);
    if (!s.ok() && result.ok()) result = s;
  }
  // Deferred events of the process are handled here: a trap is undone, the rest is moot.
  std::erase_if(deferred_, [pid](const Event& ev) { return ev.pid == pid; });
  const Process* p = session_.process(pid);
  for (pid_t tid : p != nullptr ? std::vector<pid_t>(p->tids) : std::vector<pid_t>{}) {
    Status s = rewind_if_ours(tid, pb);
    // A trap still queued: run the thread to its report, then undo that one too.
    for (int round = 0; s.ok() && round < 3 && session_.thread(tid) != nullptr &&
                        thread_signal_pending(tid, SIGTRAP);
         ++round) {
      if (!session_.resume(tid, Resume::Continue, 0).ok()) break;
      for (;;) {
        auto ev = session_.wait();
        if (!ev.ok()) return std::move(ev).error();
        if (ev->tid == tid) break;
        if (ev->pid != pid) deferred_.push_back(*ev);
      }
      s = rewind_if_ours(tid, pb);
    }
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone && result.ok()) result = s;
  }
  if (Status s = leave_slots(pid, pb); !s.ok() && result.ok()) result = s;
  if (Status s = unmap_pages(pid, pb); !s.ok() && result.ok()) result = s;
  // Nothing of ours is left in the process: forget it (its pid may come back as another's).
  if (it != procs_.end()) procs_.erase(it);
  if (p != nullptr) p->memory->set_read_filter(nullptr);
  return result;
}

}  // namespace ptk::debug
