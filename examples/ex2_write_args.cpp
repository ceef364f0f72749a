// Article part I, example 2: the arguments of every write() at its entry, and its return value
// at its exit, from the syscall stops' own view (PTRACE_GET_SYSCALL_INFO).
#include <fmt/format.h>

#include "ptk/arch/syscalls.h"
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
    fmt::print(stderr, "ex2: {}\n", pid.error().message());
    return 1;
  }
  (void)session.resume(*pid);  // spawn returns with the child stopped at its first instruction
  for (;;) {
    auto ev = session.wait();
    if (!ev.ok()) return 0;
    if (ev->tid == *pid && !ev->stopped()) return child_status(*ev);
    const ptk::SyscallStop& sc = ev->syscall;
    const ptk::SyscallSpec* spec = ptk::find_syscall(sc.arch, sc.nr);
    bool is_write = spec != nullptr && spec->name == "write";
    // The tracee's own output goes to its stdout; ours to stderr, so the two do not mix.
    if (is_write && ev->kind == ptk::EventKind::SyscallEntry) {
      fmt::print(stderr, "Write called with {}, {:#x}, {}\n", sc.args[0], sc.args[1], sc.args[2]);
    } else if (is_write && ev->kind == ptk::EventKind::SyscallExit) {
      fmt::print(stderr, "Write returned with {}\n", sc.ret);
    }
    (void)session.resume(*ev);
  }
}
