// run_tracer_in_child: fork; the parent waits and forwards signals, the child traces.
#include "ptk/core/tracer_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace ptk {
namespace {

volatile pid_t g_tracer = 0;

void forward_signal(int sig) {
  if (g_tracer > 0) ::kill(g_tracer, sig);
}

}  // namespace

void run_tracer_in_child(std::span<const int> forward, int parent_death_signal) {
  std::fflush(nullptr);  // nothing buffered is written twice
  // The signals to pass on stay blocked from before the fork until the parent's forwarding
  // handlers are in: one that came in between would otherwise run the handler the parent had
  // before (ptk's stop handler, which only sets a flag nobody looks at) and be lost.
  sigset_t held, before;
  sigemptyset(&held);
  for (int sig : forward) sigaddset(&held, sig);
  ::sigprocmask(SIG_BLOCK, &held, &before);
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child <= 0) {
    if (child == 0) {
      // The signal comes when the parent's thread dies; a parent that died before this line
      // is no longer our parent.
      ::prctl(PR_SET_PDEATHSIG, parent_death_signal);
      if (::getppid() != parent) ::raise(parent_death_signal);
    }
    ::sigprocmask(SIG_SETMASK, &before, nullptr);  // fork failed: no guard, ptk still works
    return;
  }
  g_tracer = child;
  // The guard reads and writes nothing: holding the terminal's or a pipe's stdin and stdout
  // would keep a pipe the traced command shares from ever reaching EOF or EPIPE (`yes | ptk
  // trace cmd`; strace's redirect.test). /dev/null keeps descriptors 0 and 1 taken.
  if (int null = ::open("/dev/null", O_RDWR | O_CLOEXEC); null >= 0) {
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    if (null > STDOUT_FILENO) ::close(null);
  }
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : forward) ::sigaction(sig, &sa, nullptr);
  ::sigprocmask(SIG_SETMASK, &before, nullptr);  // what came meanwhile is passed on now
  // Job control (Ctrl-Z, fg) reaches both processes through the terminal's process group.
  // Any child is reaped, not only the tracer: as the init of a pid namespace (`unshare -pf
  // ptk ...`, as strace's suite runs its pidns tests) this process inherits the namespace's
  // orphans, and a nested namespace's init cannot finish exiting (zap_pid_ns_processes)
  // before its zombies are reaped, which the tracer would then wait for forever. A traced
  // orphan's exit reaches this parent only after its tracer has seen it.
  int status = 0;
  for (;;) {
    pid_t got = ::waitpid(-1, &status, __WALL);
    if (got == child) break;
    if (got < 0 && errno != EINTR) ::_exit(1);
  }
  exit_like(status);
}

void exit_like(int wait_status) {
  std::fflush(nullptr);
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
    ::raise(sig);
    ::_exit(128 + sig);
  }
  ::_exit(WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 1);
}

}  // namespace ptk
