// BreakpointSet: insertion, removal, the read filter and the process lifecycle.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "breakpoint_plan.h"
#include "ptk/arch/breakpoint_insn.h"
#include "ptk/core/proc.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::debug {
namespace {

std::uint64_t distance(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : b - a; }

Status check_executable(pid_t pid, std::uint64_t address) {
  auto maps = read_maps(pid);
  if (!maps.ok()) return tracee_gone_if_ending(pid, std::move(maps).error());
  auto it = std::find_if(maps->begin(), maps->end(),
                         [&](const MapEntry& m) { return m.contains(address); });
  if (it == maps->end() || !it->exec) {
    // A process that was killed meanwhile has no maps left: that is what to report.
    return tracee_gone_if_ending(
        pid, Error(ErrorKind::BadAddress, fmt::format("breakpoint at {:#x}", address), 0,
                   fmt::format("the address is not in an executable mapping of process {}", pid)));
  }
  return ok_status();
}

}  // namespace

BreakpointSet::~BreakpointSet() {
  for (const auto& [pid, pb] : procs_) {
    if (const Process* p = session_.process(pid)) p->memory->set_read_filter(nullptr);
  }
}

void BreakpointSet::install_filter(pid_t pid) {
  if (const Process* p = session_.process(pid)) {
    p->memory->set_read_filter([this, pid](std::uint64_t addr, std::span<std::byte> bytes) {
      patch_reads(pid, addr, bytes);
    });
  }
}

void BreakpointSet::patch_reads(pid_t pid, std::uint64_t addr, std::span<std::byte> bytes) const {
  auto pb = procs_.find(pid);
  if (pb == procs_.end()) return;
  const auto& points = pb->second.points;
  // A breakpoint instruction may start before `addr` (aarch64's brk is 4 bytes).
  std::uint64_t from = addr >= InsnBytes::kMax ? addr - (InsnBytes::kMax - 1) : 0;
  for (auto it = points.lower_bound(from); it != points.end() && it->first < addr + bytes.size();
       ++it) {
    const InsnBytes& saved = it->second.saved;
    for (std::size_t i = 0; i < saved.size(); ++i) {
      std::uint64_t at = it->first + i;
      if (at >= addr && at - addr < bytes.size()) bytes[at - addr] = std::byte{saved[i]};
    }
  }
}

bool BreakpointSet::contains(pid_t pid, std::uint64_t address) const {
  auto pb = procs_.find(pid);
  return pb != procs_.end() && pb->second.points.count(address) != 0;
}

std::optional<StepOverKind> BreakpointSet::step_over_kind(pid_t pid, std::uint64_t address) const {
  auto pb = procs_.find(pid);
  if (pb == procs_.end()) return std::nullopt;
  auto it = pb->second.points.find(address);
  if (it == pb->second.points.end()) return std::nullopt;
  return it->second.kind;
}

Result<std::uint64_t> BreakpointSet::slot_near(pid_t tid, ProcessBreakpoints& pb,
                                               std::uint64_t address, Arch arch) {
  for (ScratchPage& page : pb.pages) {
    if (page.used + kSlotSize <= kScratchPageSize &&
        distance(page.address, address) < slot_reach(arch)) {
      std::uint64_t slot = page.address + page.used;
      page.used += kSlotSize;
      return slot;
    }
  }
  if (!allocator_) {
    return Error(ErrorKind::Unsupported, "scratch page for breakpoints", 0, "no allocator");
  }
  PTK_ASSIGN_OR_RETURN(std::uint64_t page, allocator_(tid, address, kScratchPageSize));
  pb.pages.push_back({.address = page, .used = kSlotSize});
  return page;
}

Status BreakpointSet::plan(pid_t tid, ProcessBreakpoints& pb, Breakpoint& bp, Arch arch) {
  Memory& mem = session_.memory(tid);
  std::array<std::byte, 16> code{};
  auto n = mem.read(RemoteAddr(bp.address), code);
  if (!n.ok()) {
    if (n.error().kind() == ErrorKind::TraceeGone) return std::move(n).error();
    return Error(ErrorKind::BadAddress, fmt::format("breakpoint at {:#x}", bp.address), 0,
                 "the address cannot be read");
  }
  auto bytes = std::span<const std::byte>(code).first(*n);
  const InsnBytes& trap = abi(arch).breakpoint_insn;
  if (holds_insn(bytes, trap)) {
    return Error(ErrorKind::InvalidArgument, fmt::format("breakpoint at {:#x}", bp.address), 0,
                 "the program has a breakpoint instruction of its own there");
  }
  PTK_ASSIGN_OR_RETURN(StepOverPlan p, plan_step_over(arch, bp.address, bytes));
  bp.saved = insn_bytes_of(bytes, trap.size());
  bp.length = p.length;
  bp.kind = p.kind;
  bp.target = p.target;
  bp.op = static_cast<std::uint8_t>(p.op);
  if (p.kind != StepOverKind::Slot) return ok_status();
  bp.kind = StepOverKind::Classic;  // unless a slot works out below
  auto slot = slot_near(tid, pb, bp.address, arch);
  if (!slot.ok()) return ok_status();
  auto slot_bytes = slot_code(arch, p, bp.address, bytes, *slot);
  if (!slot_bytes) return ok_status();  // an operand or the jump back out of the slot's reach
  PTK_TRY(mem.write(RemoteAddr(*slot), *slot_bytes));
  bp.kind = StepOverKind::Slot;
  bp.slot = *slot;
  pb.slots[*slot] = Slot{.address = bp.address, .length = p.length};
  return ok_status();
}

Status BreakpointSet::insert(pid_t tid, std::uint64_t address) {
  const Thread* t = session_.thread(tid);
  if (t == nullptr) {
    return session_.untraced(tid, fmt::format("breakpoint in thread {}", tid));
  }
  pid_t pid = t->pid;
  Arch arch = t->arch;
  ProcessBreakpoints& pb = procs_[pid];
  if (auto it = pb.points.find(address); it != pb.points.end()) {
    ++it->second.refs;
    return ok_status();
  }
  const std::span<const std::byte> trap = abi(arch).breakpoint_insn.bytes();
  PTK_TRY(check_executable(pid, address));
  Breakpoint bp{.address = address, .refs = 1};
  PTK_TRY(plan(tid, pb, bp, arch));
  // The slot is complete before the breakpoint instruction that leads threads to it exists.
  PTK_TRY(session_.memory(tid).write(RemoteAddr(address), trap));
  pb.points.emplace(address, bp);
  pb.removed.erase(address);
  install_filter(pid);
  return ok_status();
}

Status BreakpointSet::remove(pid_t pid, std::uint64_t address) {
  auto pb = procs_.find(pid);
  if (pb == procs_.end()) return ok_status();
  auto it = pb->second.points.find(address);
  if (it == pb->second.points.end() || --it->second.refs > 0) return ok_status();
  InsnBytes saved = it->second.saved;
  pb->second.points.erase(it);
  pb->second.removed.insert(address);
  if (const Process* p = session_.process(pid)) {
    return p->memory->write(RemoteAddr(address), saved.bytes());
  }
  return ok_status();
}

Status BreakpointSet::on_fork(pid_t parent, pid_t child, bool follow) {
  auto pb = procs_.find(parent);
  if (pb == procs_.end()) return ok_status();
  if (follow) {
    // The child's copy of the address space holds the same breakpoint bytes and scratch pages.
    ProcessBreakpoints& copy = procs_[child] = pb->second;
    copy.repeats.clear();  // its one thread is new
    if (!copy.points.empty()) install_filter(child);
    return ok_status();
  }
  // Not followed: the child must not meet a breakpoint nobody handles (SIGTRAP would kill it).
  // Writing /proc/CHILD/mem needs no stop; the child has not run yet (auto-attached). Its copy
  // of the scratch pages goes at release(child), before it is let go.
  if (!pb->second.pages.empty()) {
    ProcessBreakpoints& inherited = procs_[child];
    inherited.pages = pb->second.pages;
    inherited.slots = pb->second.slots;
  }
  Memory mem(child);
  Status result = ok_status();
  for (const auto& [address, bp] : pb->second.points) {
    Status s = mem.write(RemoteAddr(address), bp.saved.bytes());
    if (!s.ok() && result.ok()) result = s;
  }
  return result;
}

void BreakpointSet::on_exec(pid_t pid) {
  if (procs_.erase(pid) == 0) return;
  if (const Process* p = session_.process(pid)) p->memory->set_read_filter(nullptr);
}

void BreakpointSet::on_exit(pid_t pid) { procs_.erase(pid); }

std::optional<Event> BreakpointSet::next_deferred() {
  if (deferred_.empty()) return std::nullopt;
  Event ev = deferred_.front();
  deferred_.pop_front();
  return ev;
}

}  // namespace ptk::debug
