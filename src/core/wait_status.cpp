#include "ptk/core/wait_status.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include <cstring>
#include <string_view>

namespace ptk {

WaitStatus::Kind WaitStatus::kind() const {
  if (WIFEXITED(raw_)) return Kind::Exited;
  if (WIFSIGNALED(raw_)) return Kind::Killed;
  if (WIFCONTINUED(raw_)) return Kind::Continued;
  int sig = WSTOPSIG(raw_);
  int event = ptrace_event();
  if (sig == (SIGTRAP | 0x80)) return Kind::SyscallStop;
  if (event == PTRACE_EVENT_STOP) {
    // PTRACE_EVENT_STOP carries the stopping signal for a group-stop, and SIGTRAP for
    // PTRACE_INTERRUPT and for the first stop of an auto-attached child (ptrace(2), "Group-stop").
    if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
      return Kind::GroupStop;
    }
    return Kind::InterruptStop;
  }
  if (event != 0) return Kind::EventStop;
  return Kind::SignalStop;
}

int WaitStatus::exit_code() const { return WEXITSTATUS(raw_); }
int WaitStatus::term_signal() const { return WTERMSIG(raw_); }
bool WaitStatus::core_dumped() const { return WCOREDUMP(raw_); }
int WaitStatus::stop_signal() const { return WSTOPSIG(raw_) & 0x7f; }
int WaitStatus::ptrace_event() const { return WIFSTOPPED(raw_) ? (raw_ >> 16) & 0xff : 0; }

std::string WaitStatus::describe() const {
  switch (kind()) {
    case Kind::Exited:
      return fmt::format("exited with {}", exit_code());
    case Kind::Killed:
      return fmt::format("killed by {}{}", signal_name(term_signal()),
                         core_dumped() ? " (core dumped)" : "");
    case Kind::SyscallStop:
      return "syscall stop";
    case Kind::EventStop:
      return fmt::format("ptrace event {} stop", ptrace_event());
    case Kind::GroupStop:
      return fmt::format("group-stop by {}", signal_name(stop_signal()));
    case Kind::InterruptStop:
      return "interrupt stop";
    case Kind::SignalStop:
      return fmt::format("signal-delivery-stop of {}", signal_name(stop_signal()));
    case Kind::Continued:
      return "continued";
  }
  return "unknown";
}

std::string signal_name(int sig) {
  // The x86 signals by the names strace prints: glibc's sigabbrev_np calls 29 "POLL" where
  // strace says SIGIO, so the table is spelled out.
  static constexpr std::string_view kNames[] = {
      "",          "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
  };
  // Real-time signals are named from the kernel's SIGRTMIN (32), as strace does; glibc's own
  // SIGRTMIN is 34 because it reserves two for its threads.
  constexpr int kKernelRtMin = 32;
  constexpr int kKernelRtMax = 64;
  if (sig > 0 && sig < kKernelRtMin) return std::string(kNames[sig]);
  if (sig == kKernelRtMin) return "SIGRTMIN";
  if (sig > kKernelRtMin && sig <= kKernelRtMax) return fmt::format("SIGRT_{}", sig - kKernelRtMin);
  return fmt::format("signal {}", sig);
}

}  // namespace ptk
