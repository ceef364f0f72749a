// BreakpointSet's scratch pages at the end: moving threads and signal frames out of the slots,
// and unmapping the pages, so that a released process holds nothing of ptk's.
#include <fmt/format.h>

#include "breakpoint_plan.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::debug {

std::optional<std::uint64_t> BreakpointSet::out_of_slot(const ProcessBreakpoints& pb,
                                                        std::uint64_t ip, bool& at_start) {
  auto it = pb.slots.upper_bound(ip);
  if (it == pb.slots.begin()) return std::nullopt;
  --it;
  // In the slot: on the displaced instruction, or on the jump back right after it (the
  // instruction has run; a syscall there that the kernel will restart also leaves the ip
  // just after it, and the restart moves it back by the same length either way).
  std::uint64_t offset = ip - it->first;
  if (offset > it->second.length) return std::nullopt;
  at_start = offset == 0;
  return it->second.address + offset;
}

Status BreakpointSet::before_signal(const Event& ev) {
  if (ev.kind != EventKind::Signal) return ok_status();
  auto pb = procs_.find(ev.pid);
  if (pb == procs_.end() || pb->second.slots.empty()) return ok_status();
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  bool at_start = false;
  std::optional<std::uint64_t> to = out_of_slot(pb->second, regs.ip(), at_start);
  if (!to) return ok_status();
  // The kernel saves the ip in the handler's signal frame and sigreturn jumps back to it: it
  // must be an address that stays valid after release() unmaps the slot. Before the displaced
  // instruction has run, that is the breakpoint itself; the thread meets it again once the
  // handler returns, which is the same hit, not a new one.
  if (at_start && pb->second.points.count(*to) != 0) pb->second.repeats[ev.tid] = *to;
  regs.set_ip(*to);
  return session_.set_regs(ev.tid, regs);
}

Status BreakpointSet::leave_slots(pid_t pid, ProcessBreakpoints& pb) {
  const Process* p = session_.process(pid);
  if (p == nullptr || pb.slots.empty()) return ok_status();
  Status result = ok_status();
  for (pid_t tid : std::vector<pid_t>(p->tids)) {
    const Thread* t = session_.thread(tid);
    if (t == nullptr || t->state != ThreadState::Stopped) continue;
    auto regs = session_.get_regs(tid);
    if (!regs.ok()) {
      if (regs.error().kind() != ErrorKind::TraceeGone && result.ok()) result = regs.error();
      continue;
    }
    bool at_start = false;
    std::optional<std::uint64_t> to = out_of_slot(pb, regs->ip(), at_start);
    if (!to) continue;
    // The breakpoints are out by now: at_start, the original instruction runs in place.
    regs->set_ip(*to);
    if (Status s = session_.set_regs(tid, *regs); !s.ok() && result.ok()) result = s;
  }
  return result;
}

Status BreakpointSet::unmap_pages(pid_t pid, ProcessBreakpoints& pb) {
  if (pb.pages.empty() || !releaser_) return ok_status();
  const Process* p = session_.process(pid);
  if (p == nullptr) return ok_status();
  Status result = ok_status();
  for (const ScratchPage& page : pb.pages) {
    // Any stopped thread can run the munmap; one that cannot (a group-stop, which running code
    // would end) lets the next one try.
    Status s =
        Error(ErrorKind::Unsupported, fmt::format("unmap the scratch page {:#x}", page.address), 0,
              "no thread of the process can run a syscall now");
    for (pid_t tid : p->tids) {
      s = releaser_(tid, page.address, kScratchPageSize);
      if (s.ok() || s.error().kind() == ErrorKind::TraceeGone) break;
    }
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone && result.ok()) result = s;
  }
  pb.pages.clear();
  pb.slots.clear();
  return result;
}

}  // namespace ptk::debug
