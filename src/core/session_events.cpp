// Session::translate: one wait status of one thread becomes one typed Event, and the thread
// bookkeeping (syscall pairing, new children, exec's tid change, exits) follows it.
#include <fmt/format.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <cerrno>

#include "ptk/arch/breakpoint_insn.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptrace_call.h"
#include "step_rearm.h"

namespace ptk {

using detail::ptrace_call;

namespace {

// PTRACE_GET_SYSCALL_INFO gives the full 64-bit registers, also for an i386 syscall; one made
// with `int $0x80` from 64-bit code can have garbage in their upper halves, which the kernel
// ignores (the compat syscall takes 32-bit arguments). The ABI's view is the low halves.
void store_args(SyscallStop& sc, const std::uint64_t (&args)[6]) {
  std::uint64_t mask = abi(sc.arch).word_size == 4 ? 0xffffffffu : ~std::uint64_t{0};
  for (std::size_t i = 0; i < 6; ++i) sc.args[i] = args[i] & mask;
}

}  // namespace

std::optional<Event> Session::translate(pid_t tid, int raw_status) {
  WaitStatus ws(raw_status);
  auto it = threads_.find(tid);
  if (it == threads_.end()) {
    // An auto-attached child can report its first stop before its parent's fork/clone event
    // names it; keep the stop until then. Exits of threads we never knew are not ours.
    if (!WIFSTOPPED(raw_status)) {
      if (let_go_children_.erase(tid) == 0 && options_.on_stranger) options_.on_stranger(tid, true);
      return std::nullopt;
    }
    if (!options_.follow_forks && !options_.follow_threads) {
      // No fork or clone event will ever name it: a child its parent made with CLONE_PTRACE
      // (clone(2)), traced by us without asking. Let it go, as strace does, or it would wait
      // stopped forever (and its parent with it). Its first stop is the SIGSTOP of the attach.
      (void)ptrace_call(PTRACE_DETACH, tid, 0, 0);
      if (options_.on_stranger) options_.on_stranger(tid, false);
      return std::nullopt;
    }
    early_stops_[tid] = raw_status;
    return std::nullopt;
  }
  Thread& t = it->second;
  Event ev{.kind = EventKind::Interrupt, .tid = tid, .pid = t.pid};
  switch (ws.kind()) {
    case WaitStatus::Kind::Exited:
      ev.kind = EventKind::Exited;
      ev.exit_code = ws.exit_code();
      if (tid == t.pid) ends_[t.pid] = raw_status;
      remove_thread(tid);
      return ev;
    case WaitStatus::Kind::Killed:
      ev.kind = EventKind::Killed;
      ev.signal = ws.term_signal();
      ev.core_dumped = ws.core_dumped();
      if (tid == t.pid) ends_[t.pid] = raw_status;
      remove_thread(tid);
      return ev;
    case WaitStatus::Kind::Continued:
      return std::nullopt;
    default:
      break;
  }

  t.state = ThreadState::Stopped;
  if (!t.started) {
    t.started = true;
    if (t.detach_on_start) {
      (void)ptrace_call(PTRACE_DETACH, tid, 0, 0);
      remove_thread(tid);
      return std::nullopt;
    }
    if (ws.kind() == WaitStatus::Kind::InterruptStop) {
      ev.kind = t.last_stop = EventKind::ThreadStart;
      return ev;
    }
  }

  switch (ws.kind()) {
    case WaitStatus::Kind::SyscallStop:
      return translate_syscall(t, ev);
    case WaitStatus::Kind::EventStop:
      return translate_event(t, ev, ws.ptrace_event());
    case WaitStatus::Kind::GroupStop:
      ev.kind = t.last_stop = EventKind::GroupStop;
      ev.signal = ws.stop_signal();
      return ev;
    case WaitStatus::Kind::InterruptStop:
      return translate_interrupt(t, ev);
    case WaitStatus::Kind::SignalStop: {
      ev.signal = ws.stop_signal();
      auto si = siginfo(tid);
      if (!si.ok()) return std::nullopt;  // killed meanwhile; its exit report follows
      ev.siginfo = *si;
      ev.kind = EventKind::Signal;
      t.pending_signal = ev.signal;
      // The report of a stepped syscall may look sent (arm64: SI_USER, see kHostTrapCodes). A
      // kill() names its sender, so si_pid 0 is the kernel's, or a sender's outside the
      // tracee's pid namespace, whose SIGTRAP then stays pending and is delivered all the same.
      const bool stepped_syscall = kHostTrapCodes.stepped_syscall == SI_USER &&
                                   ev.siginfo.si_code == SI_USER && ev.siginfo.si_pid == 0;
      if (ev.signal == SIGTRAP &&
          ((ev.siginfo.si_code != SI_USER && ev.siginfo.si_code != SI_TKILL &&
            ev.siginfo.si_code != SI_QUEUE) ||
           stepped_syscall)) {
        // A trap the CPU raised: single-step (TRAP_TRACE) and debug-register hits (TRAP_HWBKPT)
        // only happen because a tracer asked, so they are not passed on; an int3 (SI_KERNEL on
        // x86) may be the program's own, so it is, unless the debugger resumes with 0.
        ev.kind = EventKind::Trap;
        if (ev.siginfo.si_code == TRAP_TRACE || ev.siginfo.si_code == TRAP_HWBKPT) {
          t.pending_signal = 0;
        }
        if (stepped_syscall) {
          // A thread gone meanwhile reports its exit next.
          (void)detail::rearm_step_after_syscall(tid);
        }
      }
      t.last_stop = ev.kind;
      return ev;
    }
    default:
      return std::nullopt;
  }
}

std::optional<Event> Session::translate_interrupt(Thread& t, Event ev) {
  ev.kind = t.last_stop = EventKind::Interrupt;
  return ev;
}

std::optional<Event> Session::translate_syscall(Thread& t, Event ev) {
  detail::PtraceSyscallInfo info{};
  auto r = ptrace_call(detail::kPtraceGetSyscallInfo, t.tid, sizeof info,
                       reinterpret_cast<std::uint64_t>(&info));
  if (!r.ok()) return std::nullopt;  // killed meanwhile (SIGKILL): its exit report follows
  SyscallStop& sc = ev.syscall;
  sc.arch = arch_from_audit(info.arch).value_or(t.arch);
  sc.ip = info.instruction_pointer;
  sc.sp = info.stack_pointer;
  t.arch = sc.arch;
  if (info.op == detail::kSyscallInfoExit) {
    if (t.in_syscall) {
      sc = t.last_entry;
      sc.ip = info.instruction_pointer;
      sc.sp = info.stack_pointer;
    } else if (auto regs = get_regs(t.tid); regs.ok()) {
      // Attached in the middle of a syscall: only its exit is seen; the number is still in
      // orig_rax/orig_eax. Read in the syscall's ABI, which is not the thread's mode for an
      // `int $0x80` from 64-bit code.
      Registers view(sc.arch, regs->host_block());
      sc.nr = static_cast<std::int64_t>(view.orig_syscall_no());
      if (sc.arch == Arch::I386) sc.nr = static_cast<std::int32_t>(sc.nr);
      for (int i = 0; i < 6; ++i) sc.args[static_cast<std::size_t>(i)] = view.arg(i);
    }
    sc.ret = info.exit.rval;
    sc.is_error = info.exit.is_error != 0;
    ev.kind = t.last_stop = EventKind::SyscallExit;
    if (t.launching) {
      // The first syscall exit of a spawned child is its execve's (a successful one would have
      // made an Exec event first): a failure leaves only ptk's launcher to run.
      t.launching = false;
      if (sc.is_error) t.exec_errno = static_cast<int>(-sc.ret);
    }
    t.in_syscall = false;
    t.seccomp_entry = false;
    return ev;
  }
  // Entry (kSyscallInfoEntry). The seccomp variant only comes with PTRACE_EVENT_SECCOMP.
  sc.nr = static_cast<std::int64_t>(info.entry.nr);
  store_args(sc, info.entry.args);
  ev.kind = t.last_stop = EventKind::SyscallEntry;
  t.in_syscall = true;
  t.seccomp_entry = false;
  t.last_entry = sc;
  return ev;
}

std::optional<Event> Session::adopt_child(Thread& parent, pid_t child, EventKind how) {
  pid_t child_pid = child;
  if (how == EventKind::Clone) {
    // clone() without CLONE_THREAD makes a process too; /proc tells which it was.
    auto st = read_status(child);
    if (st.ok()) child_pid = st->tgid;
  }
  bool is_thread = child_pid == parent.pid;
  bool follow = is_thread ? options_.follow_threads : options_.follow_forks;
  bool spawned = processes_[parent.pid].spawned;
  Thread& c = add_thread(child, child_pid, spawned);
  c.started = false;
  c.detach_on_start = !follow;
  c.arch = parent.arch;
  // The child's first stop is certain and comes at once (an auto-attached child stops before
  // its first instruction). Taking it now lets the caller start the child before its parent
  // runs on: children then start in the order they were made, as under strace, instead of a
  // parent racing ahead to make its next child first.
  int status = 0;
  if (auto early = early_stops_.find(child); early != early_stops_.end()) {
    status = early->second;
    early_stops_.erase(early);
  } else {
    pid_t got;
    do {
      got = ::waitpid(child, &status, __WALL);
    } while (got < 0 && errno == EINTR);
    if (got != child) return std::nullopt;  // gone already; nothing to report
  }
  return translate(child, status);
}

std::optional<Event> Session::translate_event(Thread& t, Event ev, int ptrace_event) {
  auto msg = event_message(t.tid);
  if (!msg.ok()) return std::nullopt;
  switch (ptrace_event) {
    case PTRACE_EVENT_FORK:
    case PTRACE_EVENT_VFORK:
    case PTRACE_EVENT_CLONE: {
      ev.kind = ptrace_event == PTRACE_EVENT_FORK    ? EventKind::Fork
                : ptrace_event == PTRACE_EVENT_VFORK ? EventKind::Vfork
                                                     : EventKind::Clone;
      ev.new_tid = static_cast<pid_t>(*msg);
      t.last_stop = ev.kind;
      Event parent_ev = ev;
      // The child's start is handed out first and the parent's event right after it, so a
      // caller that resumes in event order starts the child before the parent goes on.
      if (std::optional<Event> child = adopt_child(t, ev.new_tid, ev.kind)) {
        queued_.push_front(parent_ev);
        return child;
      }
      return parent_ev;
    }
    case PTRACE_EVENT_EXEC: {
      ev.kind = EventKind::Exec;
      ev.old_tid = static_cast<pid_t>(*msg);
      pid_t tid = t.tid;
      if (ev.old_tid != tid && threads_.count(ev.old_tid) != 0) {
        // A non-leader thread called execve: the kernel gives it the leader's tid and the old
        // leader vanishes without an exit report (ptrace(2), "execve(2) under ptrace").
        Thread moved = threads_[ev.old_tid];
        remove_thread(ev.old_tid);
        moved.tid = tid;
        moved.state = ThreadState::Stopped;
        threads_[tid] = moved;
      }
      Thread& self = threads_[tid];
      processes_[self.pid].memory->reset_address_space();
      if (auto regs = get_regs(tid); regs.ok()) self.arch = regs->arch();
      self.last_stop = EventKind::Exec;
      self.launching = false;  // the spawned command runs: its syscalls are its own from here
      return ev;
    }
    case PTRACE_EVENT_EXIT:
      ev.kind = t.last_stop = EventKind::Exiting;
      ev.exit_code = static_cast<int>(*msg);
      return ev;
    case PTRACE_EVENT_VFORK_DONE:
      ev.kind = t.last_stop = EventKind::VforkDone;
      ev.new_tid = static_cast<pid_t>(*msg);
      return ev;
    case PTRACE_EVENT_SECCOMP: {
      if (t.in_syscall) {
        // The entry was already reported by a syscall-entry stop (the tracee was resumed with
        // PTRACE_SYSCALL, e.g. while spawning); run on to the exit without a second entry.
        t.seccomp_entry = true;
        (void)ptrace_call(PTRACE_SYSCALL, t.tid, 0, 0);
        t.state = ThreadState::Running;
        return std::nullopt;
      }
      detail::PtraceSyscallInfo info{};
      if (!ptrace_call(detail::kPtraceGetSyscallInfo, t.tid, sizeof info,
                       reinterpret_cast<std::uint64_t>(&info))) {
        return std::nullopt;
      }
      SyscallStop& sc = ev.syscall;
      sc.arch = arch_from_audit(info.arch).value_or(t.arch);
      sc.ip = info.instruction_pointer;
      sc.sp = info.stack_pointer;
      sc.nr = static_cast<std::int64_t>(info.seccomp.nr);
      store_args(sc, info.seccomp.args);
      sc.from_seccomp = true;
      sc.seccomp_data = info.seccomp.ret_data;
      t.arch = sc.arch;
      ev.kind = t.last_stop = EventKind::SyscallEntry;
      t.in_syscall = true;
      t.seccomp_entry = true;
      t.last_entry = sc;
      return ev;
    }
    default:
      ev.kind = t.last_stop = EventKind::Interrupt;
      return ev;
  }
}

}  // namespace ptk
