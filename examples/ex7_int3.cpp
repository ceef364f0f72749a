// Example 7 of "Playing with ptrace" (part II): a breakpoint at the instruction pointer.
//
//   ex7_int3 PID
//
// Attaches to PID, saves the byte at its instruction pointer and writes an int3 (0xcc) there,
// lets it run until it executes the int3, puts the byte back, moves the instruction pointer
// back onto the instruction (the trap reports it one byte past the int3) and detaches. The
// process carries on unharmed: the instruction it stopped at runs as if nothing had happened.
//
// A process blocked in a syscall reaches its instruction pointer when the syscall returns; the
// "int3 at ..." line is printed (and flushed) before it is let go, so a caller can wait for it
// and then make the syscall return.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/temp_breakpoint.h"

namespace {

int fail(const ptk::Error& e) {
  fmt::print(stderr, "ex7_int3: {}\n", e.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: ex7_int3 PID\n");
    return 2;
  }
  pid_t pid = std::atoi(argv[1]);
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  if (auto s = session.attach(pid); !s.ok()) return fail(s.error());
  auto regs = session.get_regs(pid);
  if (!regs.ok()) return fail(regs.error());
  const std::uint64_t ip = regs->ip();
  auto bp = ptk::debug::TempBreakpoint::insert(session, pid, ip);
  if (!bp.ok()) return fail(bp.error());
  fmt::print("attached to {}; int3 at {:#x}\n", pid, ip);
  std::fflush(stdout);
  if (auto s = session.resume_all(); !s.ok()) return fail(s.error());

  for (;;) {
    auto ev = session.wait();
    if (!ev.ok()) return fail(ev.error());
    if (!ev->stopped()) {
      if (ev->tid != pid) continue;  // another thread ended
      fmt::print(stderr, "ex7_int3: process {} ended before reaching the int3\n", pid);
      return 1;
    }
    if (ptk::debug::TempBreakpoint::is_breakpoint_trap(*ev)) {
      auto now = session.get_regs(ev->tid);
      if (!now.ok()) return fail(now.error());
      if (bp->is_hit(*ev, *now)) {
        // Byte back, ip back by the int3's length; the SIGTRAP is ours, not the program's:
        // passed on at detach it would kill the process.
        if (auto s = bp->finish_hit(ev->tid, *now); !s.ok()) return fail(s.error());
        if (auto s = session.set_pending_signal(ev->tid, 0); !s.ok()) return fail(s.error());
        fmt::print("thread {} trapped; byte and ip {:#x} restored\n", ev->tid, now->ip());
        break;
      }
    }
    if (auto s = session.resume(*ev); !s.ok()) return fail(s.error());
  }
  if (auto s = session.detach(pid); !s.ok()) return fail(s.error());
  fmt::print("detached\n");
  return 0;
}
