// Tracer: drives a Session, decodes every syscall stop once, and hands the decoded model to a
// sink (the strace printer, JSON, the -c summary, tamper rules...).
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <unordered_map>

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
  virtual void exec(const Event& /*ev*/) {}
  virtual void thread_start(const Event& /*ev*/) {}
};

// A hook that may change a syscall at entry or exit (tampering); called before the sink.
class SyscallHook {
 public:
  virtual ~SyscallHook() = default;
  virtual void on_entry(Session& session, DecodedSyscall& sc) = 0;
  virtual void on_exit(Session& session, DecodedSyscall& sc) = 0;
};

struct TracerOptions {
  DecodeOptions decode;
  SyscallFilter filter;   // which syscalls are decoded and reported
  bool fd_paths = false;  // -y
  PathFilter paths;       // -P: when not empty, only syscalls touching these paths
  SyscallHook* hook = nullptr;
};

class Tracer {
 public:
  Tracer(Session& session, TracerOptions options, TraceSink& sink);

  // Runs until no tracee is left, or until *stop becomes nonzero (then returns with the
  // tracees untouched: the caller detaches or kills them).
  Status run(const volatile std::sig_atomic_t* stop = nullptr);

  const TracerOptions& options() const { return options_; }

 private:
  struct ThreadState {
    DecodedSyscall sc;
    bool active = false;  // an entry was reported and its exit is awaited
    // The syscall a signal interrupted with ERESTART_RESTARTBLOCK: restart_syscall resumes it.
    std::string interrupted;
  };

  void on_entry(const Event& ev);
  void on_exit(const Event& ev);

  Session& session_;
  TracerOptions options_;
  TraceSink& sink_;
  FdPathFn fd_path_;
  std::unordered_map<pid_t, ThreadState> threads_;
};

// CLOCK_REALTIME in nanoseconds (the vDSO makes this cheap enough for every stop).
std::int64_t now_ns();

}  // namespace ptk::sys
