// strace 6.1 on this machine (Debian 12), `strace [-f] [-o FILE] -- sh -c 'sleep 2; ...'` with a
// signal sent to strace alone after 0.5 s:
//   with -o FILE: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE change nothing; the trace goes on to
//     the command's end and strace exits with the command's status (3 for `exit 3`), 2 s later;
//   without -o: the command gets SIGCONT and the same signal (a command that traps SIGINT goes
//     on and finishes untraced), every tracee is detached ("Process N detached"), and strace
//     dies of the signal at once (0.5 s).
// The same with the signal sent to the whole process group (a terminal's Ctrl-C): the command
// gets it from the terminal in both cases.
#include "ptk/engine/stop_signals.h"

#include <signal.h>
#include <unistd.h>

#include "ptk/core/tracer_child.h"
#include "ptk/core/wait_policy.h"

namespace ptk::engine {
namespace {

volatile std::sig_atomic_t g_stop = 0;
// The same, for loops that take an atomic (a lock-free store is async-signal-safe).
std::atomic<bool> g_stop_atomic{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_stop_signal(int sig, siginfo_t*, void* ucontext) {
  if (g_stop == 0) g_stop = sig;
  g_stop_atomic.store(true, std::memory_order_relaxed);
  interrupt_wait_from_handler(ucontext);
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

bool is_parent_death(int sig) { return sig == parent_death_signal(); }

// Per stop signal: whether ptk was started with it ignored.
bool g_ignored_at_start[std::size(kStopSignals)] = {};
bool g_recorded = false;

// The signal mask ptk was started with: the command inherits it, as under strace.
sigset_t g_mask_at_start;
// SIGCHLD ignored at start: the kernel would reap ptk's children (the tracer, the command)
// before any waitpid sees them end, so ptk takes it back to SIG_DFL and the command gets it
// ignored again.
bool g_sigchld_ignored_at_start = false;

void record_start_dispositions() {
  if (g_recorded) return;
  g_recorded = true;
  sigemptyset(&g_mask_at_start);
  sigprocmask(SIG_BLOCK, nullptr, &g_mask_at_start);
  struct sigaction chld {};
  if (sigaction(SIGCHLD, nullptr, &chld) == 0 && chld.sa_handler == SIG_IGN) {
    g_sigchld_ignored_at_start = true;
    signal(SIGCHLD, SIG_DFL);
  }
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    struct sigaction old {};
    g_ignored_at_start[i] =
        sigaction(kStopSignals[i], nullptr, &old) == 0 && old.sa_handler == SIG_IGN;
  }
}

}  // namespace

StopSignals stop_signals_for(bool spawning, bool output_to_file) {
  return spawning && output_to_file ? StopSignals::Ignore : StopSignals::Interrupt;
}

void install_stop_handlers(StopSignals how) {
  record_start_dispositions();
  struct sigaction sa {};
  if (how == StopSignals::Ignore) {
    sa.sa_handler = SIG_IGN;
  } else {
    sa.sa_sigaction = on_stop_signal;
  }
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: the handler must interrupt a blocking waitpid
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    if (how == StopSignals::Untouched) {
      struct sigaction start {};
      start.sa_handler = g_ignored_at_start[i] ? SIG_IGN : SIG_DFL;
      sigemptyset(&start.sa_mask);
      sigaction(kStopSignals[i], &start, nullptr);
    } else {
      sigaction(kStopSignals[i], &sa, nullptr);
    }
  }
  // The guard's signal always stops the session, even where the stop signals are ignored.
  sa.sa_sigaction = on_stop_signal;
  sigaction(parent_death_signal(), &sa, nullptr);
}

int parent_death_signal() {
  // A real-time signal nobody sends by accident: no terminal, shell or `kill` default makes it.
  return SIGRTMAX - 1;
}

std::span<const int> stop_signals() { return kStopSignals; }

void set_child_signals(SpawnOptions& spawn) {
  record_start_dispositions();
  spawn.default_signals.clear();
  spawn.ignored_signals.clear();
  spawn.signal_mask = g_mask_at_start;
  if (g_sigchld_ignored_at_start) spawn.ignored_signals.push_back(SIGCHLD);
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    (g_ignored_at_start[i] ? spawn.ignored_signals : spawn.default_signals)
        .push_back(kStopSignals[i]);
  }
}

volatile std::sig_atomic_t* stop_flag() { return &g_stop; }

const std::atomic<bool>& stop_requested() { return g_stop_atomic; }

void forward_stop_signal(pid_t command) {
  // The process the user started died (kill -9): nobody asked for the command to end.
  if (g_stop == 0 || is_parent_death(g_stop)) return;
  ::kill(command, SIGCONT);
  ::kill(command, g_stop);
}

void die_of_stop_signal() {
  // A wait status of death by that signal: exit_like() dies of it without a core file (the
  // default action of SIGQUIT dumps one: not ptk's).
  exit_like(g_stop != 0 ? g_stop : SIGTERM);
}

}  // namespace ptk::engine
