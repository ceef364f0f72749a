// Article part I, example 3: example 2 from one whole-register read per stop (PTRACE_GETREGS
// into a Registers value) instead of the stop's syscall view.
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
    fmt::print(stderr, "ex3: {}\n", pid.error().message());
    return 1;
  }
  (void)session.resume(*pid);  // spawn returns with the child stopped at its first instruction
  for (;;) {
    auto ev = session.wait();
    if (!ev.ok()) return 0;
    if (ev->tid == *pid && !ev->stopped()) return child_status(*ev);
    bool entry = ev->kind == ptk::EventKind::SyscallEntry;
    if (entry || ev->kind == ptk::EventKind::SyscallExit) {
      auto regs = session.get_regs(ev->tid);
      if (regs.ok()) {
        // The ABI of the registers is the thread's mode (a 32-bit tracee reads as i386).
        auto nr = static_cast<std::int64_t>(regs->orig_syscall_no());
        const ptk::SyscallSpec* spec = ptk::find_syscall(regs->arch(), nr);
        if (spec != nullptr && spec->name == "write") {
          if (entry) {
            fmt::print(stderr, "Write called with {}, {:#x}, {}\n", regs->arg(0), regs->arg(1),
                       regs->arg(2));
          } else {
            fmt::print(stderr, "Write returned with {}\n", regs->retval());
          }
        }
      }
    }
    (void)session.resume(*ev);
  }
}
