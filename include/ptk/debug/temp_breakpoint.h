// A one-shot software breakpoint, the article's (part II, example 7): save the byte at an
// address, write int3 (0xcc) over it, and when a thread traps there put the byte back and move
// the thread's instruction pointer back over the int3 (by the ABI's pc adjustment).
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
  // Writes the int3 at `address` in the process of `tid` (a stopped thread of `session`).
  static Result<TempBreakpoint> insert(Session& session, pid_t tid, std::uint64_t address);

  TempBreakpoint(TempBreakpoint&& other) noexcept;
  TempBreakpoint& operator=(TempBreakpoint&&) = delete;
  TempBreakpoint(const TempBreakpoint&) = delete;
  TempBreakpoint& operator=(const TempBreakpoint&) = delete;
  // Puts the original byte back if it is still replaced (best effort: the process may be gone).
  ~TempBreakpoint();

  std::uint64_t address() const { return address_; }
  bool inserted() const { return inserted_; }

  // Whether a stop is this breakpoint's hit: an int3 trap (si_code SI_KERNEL on x86) whose
  // instruction pointer is just past the address.
  static bool is_int3_trap(const Event& ev);
  bool is_hit(const Event& ev, const Registers& regs) const;

  // After a hit: puts the byte back and moves the thread back onto the instruction (regs is
  // updated and written to the thread).
  Status finish_hit(pid_t tid, Registers& regs);
  // Puts the original byte back.
  Status remove();
  // The address space the breakpoint was in is gone (execve): nothing to put back.
  void forget() { inserted_ = false; }

 private:
  TempBreakpoint(Session& session, pid_t pid, std::uint64_t address, std::byte saved)
      : session_(&session), pid_(pid), address_(address), saved_(saved) {}

  Session* session_;
  pid_t pid_;
  std::uint64_t address_;
  std::byte saved_;
  bool inserted_ = true;
};

}  // namespace ptk::debug
