// Tracer: drives a Session, decodes every syscall stop once, and hands the decoded model to a
// sink (the strace printer, JSON, the -c summary, tamper rules...).
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/core/session.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"
#include "ptk/sys/path_filter.h"

namespace ptk::sys {

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // After the entry was decoded (only for syscalls the filter selects).
  virtual void syscall_entry(DecodedSyscall& sc) = 0;
  // After the exit was decoded.
  virtual void syscall_exit(DecodedSyscall& sc) = 0;
  // A signal about to be delivered (signal-delivery-stop); the signal is passed on.
  virtual void signal(const Event& ev) = 0;
  // The process stopped (SIGSTOP, SIGTSTP, ...): "--- stopped by SIGSTOP ---".
  virtual void group_stop(const Event& /*ev*/) {}
  // A thread exited or was killed; `pending` is its syscall in progress, if any.
  virtual void thread_gone(const Event& ev, DecodedSyscall* pending) = 0;
  // The thread stopped on its way out (PTRACE_EVENT_EXIT) inside `pending`, a reported syscall
  // that will never return. thread_gone follows later with the same `pending`, or never: a
  // thread-group leader an execve of another thread replaced vanishes without an exit report.
  virtual void thread_exiting(const Event& /*ev*/, DecodedSyscall& /*pending*/) {}
  virtual void exec(const Event& /*ev*/) {}
  // The spawned command could not be executed (EventKind::ExecFailed; exit_code is the errno):
  // its failed execve was the last syscall reported, and the child is gone.
  virtual void exec_failed(const Event& /*ev*/) {}
  virtual void thread_start(const Event& /*ev*/) {}
  // Events of the trace were dropped before reaching the sink (the eBPF backend's ring buffer
  // was full): `count` of them, between the previous sink call and the next.
  virtual void lost(std::uint64_t /*count*/) {}
  // Around the tracer's wait for the next stop. In between, the tracer touches neither the
  // sinks nor the decoded syscalls, so another thread may read them (ptk trace writes out its
  // output then, see src/cli/trace/trace_live.h).
  virtual void before_wait() {}
  virtual void after_wait() {}
};

// A hook that may change a syscall at entry or exit (tampering, -k stacks). The tracer calls
// it for every syscall it reports, and for those it wants() even when the filter (-e trace=,
// -P) leaves them out: these stop, are decoded and handed to the hook, but are not reported.
class SyscallHook {
 public:
  virtual ~SyscallHook() = default;
  // Whether the syscall must stop for this hook whatever the filter says.
  virtual bool wants(Arch /*arch*/, std::int64_t /*nr*/) const { return false; }
  // At entry, after the arguments were decoded (the hook sees what the program asked for).
  virtual void on_entry(Session& session, DecodedSyscall& sc) = 0;
  // At exit, before the result is decoded (the output shows what the program gets).
  virtual void on_exit(Session& session, DecodedSyscall& sc) = 0;
  // The thread's syscall in progress will never be seen exiting: the thread is gone (killed,
  // or its process exec'd or exited).
  virtual void on_abandon(Session& /*session*/, pid_t /*tid*/) {}
  // The thread is gone (after on_abandon if it was in a syscall).
  virtual void on_thread_exit(Session& /*session*/, pid_t /*tid*/) {}
  // A successful execve (Event::old_tid called it; Event::tid is the thread now).
  virtual void on_exec(Session& /*session*/, const Event& /*ev*/) {}
  // Whether the hook has changed the thread's syscall in progress (registers, memory) so that
  // the thread must reach the syscall's exit before ptk lets it go: see Tracer::run.
  virtual bool holds(pid_t /*tid*/) const { return false; }
  // Asked after on_entry and on_exit: how long the thread must wait at this stop before it
  // goes on (tamper delays). The tracer holds only that thread and handles the others meanwhile.
  virtual std::chrono::microseconds take_delay(pid_t /*tid*/) { return {}; }
};

// The most hooks one Tracer runs (those after it are ignored).
inline constexpr std::size_t kMaxHooks = 64;

struct TracerOptions {
  DecodeOptions decode;
  SyscallFilter filter;   // which syscalls are decoded and reported
  bool fd_paths = false;  // -y
  // -yy, --decode-fds=: what descriptors print (FdDecode bits); with fd_paths and no bit set,
  // the path.
  unsigned decode_fds = 0;
  PathFilter paths;  // -P: when not empty, only syscalls touching these paths
  // Run in this order at entry and at exit; not owned.
  std::vector<SyscallHook*> hooks;
};

// The syscalls that must stop: those the filter reports and those a hook wants (for the
// seccomp program of SyscallStops::Seccomp).
SyscallFilter stop_filter(const TracerOptions& options);

class Tracer {
 public:
  Tracer(Session& session, TracerOptions options, TraceSink& sink);
  // A tracer of events that come from elsewhere than a Session (replay.h: the eBPF backend, a
  // recorded trace), reading the memory `memory` gives for a thread. It only dispatches: no
  // hooks (options.hooks is ignored), no run(), no delays.
  using MemoryFn = std::function<Memory&(pid_t tid)>;
  Tracer(MemoryFn memory, TracerOptions options, TraceSink& sink);

  // Runs until no tracee is left, or until *stop becomes nonzero. Then the threads a hook
  // holds (SyscallHook::holds: a tampered syscall in progress) are interrupted and run to
  // that syscall's exit, so that the hooks can undo their changes (a blocked call returns
  // -ERESTART* and is restarted as the program made it); new syscalls meanwhile are reported
  // but not hooked. It returns with the tracees otherwise untouched: the caller detaches or
  // kills them.
  Status run(const volatile std::sig_atomic_t* stop = nullptr);
  // One stop, for a caller that runs the event loop itself (ptk/engine/trace_job.h): decodes
  // and reports it as run() does. False when there is no thread left to resume (it is gone).
  // Hook delays (SyscallHook::take_delay) and the drain at a stop request are run()'s alone.
  bool dispatch(const Event& ev);
  // After dispatch() of a syscall stop: how long the hooks hold the thread there.
  std::chrono::microseconds take_delay(pid_t tid);
  // Around the caller's wait for the next stop (TraceSink::before_wait, after_wait).
  void before_wait() { sink_.before_wait(); }
  void after_wait() { sink_.after_wait(); }
  // At a stop request: interrupts the threads hooks hold (a tampered syscall in progress, see
  // run()) so that they reach that syscall's exit, and from then on hooks no new syscall. True
  // while any is held: the caller goes on dispatching until it says false.
  bool drain();

  const TracerOptions& options() const { return options_; }

 private:
  struct ThreadState {
    DecodedSyscall sc;
    bool active = false;      // an entry was seen (reported or hooked) and its exit is awaited
    bool reported = false;    // the sink saw the entry
    std::uint64_t hooks = 0;  // bit i: options_.hooks[i] ran at entry
    // The syscall a signal interrupted with ERESTART_RESTARTBLOCK: restart_syscall resumes it.
    std::string interrupted;
  };

  void init();
  Memory& memory(pid_t tid);
  void on_entry(const Event& ev);
  void on_exit(const Event& ev);
  void on_gone(const Event& ev);
  void on_exiting(const Event& ev);
  void on_exec(const Event& ev);
  void abandon(pid_t tid, ThreadState& ts);
  // Resumes the delayed threads whose time is up (all of them with `all`).
  Status release_delayed(bool all);

  // A thread held at a syscall stop for a hook's delay, resumed at `until`.
  struct Delayed {
    std::chrono::steady_clock::time_point until;
    Event ev;
  };

  Session* session_ = nullptr;  // null for a replay tracer
  MemoryFn memory_;
  TracerOptions options_;
  TraceSink& sink_;
  FdPathFn fd_path_;  // the plain path, for -P
  FdPathFn fd_text_;  // what -y and -yy print (fd_details)
  std::unordered_map<pid_t, ThreadState> threads_;
  bool draining_ = false;
  std::vector<Delayed> delayed_;
};

// CLOCK_REALTIME in nanoseconds (the vDSO makes this cheap enough for every stop).
std::int64_t now_ns();

}  // namespace ptk::sys
