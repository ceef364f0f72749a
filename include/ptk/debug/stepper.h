// Single-stepping one thread of a Session with PTRACE_SINGLESTEP, instruction by instruction:
// the article's example 5 as a library.
//
// What counts as a step: an instruction the thread executed. Each single-step trap is one
// (after a `syscall`, `int $0x80`, `sysenter` or `svc` the kernel reports it at the syscall's
// exit, with kHostTrapCodes.stepped_syscall instead of TRAP_TRACE: still one instruction). The
// instruction that ends the thread (an exit syscall) counts too, though no trap follows it. A
// faulting instruction does not (it did not complete; its signal is passed on).
//
// Signals: a signal that arrives while stepping is passed on at the next step. When it has a
// handler, the kernel builds the handler's frame and, because the thread is being stepped,
// stops it once more at the handler's first instruction (a SIGTRAP with si_code SIGTRAP, not an
// instruction: not counted); stepping then goes on inside the handler, whose instructions are
// counted, through sigreturn and back. gdb's `stepi` would step over the handler instead; a raw
// PTRACE_SINGLESTEP loop counts it as ptk does.
//
// Other threads of the process are not stepped: they run freely (their stops are passed on).
#pragma once

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "ptk/arch/registers.h"
#include "ptk/base/result.h"
#include "ptk/core/event.h"
#include "ptk/core/session.h"

namespace ptk::debug {

// Where stepping begins.
struct StepStart {
  enum class Kind : std::uint8_t {
    Here,          // at the thread's current instruction
    AtAddress,     // at the first time any thread reaches `address` (a one-shot breakpoint there)
    AfterSyscall,  // at the exit of the first syscall named `syscall` (in any thread)
  };
  Kind kind = Kind::Here;
  std::uint64_t address = 0;
  std::string syscall{};
};

struct StepLimits {
  std::uint64_t max_steps = 0;  // 0: until the thread ends
  // When set and nonzero, stepping stops (the flag of a SIGINT handler). Session's WaitPolicy
  // must carry the same flag as `interrupt`, so that a blocked wait returns.
  const volatile std::sig_atomic_t* stop = nullptr;
};

enum class StepEnd : std::uint8_t {
  Exited,   // the thread exited (the last event is its Exited)
  Killed,   // the thread was killed by a signal
  Limit,    // max_steps reached; the thread is stopped before its next instruction
  Stopped,  // asked to stop (the stop flag, or the observer); the thread may be mid-step
};

struct StepOutcome {
  std::uint64_t steps = 0;
  StepEnd end = StepEnd::Exited;
  pid_t tid = 0;
  Event last{.kind = EventKind::Exited};  // Exited/Killed: how the thread ended
};

class Stepper {
 public:
  explicit Stepper(Session& session) : session_(session) {}

  // Called before each instruction with the thread's registers (ip is the instruction about
  // to run). Returning false stops stepping. Without an observer or a syscall fence no register
  // is read at all.
  using Observer = std::function<bool(const Registers& regs)>;
  // Called for the stepped thread's events that are not steps (exec, signals, clone, ...).
  using EventObserver = std::function<void(const Event& ev)>;
  void set_event_observer(EventObserver observer) { on_event_ = std::move(observer); }
  // Called with true before the stepped thread runs an instruction that enters the kernel
  // (syscall, sysenter, int $0x80), and with false once that step is over; used to hide
  // ptk's own changes to the thread from its syscalls (cpu_pin.h). Setting one makes each step
  // read the thread's registers and the bytes at its instruction pointer.
  using SyscallFence = std::function<void(bool entering)>;
  void set_syscall_fence(SyscallFence fence) { fence_ = std::move(fence); }

  // Runs the process of `tid` (stopped) until the start condition; returns the thread that
  // reached it, stopped there. Fails if the process ends (or execs, for AtAddress) first, or
  // when `stop` is raised.
  Result<pid_t> run_to_start(pid_t tid, const StepStart& start,
                             const volatile std::sig_atomic_t* stop = nullptr);

  // Steps `tid` (stopped) until a limit, the stop flag, the observer, or its end. The other
  // stopped threads of its process are resumed to run freely.
  Result<StepOutcome> step(pid_t tid, const StepLimits& limits, const Observer& observer = {});

  // Leaves every thread of process `pid` so that Session::detach (or running it to its end)
  // lets it go unharmed: a step in flight is interrupted, a thread stopped by the trap of a
  // removed start breakpoint is moved back, and no SIGTRAP of ptk's own making stays pending
  // (a tracer-made trap passed on at detach would kill the process). Threads may be left
  // running. Blocking waits here ignore the stop flag.
  Status release(pid_t pid);

 private:
  Result<pid_t> run_to_address(pid_t tid, std::uint64_t address,
                               const volatile std::sig_atomic_t* stop);
  Result<pid_t> run_to_syscall_exit(pid_t tid, const std::string& name,
                                    const volatile std::sig_atomic_t* stop);
  Status release_thread(pid_t tid);
  // Lets the process run towards a start condition: `tid` and its other stopped threads.
  Status resume_to_start(pid_t tid);
  // The signal the program itself is to receive when the stopped thread `tid` goes on: that of
  // a signal-delivery stop, or the SIGTRAP of its own breakpoint instruction, but never a trap of
  // ptk's making.
  int program_signal(pid_t tid) const;
  // The next event of `tid`; other threads' events are passed on meanwhile.
  Result<Event> wait_for(pid_t tid);
  // Resumes another thread's stop as the session would, except a trap at the removed start
  // breakpoint, which is undone.
  void pass_on(const Event& ev);
  bool undo_removed_breakpoint_trap(const Event& ev);
  void resume_others(pid_t tid);
  bool enters_kernel_at(pid_t tid, const Registers& regs);

  Session& session_;
  EventObserver on_event_;
  SyscallFence fence_;
  std::unordered_map<pid_t, Event> last_;  // the last stop of each thread ptk waited for
  // A one-shot breakpoint removed at its hit: another thread that hit it at the same time
  // reports its breakpoint trap after the bytes are back, and must not get a SIGTRAP for it.
  std::optional<std::uint64_t> removed_breakpoint_{};
};

}  // namespace ptk::debug
