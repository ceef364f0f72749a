// Two of ptk trace's options that act on the run rather than on the output, for a TraceJob:
// -b execve (DetachOnExec) and --syscall-limit (SyscallLimit).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "ptk/core/session.h"
#include "ptk/sys/tracer.h"

namespace ptk::engine {

// -b execve: lets a process go when it executes a program, after the first execve of the
// command ptk started (strace skips that one too: it is how the command starts).
class DetachOnExec final : public sys::SyscallHook {
 public:
  // `before(tid)` runs before the detach (a printer ends the thread's open line), `after(pid)`
  // once the process is let go.
  DetachOnExec(std::function<void(pid_t)> before, std::function<void(pid_t)> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void set_command(pid_t command) { command_ = command; }  // the process ptk spawned
  void on_entry(Session&, sys::DecodedSyscall&) override {}
  void on_exit(Session&, sys::DecodedSyscall&) override {}
  void on_exec(Session& session, const Event& ev) override;

 private:
  pid_t command_ = 0;
  bool skipped_first_ = false;
  std::function<void(pid_t)> before_, after_;
};

// --syscall-limit N: after N syscalls were reported, ends the trace (everything is let go).
class SyscallLimit final : public sys::TraceSink {
 public:
  // `reached` ends the trace (Engine::request_stop).
  SyscallLimit(std::uint64_t limit, std::function<void()> reached)
      : left_(limit), reached_(std::move(reached)) {}
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall&) override { count(); }
  void signal(const Event&) override {}
  void thread_gone(const Event&, sys::DecodedSyscall* pending) override {
    if (pending != nullptr) count();  // a call that never returned was printed all the same
  }

 private:
  void count() {
    if (left_ != 0 && --left_ == 0 && reached_) reached_();
  }
  std::uint64_t left_;
  std::function<void()> reached_;
};

}  // namespace ptk::engine
