// `ptk trace -k`: the stack of each printed syscall, as strace -k prints it.
//
// The stack is captured at the syscall's entry stop (a SyscallHook), kept per thread, and
// printed by the text printer right after the line that completes the syscall (the one-piece
// line, or the "<... resumed>" line; an "<unfinished ...>" head has none), one line per frame:
//   " > /usr/lib/x86_64-linux-gnu/libc.so.6(__write+0x10) [0xf8350]"
// An execve shows its caller, like any syscall; only the spawned command's own execve, whose
// caller is ptk's forked child, shows the new program's stack at its exit, as strace does.
#pragma once

#include <sys/types.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/debug/unwind.h"
#include "ptk/sys/tracer.h"

namespace ptk::cli {

class StackTraces final : public sys::SyscallHook, public sys::TraceSink {
 public:
  explicit StackTraces(Session& session) : unwinder_(session) {}

  // The process ptk spawned: its first execve is made by ptk's own child code.
  void set_spawned(pid_t pid) { initial_exec_ = pid; }

  // SyscallHook: captures.
  void on_entry(Session& session, sys::DecodedSyscall& sc) override;
  void on_exit(Session& session, sys::DecodedSyscall& sc) override;

  // TraceSink: drops the caches a new program or a gone process makes stale. Add it to the
  // sinks after the printer, which takes a dying thread's last stack first.
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall&) override {}
  void signal(const Event&) override {}
  void thread_gone(const Event& ev, sys::DecodedSyscall* pending) override;
  void exec(const Event& ev) override;

  // Moves the thread's captured stack into `out` as strace's lines, joined by '\n' (no final
  // newline; `out` is left empty when there is nothing to print).
  void take_lines(pid_t tid, std::string& out);

 private:
  void capture(pid_t tid);

  debug::Unwinder unwinder_;
  std::unordered_map<pid_t, std::vector<debug::Frame>> stacks_;
  pid_t initial_exec_ = 0;
};

// One frame as strace -k prints it, without the newline.
void append_strace_frame(const debug::Frame& frame, std::string& out);

}  // namespace ptk::cli
