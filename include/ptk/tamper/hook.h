// The C++ hook API of ptk_tamper: callbacks at syscall entry and exit that may read and change
// the syscall. strace-style -e inject=/fault= specs and ptk's --rewrite rules are built on it,
// and a user's own C++ program can use it directly (examples/ex4_reverse_write.cpp).
//
// A Hook says which syscalls it wants (those stop even when -e trace= leaves them out; a
// seccomp filter includes them) and is called with a SyscallContext for each stop:
//
//   struct Deny : ptk::tamper::Hook {
//     bool wants(ptk::Arch, const ptk::SyscallSpec* s) const override {
//       return s != nullptr && s->name == "unlink";
//     }
//     void on_entry(ptk::tamper::SyscallContext& ctx) override { ctx.skip(-EPERM); }
//   };
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decoded.h"

namespace ptk {
class Session;
}

namespace ptk::tamper {

enum class Phase : std::uint8_t { Entry, Exit };

// One syscall stop as a hook sees it; valid only during the callback. At entry the decoded
// arguments are what the program asked for (before any hook changed them); at exit the return
// value is what the kernel returned, or what an earlier hook set.
class SyscallContext {
 public:
  virtual ~SyscallContext() = default;

  virtual Phase phase() const = 0;
  virtual const sys::DecodedSyscall& syscall() const = 0;
  pid_t pid() const { return syscall().pid; }
  pid_t tid() const { return syscall().tid; }
  Arch arch() const { return syscall().arch; }
  std::string name() const { return syscall().name(); }
  // The raw argument as the thread's registers hold it now (after set_arg, the new value).
  virtual std::uint64_t arg(int i) const = 0;

  // ---- entry only (an error of kind InvalidArgument at exit)
  virtual Status set_arg(int i, std::uint64_t value) = 0;
  // Substitutes another syscall of the same ABI (strace's inject=...:syscall=NAME).
  virtual Status set_syscall(std::int64_t nr) = 0;
  // The call does not run; the thread sees `retval` (-errno for an error) as its result.
  virtual Status skip(std::int64_t retval) = 0;

  // ---- exit only (an error of kind InvalidArgument at entry)
  virtual std::int64_t ret() const = 0;
  virtual Status set_return(std::int64_t value) = 0;
  // What the kernel itself returned, before any hook's skip() or set_return() (a skipped
  // call returns -ENOSYS: the kernel ran no syscall number -1).
  virtual std::int64_t kernel_ret() const { return ret(); }

  // ---- both
  virtual Memory& memory() = 0;
  // Scratch memory in the tracee (below its stack pointer, past the red zone), kept until
  // after this syscall's exit; its old contents are given back then, and on detach.
  virtual Result<RemotePtr<void>> borrow(std::size_t size) = 0;
  // borrow() + write `s` and a NUL.
  virtual Result<RemotePtr<char>> push_string(std::string_view s) = 0;
  // Sends `sig` to the thread (tgkill) so that it arrives as the syscall returns.
  virtual Status raise(int sig) = 0;
  // Holds the thread (only this one) at this stop for `d` before it carries on.
  virtual void delay(std::chrono::microseconds d) = 0;
  // A mark shown after the syscall's line, e.g. "(INJECTED)" or "(REWRITTEN: path)".
  virtual void mark(std::string_view note) = 0;
  // At entry: the memory the arguments point to was changed in place (strace's poke_enter),
  // so the line shows it as the call sees it: the entry is decoded again after the hooks.
  virtual void args_poked() {}
};

class Hook {
 public:
  virtual ~Hook() = default;
  // Which syscalls stop for this hook. `spec` is nullptr for a number the ABI does not define.
  virtual bool wants(Arch arch, const SyscallSpec* spec) const = 0;
  virtual void on_entry(SyscallContext& /*ctx*/) {}
  virtual void on_exit(SyscallContext& /*ctx*/) {}
  // The thread is gone before this syscall's exit (killed, or its process exec'd or exited).
  // When ptk lets go of a thread in a tampered syscall it first runs the call to its exit
  // (sys::Tracer::run), so on_exit, not this, sees it.
  virtual void on_abandon(pid_t /*tid*/) {}
  // The thread exited (after on_abandon if it was in a syscall): per-thread state may go, as
  // the kernel may give its tid to a new thread.
  virtual void on_thread_exit(pid_t /*tid*/) {}
  // A thread of the process made a successful execve. `old_tid` called it and is now known as
  // `tid`, the process's id (they differ after an execve from a non-leader thread).
  virtual void on_exec(pid_t /*tid*/, pid_t /*old_tid*/) {}
};

}  // namespace ptk::tamper
