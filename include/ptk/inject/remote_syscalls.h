// RemoteSyscalls: a scope in which one stopped thread of a Session runs code ptk chooses --
// syscalls first, and the shellcode runner's code -- and after which the thread is exactly as
// it was.
//
// What it saves and restores:
// - the general registers (PTRACE_GETREGS); the extended state (x87/SSE/AVX, XSAVE) only when
//   save_extended_state() is called: a syscall leaves it alone, foreign code may not;
// - a syscall the thread was stopped in. A thread interrupted in a blocking call (read, accept,
//   nanosleep) stops with -ERESTARTSYS (or a sibling code) in the return register; the kernel
//   rewinds it into a restart when the thread leaves the stop. Every stop this scope ends on is
//   a signal-delivery-stop, so the kernel applies those rules itself to the restored registers;
//   a thread taken at a syscall-entry stop is rewound by hand (see restore());
// - the thread's pending signal, and any signal that arrives during the injection: held back,
//   then passed on when the thread is next resumed (the first one exactly, with its siginfo;
//   further ones re-queued);
// - bytes it writes (a syscall instruction over the ip when no existing one is found).
// The other threads of the process stay in their ptrace-stops throughout.
//
// Like Session, single-threaded. Not for a thread in a group-stop (it would have to run), nor
// for one at a fork, vfork, clone, exec or exit event (it is inside a syscall whose result the
// kernel stores when it leaves the stop, over the injected one's registers).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ptk/arch/registers.h"
#include "ptk/arch/remote_abi.h"
#include "ptk/base/remote_ptr.h"
#include "ptk/base/result.h"
#include "ptk/core/session.h"

namespace ptk::inject {

// The kernel's error range of a syscall return value: -4095..-1.
inline bool is_syscall_error(std::int64_t ret) { return ret < 0 && ret >= -4095; }

// How the code run by run_code() stopped.
struct CodeStop {
  enum class Kind : std::uint8_t { Trap, Fault };
  Kind kind = Kind::Trap;
  int signal = 0;             // SIGTRAP for a trap; SIGSEGV, SIGBUS, SIGILL, SIGFPE... for a fault
  std::uint64_t address = 0;  // the faulting address (si_addr) of a fault
  Registers regs;             // the registers at the stop
};

class RemoteSyscalls {
 public:
  // Takes over thread `tid`, which must be stopped in `session` (after attach, at any event).
  // Nothing in the tracee changes until the first syscall or run_code.
  static Result<RemoteSyscalls> open(Session& session, pid_t tid);

  RemoteSyscalls(RemoteSyscalls&& other) noexcept;
  RemoteSyscalls& operator=(RemoteSyscalls&&) = delete;
  RemoteSyscalls(const RemoteSyscalls&) = delete;
  RemoteSyscalls& operator=(const RemoteSyscalls&) = delete;
  ~RemoteSyscalls();  // restore(), errors ignored (the thread may be gone)

  // Runs syscall `nr` of the thread's ABI with up to 6 register arguments; returns the raw
  // value of the return register, sign-extended (-errno on failure; see is_syscall_error).
  // exit, execve and the like are refused: the thread could not be restored after them.
  Result<std::int64_t> syscall(std::int64_t nr, std::span<const std::uint64_t> args);
  Result<std::int64_t> syscall(std::int64_t nr, std::initializer_list<std::uint64_t> args) {
    return syscall(nr, std::span<const std::uint64_t>(args.begin(), args.size()));
  }
  // The same by name, looked up in the thread's ABI ("mmap2" exists on i386 only).
  Result<std::int64_t> syscall(std::string_view name, std::initializer_list<std::uint64_t> args);

  // Runs the thread from `regs` (PTRACE_CONT) until it stops on a breakpoint instruction (a Trap)
  // or a synchronous fault (not delivered: the fault is reported instead). Signals that arrive
  // meanwhile are held back until restore. The registers are restored afterwards as always.
  Result<CodeStop> run_code(const Registers& regs);

  // Saves the XSAVE state now, to be put back at restore (for code that may change it).
  Status save_extended_state();

  // Undoes everything: bytes written, registers (with the syscall restart, see above), the
  // pending signal and the signals held back. Idempotent; the scope is inert afterwards.
  Status restore();

  Session& session() const { return *session_; }
  pid_t tid() const { return tid_; }
  Arch arch() const { return saved_regs_.arch(); }
  const AbiInfo& abi_info() const { return saved_regs_.abi_info(); }
  // The registers as the thread had them when the scope opened.
  const Registers& saved_regs() const { return saved_regs_; }
  // A syscall's return value as an address (the ABI's word, zero-extended): mmap2's results
  // above 2 GiB read as negative in the sign-extended form.
  std::uint64_t as_address(std::int64_t ret) const;

  // The lowest tracee stack address in use by this scope: scratch data goes below it (see
  // StackBytes). Starts below the red zone of the saved stack pointer.
  std::uint64_t scratch_sp() const { return scratch_sp_; }
  void set_scratch_sp(std::uint64_t sp) { scratch_sp_ = sp; }
  // Signals held back so far (for tests and reports).
  std::size_t held_signal_count() const { return held_.size(); }

 private:
  RemoteSyscalls(Session& session, pid_t tid, const Registers& regs);
  Status find_syscall_site();
  Status resume_and_wait(Resume how, std::optional<Event>& stop);
  bool hold_if_foreign(const Event& ev);
  void adopt_stop_clobber(const Registers& now);
  Status reenter_interrupted_call();
  Status restore_signals();

  Session* session_ = nullptr;
  pid_t tid_ = 0;
  bool active_ = false;
  bool resumed_ = false;  // the thread ran: registers and signals need putting back
  EventKind initial_stop_ = EventKind::Interrupt;
  int initial_pending_signal_ = 0;
  std::optional<siginfo_t> initial_siginfo_;
  Registers saved_regs_;
  std::optional<std::vector<std::byte>> saved_xstate_;
  std::uint64_t scratch_sp_ = 0;
  std::uint64_t syscall_site_ = 0;           // address of a syscall instruction, 0 until found
  std::vector<std::byte> site_saved_bytes_;  // when the instruction was written over the ip
  std::vector<siginfo_t> held_;              // signals that arrived meanwhile, in order
  // The number the rewound call was re-entered with (see reenter_interrupted_call).
  std::optional<std::uint64_t> reentered_nr_;
};

}  // namespace ptk::inject
