// The typed events of a traced thread: every wait status becomes exactly one of these.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string_view>

#include "ptk/arch/arch.h"

namespace ptk {

enum class EventKind : std::uint8_t {
  SyscallEntry,  // at syscall entry (or a seccomp RET_TRACE stop, see SyscallStop::from_seccomp)
  SyscallExit,   // at syscall exit; carries the entry's number and arguments too
  Signal,        // signal-delivery-stop: the signal is passed on unless the caller changes it
  GroupStop,     // the process stopped by SIGSTOP/SIGTSTP/...; resumed with PTRACE_LISTEN
  Interrupt,     // stopped by PTRACE_INTERRUPT (or the SIGCONT wake-up of a listening tracee)
  ThreadStart,   // the first stop of a thread or child ptk follows (fork/vfork/clone)
  Fork,          // the parent's stop after fork(); new_tid is the child
  Vfork,
  Clone,      // a thread (or a clone()d process) was created; new_tid is it
  VforkDone,  // the vfork child exec'd or exited and the parent resumes
  Exec,       // after a successful execve; old_tid is the tid that called it
  Exiting,    // PTRACE_EVENT_EXIT: about to exit (only with SessionOptions::exit_stops)
  Trap,       // SIGTRAP from a single-step, an int3 or a debug register (a Signal otherwise)
  Exited,     // the thread is gone; exit_code. Not stopped: nothing to resume
  Killed,     // the thread was killed by `signal`. Not stopped: nothing to resume
  // The spawned command could not be executed: its execve (whose exit was the last event of
  // this thread) failed with errno `exit_code`. What the child would run next is ptk's own
  // launcher, not the program, so the child is gone: not stopped, nothing to resume.
  ExecFailed,
};

std::string_view to_string(EventKind kind);

struct SyscallStop {
  Arch arch = Arch::X86_64;  // the ABI of this very syscall (int $0x80 from 64-bit code is I386)
  std::int64_t nr = -1;
  std::array<std::uint64_t, 6> args{};
  std::uint64_t ip = 0;
  std::uint64_t sp = 0;
  std::int64_t ret = 0;       // SyscallExit: the return value (-errno when is_error)
  bool is_error = false;      // SyscallExit
  bool from_seccomp = false;  // SyscallEntry reported by a seccomp filter's SECCOMP_RET_TRACE
  std::uint32_t seccomp_data = 0;
};

struct Event {
  EventKind kind;
  pid_t tid = 0;  // the thread the event is about
  pid_t pid = 0;  // its process (thread group id)
  SyscallStop syscall{};
  int signal = 0;       // Signal, GroupStop, Trap, Killed
  siginfo_t siginfo{};  // Signal, Trap
  pid_t new_tid = 0;    // Fork, Vfork, Clone
  pid_t old_tid = 0;  // Exec: the tid that called execve (differs from tid after a non-leader exec)
  int exit_code = 0;  // Exited, Exiting; the errno of ExecFailed
  bool core_dumped = false;  // Killed
  // The process's cumulative system time at this stop (ns, microsecond resolution), from the
  // rusage of the wait4 that reported it, when WaitPolicy::want_rusage; else -1. Only the stops
  // wait() and wait_until() take from the kernel carry it (not those queued by other calls).
  std::int64_t stime_ns = -1;
  // A replayed event's time (CLOCK_REALTIME, ns: the eBPF backend's, or a recorded trace's);
  // 0 for a live stop, whose time is when the tracer sees it.
  std::int64_t time_ns = 0;

  // Whether the thread is in a ptrace-stop waiting to be resumed.
  bool stopped() const {
    return kind != EventKind::Exited && kind != EventKind::Killed && kind != EventKind::ExecFailed;
  }
};

}  // namespace ptk
