// Hardware watchpoints and breakpoints of one traced process: x86's debug registers (DR0-DR3
// addresses, DR7 control, DR6 status; encoding in ptk/arch/debugreg.h), or aarch64's
// NT_ARM_HW_WATCH / NT_ARM_HW_BREAK slots (ptk/arch/hwdebug_aarch64.h, ptk/core/hw_debug.h).
//
// They are per thread: every watchpoint is written into every traced thread of the process,
// and a thread created later starts with none (Linux does not copy ptrace breakpoints on
// clone: x86 copy_thread clears thread.ptrace_bps, arm64's ptrace_hw_copy_thread zeroes the
// thread's debug state), so the owner calls on_thread_start() at each new thread's first stop.
// execve clears them too (flush_thread): call forget() after an Exec event. Detaching does NOT
// clear them (a thread that hits a watchpoint after detach gets a SIGTRAP that kills it), so
// remove_all() before Session::detach; the destructor does it as a last resort.
//
// A hit is a SIGTRAP with si_code TRAP_HWBKPT (Session reports it as EventKind::Trap).
// x86: DR6 says which slot. A data watchpoint traps after the access, with ip past the
// instruction; an execute watchpoint faults before the instruction, and the kernel sets
// EFLAGS.RF so that resuming runs the instruction instead of trapping again.
// aarch64: si_addr says which slot, and every hit stops BEFORE the access or the instruction,
// which would hit again when resumed: decode_hit() runs that one instruction with the thread's
// slots off (a single-step) before it returns, so a hit looks the same as on x86.
//
// Preconditions: the threads of the process are stopped when add/remove run (the debug
// registers and regsets need a ptrace-stop); threads that exited meanwhile are skipped.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/debugreg.h"
#include "ptk/base/result.h"
#include "ptk/core/event.h"
#include "ptk/core/session.h"

namespace ptk::debug {

struct WatchSpec {
  std::uint64_t address = 0;
  unsigned len = 1;  // 1, 2, 4, or 8 (64-bit tracees only)
  WatchKind kind = WatchKind::Write;
  std::string label{};  // how the user named it (e.g. "counter:4:w"); for messages only
};

// Parses the "[:LEN][:w|rw|x]" tail of a --watch argument ("4", "4:w", "rw", "" ...) into
// `spec` (address and label are left to the caller). Bad text: InvalidArgument, one line.
Status parse_watch_suffix(std::string_view suffix, WatchSpec& spec);

struct WatchHit {
  int slot = 0;  // 0-3: also the id add() returned
  WatchSpec spec{};
  pid_t tid = 0;
  std::uint64_t ip = 0;  // Write/ReadWrite: just past the accessing instruction
  // Write and ReadWrite: the watched bytes before (as last seen by ptk) and now, little-endian
  // in the low `len` bytes. A ReadWrite hit by a read has old_value == new_value.
  std::optional<std::uint64_t> old_value{};
  std::optional<std::uint64_t> new_value{};
};

class Watchpoints {
 public:
  Watchpoints(Session& session, pid_t pid) : session_(session), pid_(pid) {}
  ~Watchpoints();  // remove_all(), best effort
  Watchpoints(const Watchpoints&) = delete;
  Watchpoints& operator=(const Watchpoints&) = delete;

  // Sets a watchpoint in every traced thread of the process; returns its slot (0-3). Errors
  // (one line each, nothing left set): a length or alignment the hardware cannot do, all four
  // debug registers in use, an address the kernel refuses.
  Result<int> add(const WatchSpec& spec);
  // Clears one watchpoint (its DR7 bits) on every thread.
  Status remove(int slot);
  // Clears every watchpoint on every thread (before detaching). Tries every thread even when
  // one fails and returns the first error.
  Status remove_all();

  // A new thread of the process (its first stop, EventKind::ThreadStart): give it the
  // watchpoints. Threads of other processes are ignored.
  Status on_thread_start(pid_t tid);
  // After an Exec event of the process: the kernel cleared the registers, the slots are free.
  void forget();

  // Whether the stop is a debug-register trap (SIGTRAP, si_code TRAP_HWBKPT).
  static bool is_hw_trap(const Event& ev);
  // Decodes a hit (x86: from the thread's DR6, which it acknowledges by clearing the B bits;
  // aarch64: from si_addr, then steps past it), reading the watched value for data
  // watchpoints. nullopt when the stop is not a hit of ours. The thread stays stopped for the
  // caller to resume, passing on its pending signal (Session::resume's default) -- unless
  // next_deferred() has an event for it.
  Result<std::optional<WatchHit>> decode_hit(const Event& ev);
  // aarch64: an event that came instead of the end of the step past a hit (the thread exited
  // or was killed, or stopped for something the caller handles): the caller takes it as if its
  // wait had returned it. x86 never has one.
  std::optional<Event> next_deferred();

  const std::optional<WatchSpec>& slot(int i) const { return slots_.at(static_cast<size_t>(i)); }
  std::size_t size() const;
  pid_t pid() const { return pid_; }

 private:
  // Writes the address of `slot` and the DR7 value `dr7` into thread `tid`.
  Status program_thread(pid_t tid, int slot, std::uint64_t dr7);
  // aarch64 (watchpoints_a64.cpp): every slot of this set into thread `tid`'s regsets, or all
  // of them off; the hit behind a TRAP_HWBKPT stop; running the instruction it stopped before.
  Status learn_a64_slots(pid_t tid);
  int a64_slots_for(WatchKind kind) const;
  Status write_a64_slots(pid_t tid, bool on);
  Result<std::optional<WatchHit>> decode_a64_hit(const Event& ev);
  Status step_past_hit(pid_t tid);
  std::vector<pid_t> live_threads() const;
  Result<std::uint64_t> read_value(pid_t tid, const WatchSpec& spec);

  Session& session_;
  pid_t pid_;
  std::array<std::optional<WatchSpec>, kDebugRegSlots> slots_{};
  // The last value ptk saw in each data watch (nullopt: unreadable), for old/new at a hit.
  std::array<std::optional<std::uint64_t>, kDebugRegSlots> shadow_{};
  std::uint64_t dr7_ = 0;  // x86: what every thread of the process holds
  // aarch64: the CPU's watchpoint and breakpoint slots (read at the first add; -1 before).
  int a64_watch_slots_ = -1, a64_break_slots_ = -1;
  std::deque<Event> deferred_;
};

}  // namespace ptk::debug
