// Session: thread bookkeeping, the event loop and resuming. Translation of wait statuses into
// events is in session_events.cpp, register I/O in session_regs.cpp; spawn and attach/detach
// have files of their own.
#include "ptk/core/session.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <thread>

#include "ptk/core/host.h"
#include "ptk/core/proc.h"
#include "ptrace_call.h"

namespace ptk {

using detail::ptrace_call;

Session::Session(SessionOptions options) : options_(options) {}

Session::~Session() {
  // Attached processes must be left running as they were; our own spawned ones are killed
  // rather than left behind stopped (PTRACE_O_EXITKILL only acts when the tracer dies).
  std::vector<pid_t> attached, spawned;
  for (auto& [pid, proc] : processes_) (proc.spawned ? spawned : attached).push_back(pid);
  for (pid_t pid : attached) (void)detach(pid);
  for (pid_t pid : spawned) ::kill(pid, SIGKILL);
  // Reap what we killed so no zombie or stopped tracee outlives the session.
  while (!threads_.empty()) {
    int status = 0;
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      remove_thread(tid);
    } else if (threads_.count(tid) != 0) {
      // Stops that race with SIGKILL: let the thread run into its death.
      (void)ptrace_call(PTRACE_CONT, tid);
    }
  }
}

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::SyscallEntry:
      return "syscall-entry";
    case EventKind::SyscallExit:
      return "syscall-exit";
    case EventKind::Signal:
      return "signal";
    case EventKind::GroupStop:
      return "group-stop";
    case EventKind::Interrupt:
      return "interrupt";
    case EventKind::ThreadStart:
      return "thread-start";
    case EventKind::Fork:
      return "fork";
    case EventKind::Vfork:
      return "vfork";
    case EventKind::Clone:
      return "clone";
    case EventKind::VforkDone:
      return "vfork-done";
    case EventKind::Exec:
      return "exec";
    case EventKind::Exiting:
      return "exiting";
    case EventKind::Trap:
      return "trap";
    case EventKind::Exited:
      return "exited";
    case EventKind::Killed:
      return "killed";
    case EventKind::ExecFailed:
      return "exec-failed";
  }
  return "unknown";
}

Thread& Session::add_thread(pid_t tid, pid_t pid, bool spawned) {
  Thread& t = threads_[tid];
  t.tid = tid;
  t.pid = pid;
  t.state = ThreadState::Running;
  Process& proc = processes_[pid];
  if (proc.pid == 0) {
    proc.pid = pid;
    proc.spawned = spawned;
    proc.memory = std::make_shared<Memory>(pid);
  }
  proc.tids.push_back(tid);
  return t;
}

void Session::remove_thread(pid_t tid) {
  auto it = threads_.find(tid);
  if (it == threads_.end()) return;
  pid_t pid = it->second.pid;
  threads_.erase(it);
  auto p = processes_.find(pid);
  if (p == processes_.end()) return;
  std::erase(p->second.tids, tid);
  if (p->second.tids.empty()) processes_.erase(p);
}

const Thread* Session::thread(pid_t tid) const {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : &it->second;
}

const Process* Session::process(pid_t pid) const {
  auto it = processes_.find(pid);
  return it == processes_.end() ? nullptr : &it->second;
}

Result<Event> Session::wait() {
  for (;;) {
    if (!queued_.empty()) {
      Event ev = queued_.front();
      queued_.pop_front();
      return ev;
    }
    if (threads_.empty()) return Error(ErrorKind::NoSuchProcess, "wait: no traced process left");
    // Spin only while one process is traced. With several (fork_exec: a parent in wait4, a
    // child starting up), blocking lets the scheduler keep tracer and tracees on one CPU,
    // where a stop is a cheap context switch: fork_exec 200 took 0.37 s this way and 0.59 s
    // with the 100 us spin (bench/README.md), while one busy process gains 2-3x from the spin.
    WaitPolicy policy = options_.wait_policy;
    if (processes_.size() > 1) policy.spin_us = 0;
    auto w = wait_any(policy, wait_state_);
    if (!w.ok()) {
      if (w.error().error_number() == ECHILD) {
        // Every tracee is gone without a report we could pair (e.g. reaped by someone else).
        threads_.clear();
        processes_.clear();
      }
      return std::move(w).error();
    }
    // Stops that need no report (a child whose parent's event has not come yet, a stop we
    // restart ourselves) translate to nothing.
    if (std::optional<Event> ev = translate(w->tid, w->status)) {
      ev->stime_ns = w->stime_ns;
      return std::move(*ev);
    }
  }
}

std::optional<WaitStatus> Session::end_of(pid_t pid) const {
  auto it = ends_.find(pid);
  if (it == ends_.end()) return std::nullopt;
  return WaitStatus(it->second);
}

Error Session::untraced(pid_t tid, std::string call) const {
  if (auto end = end_of(tid)) {
    return Error(ErrorKind::TraceeGone, std::move(call), ESRCH,
                 fmt::format("process {} has ended: {}", tid, end->describe()));
  }
  return Error(ErrorKind::NoSuchProcess, std::move(call), ESRCH,
               "the thread is not traced by this session");
}

namespace {

// process_ending(pid), looked at again for a moment when it says no: a thread clears its
// pending SIGKILL when it takes it (get_signal), a little before it marks itself exiting
// (do_exit's exit_signals), and in between it looks alive. Only an error path waits here.
bool ending_soon(pid_t pid) {
  constexpr auto kLookFor = std::chrono::milliseconds(50);
  auto until = std::chrono::steady_clock::now() + kLookFor;
  for (;;) {
    if (process_ending(pid)) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::yield();
  }
}

}  // namespace

Result<WaitStatus> Session::wait_for_end(pid_t pid) {
  if (ends_.count(pid) == 0 && processes_.count(pid) != 0 && !ending_soon(pid)) {
    // Its end would never come: what failed was something else (a thread that exited alone).
    return Error(ErrorKind::InvalidArgument, fmt::format("wait for the end of process {}", pid), 0,
                 "the process still runs");
  }
  while (ends_.count(pid) == 0) {
    if (processes_.count(pid) == 0) {
      return Error(ErrorKind::NoSuchProcess, fmt::format("wait for the end of process {}", pid),
                   ESRCH, "it is not traced by this session");
    }
    int status = 0;
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(errno, fmt::format("waitpid for the end of process {}", pid));
    }
    const Thread* t = thread(tid);
    bool ours = t != nullptr && t->pid == pid;
    std::optional<Event> ev = translate(tid, status);
    if (!ev) continue;
    if (ours && ev->stopped()) {
      // A stop that raced with the kill (an exit event stop, an interrupt already queued in
      // the kernel): let the thread run into its death.
      (void)ptrace_call(PTRACE_CONT, tid);
      if (auto it = threads_.find(tid); it != threads_.end()) {
        it->second.state = ThreadState::Running;
      }
      continue;
    }
    queued_.push_back(*ev);
  }
  return WaitStatus(ends_[pid]);
}

Result<std::optional<Event>> Session::wait_until(std::chrono::steady_clock::time_point deadline) {
  auto nap = std::chrono::microseconds(20);
  for (;;) {
    if (!queued_.empty()) {
      Event ev = queued_.front();
      queued_.pop_front();
      return std::optional<Event>(std::move(ev));
    }
    if (threads_.empty()) return Error(ErrorKind::NoSuchProcess, "wait: no traced process left");
    int status = 0;
    struct rusage usage {};
    bool want = options_.wait_policy.want_rusage;
    pid_t tid = ::wait4(-1, &status, __WALL | WNOHANG, want ? &usage : nullptr);
    if (tid > 0) {
      nap = std::chrono::microseconds(20);
      if (std::optional<Event> ev = translate(tid, status)) {
        if (want) ev->stime_ns = stime_ns_of(usage);
        return ev;
      }
      continue;
    }
    if (tid < 0 && errno != EINTR) {
      if (errno == ECHILD) {
        threads_.clear();
        processes_.clear();
      }
      return Error::from_errno(errno, "waitpid(-1, __WALL|WNOHANG)");
    }
    const volatile std::sig_atomic_t* stop = options_.wait_policy.interrupt;
    if (stop != nullptr && *stop) return Error::from_errno(EINTR, "waitpid(-1, __WALL|WNOHANG)");
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::optional<Event>();
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - now);
    std::this_thread::sleep_for(std::min(nap, left + std::chrono::microseconds(1)));
    nap = std::min(nap * 2, std::chrono::microseconds(1000));
  }
}

Status Session::restart(Thread& t, Resume how, int signal) {
  if (how == Resume::Default) {
    if (t.last_stop == EventKind::GroupStop) {
      how = Resume::Listen;
    } else {
      switch (options_.syscall_stops) {
        case SyscallStops::All:
          how = Resume::Syscall;
          break;
        case SyscallStops::None:
          how = Resume::Continue;
          break;
        case SyscallStops::Seccomp:
          // Inside a syscall (after its seccomp stop, or an entry seen another way such as the
          // execve of spawn), PTRACE_SYSCALL makes the kernel stop at its exit (Linux 4.8+);
          // everywhere else the tracee runs until the filter asks again.
          how = t.in_syscall ? Resume::Syscall : Resume::Continue;
          break;
      }
    }
  }
  int request = PTRACE_CONT;
  switch (how) {
    case Resume::Default:
    case Resume::Continue:
      request = PTRACE_CONT;
      break;
    case Resume::Syscall:
      request = PTRACE_SYSCALL;
      break;
    case Resume::SingleStep:
      request = PTRACE_SINGLESTEP;
      break;
    case Resume::Listen:
      request = PTRACE_LISTEN;
      break;
  }
  if (signal < 0) signal = t.pending_signal;
  if (request == PTRACE_LISTEN) signal = 0;  // PTRACE_LISTEN takes no signal
  PTK_TRY(ptrace_call(request, t.tid, 0, static_cast<std::uint64_t>(signal)));
  if (request == PTRACE_CONT) {
    // No syscall-exit stop follows a PTRACE_CONT: forget the syscall in progress, or a later
    // seccomp stop would be taken for a second stop of this one.
    t.in_syscall = false;
    t.seccomp_entry = false;
  }
  t.state = request == PTRACE_LISTEN ? ThreadState::Listening : ThreadState::Running;
  t.pending_signal = 0;
  return ok_status();
}

Status Session::resume(pid_t tid, Resume how, int signal) {
  auto it = threads_.find(tid);
  if (it == threads_.end()) {
    return Error(ErrorKind::TraceeGone, fmt::format("resume thread {}", tid), ESRCH,
                 "the thread is not traced by this session (it may have exited)");
  }
  if (it->second.state != ThreadState::Stopped) {
    return Error(ErrorKind::InvalidArgument, fmt::format("resume thread {}", tid), 0,
                 "the thread is not stopped");
  }
  if (it->second.exec_errno != 0) return end_failed_launch(it->second);
  return restart(it->second, how, signal);
}

// The spawned child's execve failed (SyscallExit with an error, SpawnOptions::stop_before_exec):
// what it would run next is ptk's launcher, which reports the errno to spawn() and exits 127,
// not the program. Rather than show those syscalls as the program's, the child dies here,
// quietly, and the caller's next event is ExecFailed.
Status Session::end_failed_launch(Thread& t) {
  Event ev{.kind = EventKind::ExecFailed, .tid = t.tid, .pid = t.pid, .exit_code = t.exec_errno};
  launch_failure_ = exec_error(processes_[t.pid].program, t.exec_errno);
  ::kill(t.tid, SIGKILL);
  for (;;) {
    int status = 0;
    pid_t got = ::waitpid(t.tid, &status, __WALL);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 || WIFEXITED(status) || WIFSIGNALED(status)) break;
    // A stop on the way out (PTRACE_EVENT_EXIT with SessionOptions::exit_stops): let it go on.
    (void)ptrace_call(PTRACE_CONT, t.tid);
  }
  remove_thread(ev.tid);
  queued_.push_back(ev);
  return ok_status();
}

Status Session::resume(const Event& event) {
  if (!event.stopped()) return ok_status();
  return resume(event.tid, Resume::Default, -1);
}

Status Session::resume_all(pid_t except_process) {
  for (auto& [tid, t] : threads_) {
    if (except_process != 0 && t.pid == except_process) continue;
    if (t.state == ThreadState::Stopped && !has_queued_stop(tid)) {
      PTK_TRY(restart(t, Resume::Default, -1));
    }
  }
  return ok_status();
}

bool Session::has_queued_stop(pid_t tid) const {
  return std::ranges::any_of(queued_,
                             [tid](const Event& ev) { return ev.tid == tid && ev.stopped(); });
}

Status Session::interrupt(pid_t tid) {
  PTK_TRY(ptrace_call(PTRACE_INTERRUPT, tid));
  return ok_status();
}

Status Session::kill(pid_t pid, int sig) {
  if (::kill(pid, sig) != 0) return Error::from_errno(errno, fmt::format("kill({}, {})", pid, sig));
  return ok_status();
}

Memory& Session::memory(pid_t tid) {
  auto it = threads_.find(tid);
  pid_t pid = it == threads_.end() ? tid : it->second.pid;
  Process& proc = processes_[pid];
  if (!proc.memory) {
    proc.pid = pid;
    proc.memory = std::make_shared<Memory>(pid);
  }
  proc.memory->set_stopped_tid(tid);
  return *proc.memory;
}

Result<unsigned long> Session::event_message(pid_t tid) {
  unsigned long msg = 0;
  PTK_TRY(ptrace_call(PTRACE_GETEVENTMSG, tid, 0, reinterpret_cast<std::uint64_t>(&msg)));
  return msg;
}

Result<siginfo_t> Session::siginfo(pid_t tid) {
  siginfo_t si{};
  PTK_TRY(ptrace_call(PTRACE_GETSIGINFO, tid, 0, reinterpret_cast<std::uint64_t>(&si)));
  return si;
}

Result<Event> Session::wait_thread(pid_t tid) {
  // Events already queued for the thread are older than the resume this wait follows: they
  // stay queued for wait(), whose caller has not seen them yet.
  for (;;) {
    if (threads_.count(tid) == 0) {
      return Error(ErrorKind::TraceeGone, fmt::format("wait for thread {}", tid), ESRCH,
                   "the thread is not traced by this session (it may have exited)");
    }
    // Any thread's report, not only this one's: when the process is killed, the kernel
    // reports a main thread's death only once every other thread of it has been reaped
    // (delay_group_leader), so waiting for the main thread alone would wait forever.
    int status = 0;
    pid_t got = ::waitpid(-1, &status, __WALL);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(errno, fmt::format("waitpid for thread {}", tid));
    }
    std::optional<Event> ev = translate(got, status);
    if (!ev) continue;
    if (ev->tid == tid) return std::move(*ev);
    queued_.push_back(*ev);  // e.g. a new child's start, reported before its parent's event
  }
}

Status Session::set_siginfo(pid_t tid, const siginfo_t& info) {
  PTK_TRY(ptrace_call(PTRACE_SETSIGINFO, tid, 0, reinterpret_cast<std::uint64_t>(&info)));
  return ok_status();
}

Status Session::set_pending_signal(pid_t tid, int sig) {
  auto it = threads_.find(tid);
  if (it == threads_.end() || it->second.state != ThreadState::Stopped) {
    return Error(ErrorKind::InvalidArgument, fmt::format("set the pending signal of {}", tid), 0,
                 "the thread is not a stopped thread of this session");
  }
  it->second.pending_signal = sig;
  return ok_status();
}

}  // namespace ptk
