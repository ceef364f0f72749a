// A one-shot software breakpoint, the article's (part II, example 7): save the bytes at an
// address, write the breakpoint instruction (int3, 0xcc; aarch64: brk #0) over them, and when a
// thread traps there put the bytes back and move the thread's instruction pointer back onto the
// address (by the ABI's pc adjustment: 1 after an int3, 0 at a brk).
//
// Minimal on purpose: one address, removed at its first hit, no hiding from memory reads and no
// reference counting; the debugger's breakpoints generalise it.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "ptk/arch/registers.h"
#include "ptk/base/result.h"
#include "ptk/core/event.h"
#include "ptk/core/session.h"

namespace ptk::debug {

class TempBreakpoint {
 public:
  // Writes the breakpoint instruction at `address` in the process of `tid` (a stopped thread of
  // `session`).
  static Result<TempBreakpoint> insert(Session& session, pid_t tid, std::uint64_t address);

  TempBreakpoint(TempBreakpoint&& other) noexcept;
  TempBreakpoint& operator=(TempBreakpoint&&) = delete;
  TempBreakpoint(const TempBreakpoint&) = delete;
  TempBreakpoint& operator=(const TempBreakpoint&) = delete;
  // Puts the original bytes back if they are still replaced (best effort: the process may be gone).
  ~TempBreakpoint();

  std::uint64_t address() const { return address_; }
  bool inserted() const { return inserted_; }

  // Whether a stop is this breakpoint's hit: a breakpoint trap (kHostTrapCodes) whose
  // instruction pointer is at the address plus the ABI's pc adjustment.
  static bool is_breakpoint_trap(const Event& ev);
  bool is_hit(const Event& ev, const Registers& regs) const;

  // After a hit: puts the bytes back and moves the thread back onto the instruction (regs is
  // updated and written to the thread).
  Status finish_hit(pid_t tid, Registers& regs);
  // Puts the original bytes back.
  Status remove();
  // The address space the breakpoint was in is gone (execve): nothing to put back.
  void forget() { inserted_ = false; }

 private:
  TempBreakpoint(Session& session, pid_t pid, std::uint64_t address, InsnBytes saved)
      : session_(&session), pid_(pid), address_(address), saved_(saved) {}

  Session* session_;
  pid_t pid_;
  std::uint64_t address_;
  InsnBytes saved_;
  bool inserted_ = true;
};

}  // namespace ptk::debug
