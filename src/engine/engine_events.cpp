// The engine's handling of each stop: breakpoint hits and other traps, forks (children seized
// and scrubbed, or followed), new threads in fork order, execs (breakpoints set again at the new
// program's entry point), ends; everything else is shown to the parts and resumed.
#include <utility>

#include "ptk/engine/engine.h"
#include "ptk/engine/program_start.h"

namespace ptk::engine {

void Engine::observe(const Event& ev) {
  for (Part* p : parts_) p->observe(*this, ev);
}

Status Engine::new_program(pid_t pid, pid_t tid) {
  Status first = ok_status();
  for (Part* p : parts_) {
    if (Status s = p->on_new_program(*this, pid, tid); first.ok()) first = std::move(s);
  }
  return first;
}

Status Engine::start_child(pid_t tid) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  if (unfollowed_forks_.erase(pid) != 0) {
    // It is let go with nothing of ptk's: no int3 (scrubbed at the fork), no scratch page.
    Status released = bps_.release(pid);
    Status detached = session_.detach(pid);
    return released.ok() ? detached : released;
  }
  // Its first stop, as the part that traces processes sees it (a parked child's event was
  // held back, see fork_order.h).
  observe(Event{.kind = EventKind::ThreadStart, .tid = tid, .pid = pid});
  Status first = ok_status();
  for (Part* p : parts_) {
    if (Status s = p->on_thread_start(*this, tid); first.ok()) first = std::move(s);
  }
  PTK_TRY(session_.resume(tid));
  return first;
}

Status Engine::handle_trap(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(auto hit, bps_.match(ev));
  if (hit && hit->repeated) return bps_.step_over(*hit);  // reported before its signal
  if (hit) {
    // Whatever the command fails at, the thread must go on.
    Status entry = ok_status();
    if (auto e = exec_entries_.find(hit->pid);
        e != exec_entries_.end() && e->second == hit->address) {
      exec_entries_.erase(e);
      entry = new_program(hit->pid, hit->tid);
      // Once removed (unless the command set a breakpoint there too), the step-over runs the
      // entry instruction in place.
      if (Status removed = bps_.remove(hit->pid, hit->address); entry.ok()) entry = removed;
    }
    Status s = ok_status();
    for (Part* p : parts_) {
      if (Status h = p->on_hit(*this, *hit); s.ok()) s = std::move(h);
    }
    Status stepped = bps_.step_over(*hit);
    return !entry.ok() ? entry : !s.ok() ? s : stepped;
  }
  PTK_ASSIGN_OR_RETURN(bool stale, bps_.absorb_stale_trap(ev));
  if (stale) return ok_status();
  for (Part* p : parts_) {
    PTK_ASSIGN_OR_RETURN(bool handled, p->on_other_trap(*this, ev));
    if (handled) return ok_status();
  }
  observe(ev);
  return session_.resume(ev);  // the program's own trap: passed on
}

// At the exec stop only the program and its loader are mapped: the command's breakpoints go in
// when the new program reaches its entry point. Without one (no auxv), now.
Status Engine::break_at_entry(const Event& exec) {
  if (!uses_breakpoints_) return new_program(exec.pid, exec.tid);
  auto regs = session_.get_regs(exec.tid);
  auto entry = regs.ok() ? entry_point(exec.pid, regs->arch()) : std::nullopt;
  if (entry && bps_.insert(exec.tid, *entry).ok()) {
    exec_entries_[exec.pid] = *entry;
    return ok_status();
  }
  return new_program(exec.pid, exec.tid);
}

void Engine::handle_end(const Event& ev) {
  observe(ev);
  if (ev.tid == pid_) exit_code_ = ev.kind == EventKind::Exited ? ev.exit_code : 128 + ev.signal;
  for (Part* p : parts_) p->on_exit(*this, ev);
  if (session_.process(ev.pid) != nullptr) return;
  bps_.on_exit(ev.pid);
  exec_entries_.erase(ev.pid);
  fork_order_.forget(ev.pid);
  for (Part* p : parts_) p->on_process_gone(*this, ev.pid);
}

Status Engine::handle_fork(const Event& ev) {
  // A vfork child shares the parent's memory: its int3 bytes are the parent's, so it is
  // tracked until it execs even when not followed.
  bool vfork = ev.kind == EventKind::Vfork;
  PTK_TRY(bps_.on_fork(ev.pid, ev.new_tid, options_.follow_forks || vfork));
  if (options_.follow_forks) {
    // Forked before its new program's entry point: the child has that breakpoint too.
    if (auto e = exec_entries_.find(ev.pid); e != exec_entries_.end()) {
      exec_entries_[ev.new_tid] = e->second;
    }
    for (Part* p : parts_) p->on_fork(*this, ev.tid, ev.new_tid);
  } else {
    (vfork ? unfollowed_vforks_ : unfollowed_forks_).insert(ev.new_tid);
  }
  if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
  return session_.resume(ev);
}

Status Engine::handle_exec(const Event& ev) {
  bps_.on_exec(ev.pid);
  exec_entries_.erase(ev.pid);
  if (unfollowed_vforks_.erase(ev.pid) != 0) return session_.detach(ev.pid);
  observe(ev);
  for (Part* p : parts_) p->on_exec(*this, ev);
  Status s = break_at_entry(ev);
  PTK_TRY(session_.resume(ev));
  return s;
}

Status Engine::handle(const Event& ev) {
  switch (ev.kind) {
    case EventKind::Exited:
    case EventKind::Killed:
      handle_end(ev);
      return ok_status();
    case EventKind::ExecFailed:  // the spawned command could not be executed: it is gone
      observe(ev);
      return ok_status();
    case EventKind::Trap:
      return handle_trap(ev);
    case EventKind::Fork:
    case EventKind::Vfork:
      return handle_fork(ev);
    case EventKind::Clone:
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    case EventKind::ThreadStart:
      // Only a child with int3 bytes to handle waits (see fork_order.h).
      if (uses_breakpoints_ && fork_order_.park(ev, pid_)) return ok_status();
      return start_child(ev.tid);
    case EventKind::Exec:
      return handle_exec(ev);
    case EventKind::Signal:
      observe(ev);
      PTK_TRY(bps_.before_signal(ev));
      return session_.resume(ev);
    case EventKind::SyscallEntry:
    case EventKind::SyscallExit:
      observe(ev);
      return resume_or_delay(ev);
    default:  // exit stops, group stops
      observe(ev);
      return session_.resume(ev);
  }
}

}  // namespace ptk::engine
