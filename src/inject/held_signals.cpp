// Running the injected thread to the stop ptk wants, with every other signal held back, and
// passing the held signals on afterwards.
#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "ptk/core/wait_status.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {
namespace {

// A signal the CPU raised for the instruction just run (si_code > 0: sent by the kernel).
bool is_synchronous_fault(const Event& ev) {
  switch (ev.signal) {
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
    case SIGSYS:
      return ev.siginfo.si_code > 0;
    default:
      return false;
  }
}

}  // namespace

bool RemoteSyscalls::hold_if_foreign(const Event& ev) {
  if (ev.kind != EventKind::Signal || is_synchronous_fault(ev)) return false;
  // A signal for the process (or this thread) that arrived while ptk's code ran. Delivering it
  // now would run the program's handler in ptk's registers; it waits until restore.
  held_.push_back(ev.siginfo);
  return true;
}

Status RemoteSyscalls::resume_and_wait(Resume how, std::optional<Event>& stop) {
  for (;;) {
    // Always with signal 0: a trap or fault ptk caused must not reach the program.
    PTK_TRY(session_->resume(tid_, how, 0));
    PTK_ASSIGN_OR_RETURN(Event ev, session_->wait_thread(tid_));
    if (!ev.stopped()) {
      active_ = false;  // nothing left to restore
      return Error(ErrorKind::TraceeGone, fmt::format("injected code in thread {}", tid_), ESRCH,
                   ev.kind == EventKind::Killed
                       ? fmt::format("the thread was killed by {}", signal_name(ev.signal))
                       : fmt::format("the thread exited with {}", ev.exit_code));
    }
    if (hold_if_foreign(ev)) continue;
    if (ev.kind == EventKind::Trap || ev.kind == EventKind::Signal) {
      stop = ev;
      return ok_status();
    }
    if (ev.kind == EventKind::Exiting) {
      return Error(ErrorKind::TraceeGone, fmt::format("injected code in thread {}", tid_), 0,
                   "the thread is exiting (killed meanwhile?)");
    }
    // An interrupt (PTRACE_INTERRUPT), a seccomp stop of the injected syscall, a group-stop:
    // not where ptk's code ends; run on.
  }
}

Status RemoteSyscalls::restore_signals() {
  std::vector<siginfo_t> deliver;
  if (initial_pending_signal_ != 0) {
    siginfo_t si{};
    si.si_signo = initial_pending_signal_;
    deliver.push_back(initial_siginfo_.value_or(si));
  }
  deliver.insert(deliver.end(), held_.begin(), held_.end());
  held_.clear();
  if (deliver.empty()) return session_->set_pending_signal(tid_, 0);
  // The thread is in a signal-delivery-stop (ptk's last trap or fault), whose siginfo can be
  // replaced (PTRACE_SETSIGINFO): the first signal is delivered exactly as it came when the
  // thread is next resumed or detached.
  PTK_TRY(session_->set_siginfo(tid_, deliver.front()));
  PTK_TRY(session_->set_pending_signal(tid_, deliver.front().si_signo));
  // Any others are queued again. rt_tgsigqueueinfo keeps the siginfo of those sent by
  // sigqueue and timers (si_code < 0); the kernel refuses to let another process forge the
  // rest (kill's SI_USER, SI_TKILL, kernel codes), which tgkill re-sends with ptk as sender.
  pid_t pid = session_->thread(tid_) != nullptr ? session_->thread(tid_)->pid : tid_;
  for (std::size_t i = 1; i < deliver.size(); ++i) {
    siginfo_t si = deliver[i];
    long rc = -1;
    if (si.si_code < 0 && si.si_code != SI_TKILL) {
      rc = ::syscall(SYS_rt_tgsigqueueinfo, pid, tid_, si.si_signo, &si);
    }
    if (rc != 0) rc = ::syscall(SYS_tgkill, pid, tid_, si.si_signo);
    if (rc != 0) {
      return Error::from_errno(errno, fmt::format("tgkill({}, {}, {})", pid, tid_, si.si_signo));
    }
  }
  return ok_status();
}

}  // namespace ptk::inject
