// Article part I, example 1: the first system call of a child.
//
// The article forks a child that calls PTRACE_TRACEME and execs `ls`, then reads orig_eax at
// the child's first stop. Here the child is spawned stopped at its first instruction, run to
// its first syscall stop, and the number printed: a child that execs `ls` first thing shows
// execve, 59 as a 64-bit program and 11 as a 32-bit one (see tests/tracees/article_child.c).
#include <fmt/format.h>

#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"

// The child's end as a shell would report it; a killed child is said so, not hidden.
static int child_status(const ptk::Event& ev) {
  if (ev.kind == ptk::EventKind::Exited) return ev.exit_code;
  fmt::print(stderr, "the child was killed by {}\n", ptk::signal_name(ev.signal));
  return 128 + ev.signal;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  ptk::Session session;
  auto pid = session.spawn({.argv = {argv + 1, argv + argc}});
  if (!pid.ok()) {
    fmt::print(stderr, "ex1: {}\n", pid.error().message());
    return 1;
  }
  (void)session.resume(*pid);  // spawn returns with the child stopped at its first instruction
  bool printed = false;
  for (;;) {
    auto ev = session.wait();
    if (!ev.ok()) break;  // no tracee left
    if (ev->kind == ptk::EventKind::SyscallEntry && !printed) {
      fmt::print("The child made a system call {}\n", ev->syscall.nr);
      std::fflush(stdout);
      printed = true;
      // From here on the child runs untraced by syscall, as the article's PTRACE_CONT.
      session.set_syscall_stops(ptk::SyscallStops::None);
    }
    if (ev->tid == *pid && !ev->stopped()) return child_status(*ev);
    (void)session.resume(*ev);
  }
  return 0;
}
