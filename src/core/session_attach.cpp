// Session attach and detach: PTRACE_SEIZE every thread, PTRACE_INTERRUPT to stop them, and the
// reverse, leaving a process exactly as it was (running, or group-stopped if it was).
#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "attach_errors.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptrace_call.h"

namespace ptk {

using detail::ptrace_call;

Status check_attachable(pid_t pid) { return detail::check_attach_target(pid, false); }

namespace {

// /proc's TracerPid names the tracing thread (task_pid_nr_ns of ptrace's parent), not its process.
bool traced_by_us(pid_t tid) {
  auto st = read_status(tid);
  return st.ok() && st->tracer_pid == ::gettid();
}

}  // namespace

Status Session::seize(pid_t tid, bool spawned, bool exit_kill) {
  unsigned long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC;
  if (options_.follow_threads || options_.follow_forks) opts |= PTRACE_O_TRACECLONE;
  if (options_.follow_forks) opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK;
  if (options_.exit_stops) opts |= PTRACE_O_TRACEEXIT;
  if (options_.syscall_stops == SyscallStops::Seccomp) opts |= PTRACE_O_TRACESECCOMP;
  // Never for attached processes: they must survive us.
  if (spawned && exit_kill) opts |= PTRACE_O_EXITKILL;
  auto r = ptrace_call(PTRACE_SEIZE, tid, 0, opts);
  if (!r.ok()) return detail::explain_attach_error(tid, r.error());
  auto st = read_status(tid);
  pid_t pid = st.ok() ? st->tgid : tid;
  add_thread(tid, pid, spawned);
  return ok_status();
}

Status Session::attach_thread(pid_t tid) {
  PTK_TRY(detail::check_attach_target(tid, threads_.count(tid) != 0));
  PTK_TRY(seize(tid, false, false));
  PTK_TRY(ptrace_call(PTRACE_INTERRUPT, tid));
  return wait_for_initial_stops({tid});
}

Status Session::attach(pid_t pid) {
  PTK_TRY(detail::check_attach_target(pid, threads_.count(pid) != 0));
  PTK_ASSIGN_OR_RETURN(ProcStatus status, read_status(pid));
  pid_t tgid = status.tgid;
  // Threads can be created while we attach; list again until a pass finds none new. Threads
  // made by an already seized thread are auto-attached through PTRACE_O_TRACECLONE.
  std::set<pid_t> seen;
  std::vector<pid_t> seized;
  for (bool found_new = true; found_new;) {
    found_new = false;
    auto tids = list_tasks(tgid);
    if (!tids.ok()) {
      if (seized.empty()) return std::move(tids).error();
      break;
    }
    for (pid_t tid : *tids) {
      if (!seen.insert(tid).second || threads_.count(tid) != 0) continue;
      found_new = true;
      Status s = seize(tid, false, false);
      if (!s.ok()) {
        if (s.error().kind() == ErrorKind::NoSuchProcess && tid != tgid) continue;  // exited
        if (s.error().kind() == ErrorKind::AlreadyTraced && tid != tgid && traced_by_us(tid)) {
          // Cloned by a thread seized earlier in this loop: PTRACE_O_TRACECLONE attached it
          // before we listed it, and its first stop reaches wait() like any new thread's.
          continue;
        }
        if (!seized.empty()) (void)detach(tgid);
        return s;
      }
      seized.push_back(tid);
      (void)ptrace_call(PTRACE_INTERRUPT, tid);
    }
  }
  PTK_TRY(wait_for_initial_stops(seized));
  if (threads_.count(tgid) == 0) return exited_while_attaching(tgid, status.name);
  return ok_status();
}

Error Session::exited_while_attaching(pid_t pid, const std::string& name) {
  // A dying process can be seized (ptrace_attach only refuses one whose exit is complete); its
  // exit is then what the first wait reports instead of the interrupt stop.
  std::string how = "exited";
  for (const Event& ev : queued_) {
    if (ev.tid != pid) continue;
    if (ev.kind == EventKind::Exited) how = fmt::format("exited with {}", ev.exit_code);
    if (ev.kind == EventKind::Killed) how = fmt::format("was killed by {}", signal_name(ev.signal));
  }
  if (processes_.count(pid) != 0) (void)detach(pid);
  std::erase_if(queued_, [pid](const Event& ev) { return ev.pid == pid; });
  return Error(ErrorKind::NoSuchProcess, fmt::format("attach {}", pid), 0,
               fmt::format("process {} ({}) {} as ptk attached", pid, name, how));
}

Status Session::wait_for_initial_stops(const std::vector<pid_t>& tids) {
  std::set<pid_t> waiting(tids.begin(), tids.end());
  while (!waiting.empty()) {
    int status = 0;
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(errno, "waitpid while attaching");
    }
    bool ours = waiting.erase(tid) != 0;
    std::optional<Event> ev = translate(tid, status);
    // The interrupt stop is what we asked for; anything else (a signal, a group-stop, an
    // event of another thread) is real and is handed to the caller through wait().
    if (ev && !(ours && ev->kind == EventKind::Interrupt)) queued_.push_back(*ev);
  }
  return ok_status();
}

Status Session::detach_stopped(Thread& t) {
  // A signal-delivery-stop's signal is delivered as we let go, so that it is not lost.
  int sig = t.pending_signal;
  pid_t tid = t.tid;
  auto r = ptrace_call(PTRACE_DETACH, tid, 0, static_cast<std::uint64_t>(sig));
  remove_thread(tid);
  if (!r.ok() && r.error().kind() != ErrorKind::TraceeGone) return r.error();
  return ok_status();
}

Status Session::detach(pid_t pid) {
  auto p = processes_.find(pid);
  if (p == processes_.end()) {
    return Error(ErrorKind::InvalidArgument, fmt::format("detach {}", pid), 0,
                 "the process is not traced by this session");
  }
  // A command we started stays our child: its end is reported to us as its parent.
  if (p->second.spawned) let_go_children_.insert(pid);
  std::set<pid_t> pending;
  for (pid_t tid : std::vector<pid_t>(p->second.tids)) {
    Thread& t = threads_[tid];
    t.detaching = true;
    if (t.state == ThreadState::Stopped && t.started) {
      PTK_TRY(detach_stopped(t));
    } else {
      // PTRACE_DETACH needs a ptrace-stop: a running thread, or one listening in group-stop
      // (the kernel refuses requests on a JOBCTL_LISTENING tracee), is interrupted first.
      (void)ptrace_call(PTRACE_INTERRUPT, tid);
      pending.insert(tid);
    }
  }
  while (!pending.empty()) {
    int status = 0;
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: nothing left to wait for
    }
    auto it = threads_.find(tid);
    bool detaching = it != threads_.end() && it->second.detaching;
    std::optional<Event> ev = translate(tid, status);
    if (!detaching) {
      if (ev) queued_.push_back(*ev);
      continue;
    }
    if (!ev || !ev->stopped()) {
      if (threads_.count(tid) == 0) pending.erase(tid);
      continue;
    }
    if (ev->kind == EventKind::Clone || ev->kind == EventKind::Fork ||
        ev->kind == EventKind::Vfork) {
      // A child born while we let go: it is not ours to keep either.
      if (Thread* c = &threads_[ev->new_tid]; c->tid == ev->new_tid) {
        c->detaching = true;
        if (c->state == ThreadState::Stopped) {
          (void)detach_stopped(*c);
        } else {
          c->detach_on_start = true;
        }
      }
    }
    (void)detach_stopped(threads_[tid]);
    pending.erase(tid);
  }
  return ok_status();
}

Status Session::detach_all() {
  std::vector<pid_t> pids;
  for (auto& [pid, proc] : processes_) pids.push_back(pid);
  Status result;
  for (pid_t pid : pids) {
    Status s = detach(pid);
    if (!s.ok() && result.ok()) result = s;
  }
  return result;
}

}  // namespace ptk
