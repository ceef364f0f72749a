// Options of `ptk trace` that act on the run rather than on the output: -b execve,
// --syscall-limit, -E, -u, --tips.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/sys/tracer.h"

namespace ptk::cli {

// -b execve: lets a process go when it executes a program, after the first execve of the
// command ptk started (strace skips that one too: it is how the command starts).
class DetachOnExec final : public sys::SyscallHook {
 public:
  // `detached(pid)` runs before the detach: the printer ends the process's open line.
  DetachOnExec(pid_t command, bool quiet, std::function<void(pid_t)> detached)
      : command_(command), quiet_(quiet), detached_(std::move(detached)) {}
  void set_command(pid_t command) { command_ = command; }
  void on_entry(Session&, sys::DecodedSyscall&) override {}
  void on_exit(Session&, sys::DecodedSyscall&) override {}
  void on_exec(Session& session, const Event& ev) override;

 private:
  pid_t command_;
  bool quiet_;
  bool skipped_first_ = false;
  std::function<void(pid_t)> detached_;
};

// --syscall-limit N: after N syscalls were reported, ends the trace (everything is let go).
class SyscallLimit final : public sys::TraceSink {
 public:
  // `reached` ends the trace (engine::Engine::request_stop).
  SyscallLimit(std::uint64_t limit, std::function<void()> reached)
      : left_(limit), reached_(std::move(reached)) {}
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall&) override;
  void signal(const Event&) override {}
  void thread_gone(const Event&, sys::DecodedSyscall* pending) override;
  bool reached() const { return left_ == 0; }

 private:
  void count();
  std::uint64_t left_;
  std::function<void()> reached_;
};

// -E VAR=VAL / -E VAR: the command's environment, from ptk's own.
std::vector<std::string> command_environment(const std::vector<std::string>& changes);

// -u USERNAME: the ids to take in the child before it executes the command.
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::vector<gid_t> groups;
};
Result<RunAs> look_up_user(const std::string& name);
// In the spawned child (async-signal-safe calls only); _exits with a message on failure.
void become(const RunAs& who);

// --tips: a line about ptk, printed at the end.
std::string tip_of_the_run(unsigned seed);

}  // namespace ptk::cli
