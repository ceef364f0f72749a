// Tamperer: runs a list of tamper::Hooks at the syscall stops of a sys::Tracer, and applies
// what they ask for to the thread.
//
//   ptk::tamper::Tamperer tamperer;
//   tamperer.add(std::make_unique<MyHook>());
//   ptk::sys::TracerOptions to;
//   to.hooks.push_back(&tamperer);            // the seccomp filter: sys::stop_filter(to)
//
// How each change is made (x86_64, i386, and `int $0x80` from 64-bit code alike, through the
// ABI of the very syscall):
// - set_arg / set_syscall: the argument registers and orig_rax/orig_eax at the entry stop
//   (the kernel reads the number from orig_rax after the stop). The program's argument
//   registers are put back at the exit: the syscall ABI preserves them, and compiled code
//   relies on that.
// - skip(v): the number becomes -1, which the kernel does not run (its result stays -ENOSYS);
//   at the exit stop the return register gets v.
// - A call interrupted by a signal (-ERESTART* at exit) that had its number or arguments
//   changed gets the program's own number and arguments back, so that the kernel restarts
//   the program's syscall (which stops at entry again), never the changed one.
// - borrow(): scratch memory below the stack pointer, past the red zone (128 bytes on
//   x86_64; 0 on i386), 16-byte aligned, at most 64 KiB per syscall; the old bytes are written
//   back at the exit stop, before the thread runs again. Never after an execve (the old
//   address space is gone) nor for a thread that is gone.
// - delay(d): the thread stays stopped for d before it goes on (sys::SyscallHook::take_delay):
//   only that thread; ptk handles the stops of the others meanwhile.
// - raise(sig): tgkill(2) from ptk; the signal is pending as the thread resumes, so a blocking
//   call is interrupted and the handler runs before the program sees the result.
#pragma once

#include <sys/types.h>

#include <bitset>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "ptk/sys/tracer.h"
#include "ptk/tamper/hook.h"

namespace ptk::tamper {

struct InFlight;  // one thread's tampered syscall in progress (src/tamper/context.h)

class Tamperer final : public sys::SyscallHook {
 public:
  Tamperer();
  ~Tamperer() override;
  Tamperer(const Tamperer&) = delete;
  Tamperer& operator=(const Tamperer&) = delete;

  // Hooks run in the order they were added, at entry and at exit (at most 64 per Tamperer).
  // Each hook's wants() is asked when it is added, for every syscall of both ABIs, and must
  // keep its answer.
  Hook& add(std::unique_ptr<Hook> hook);
  void add_ref(Hook& hook);  // not owned: must outlive the Tamperer
  bool empty() const { return hooks_.empty(); }

  // Where problems met while applying a change go (a register write that failed, ...);
  // stderr ("ptk: tamper: ...") by default.
  void set_error_handler(std::function<void(const Error&)> handler) {
    on_error_ = std::move(handler);
  }

  // sys::SyscallHook
  bool wants(Arch arch, std::int64_t nr) const override;
  void on_entry(Session& session, sys::DecodedSyscall& sc) override;
  void on_exit(Session& session, sys::DecodedSyscall& sc) override;
  void on_abandon(Session& session, pid_t tid) override;
  void on_thread_exit(Session& session, pid_t tid) override;
  void on_exec(Session& session, const Event& ev) override;
  bool holds(pid_t tid) const override;
  std::chrono::microseconds take_delay(pid_t tid) override;

 private:
  bool hook_wants(const Hook& hook, Arch arch, std::int64_t nr) const;
  void report(const Error& e) const;

  std::vector<Hook*> hooks_;
  std::vector<std::unique_ptr<Hook>> owned_;
  std::bitset<sys::SyscallFilter::kMaxNr> wanted_[kArchCount];  // any hook wants (arch, nr)
  std::unordered_map<pid_t, std::unique_ptr<InFlight>> in_flight_;
  std::function<void(const Error&)> on_error_;
  std::unordered_map<pid_t, std::chrono::microseconds> delays_;  // asked for at the last stop
};

}  // namespace ptk::tamper
