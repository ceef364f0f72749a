// Software breakpoints (x86's int3, aarch64's brk #0) of every process of a Session, reference
// counted per address.
//
// Step-over without ever taking the breakpoint out while threads run: when a breakpoint is
// inserted, the instruction it covers is copied once into a "slot" of a scratch executable page in
// the tracee, followed by a jump back to the instruction after it (RIP-relative operands adjusted).
// A hit is then one stop: the thread's ip is moved to the slot and it continues. No thread can
// miss the breakpoint or run a half-restored instruction, and threads may run the slot at the
// same time (it never changes). Branches are emulated (x86: call rel32, jmp rel8/rel32, ret;
// aarch64: every instruction that reads the pc or sets the link register, see a64_insn.h); what
// can be neither relocated nor emulated (jcc, indirect branches, a RIP-relative operand or a
// jump back too far from the slot, no scratch page) takes the classic path: stop every other
// thread of the process, put the bytes back, single-step, reinsert, resume them.
//
// The scratch page comes from the owner (set_scratch_allocator): mapping memory in the tracee
// takes an injected mmap, which lives above ptk_debug (ptk_inject); without an allocator every
// hit takes the classic path. A removed breakpoint's slot stays until release(): a thread may
// still run in it. release() unmaps the pages, after moving every thread out of the slots:
// a thread stopped in one is moved to the same point of the original instruction, and a
// signal delivered to a thread in a slot is delivered there instead (before_signal()), so that
// no signal frame on a stack holds a slot address that the handler's sigreturn would jump to.
//
// Memory reads through the Session's Memory of a process with breakpoints show the original
// bytes (a read filter on Memory), so disassembly, unwinding and `mem` never see a breakpoint.
//
// fork: the child inherits the breakpoint bytes; on_fork() either tracks them in the child
// (followed) or writes the original bytes back into it (not followed: the caller then detaches it).
// execve: on_exec() forgets the process (new address space). Single-threaded, like Session.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "ptk/arch/registers.h"
#include "ptk/base/result.h"
#include "ptk/core/event.h"
#include "ptk/core/session.h"

namespace ptk::debug {

// How a breakpoint's covered instruction is executed at a hit.
enum class StepOverKind : std::uint8_t { Slot, Emulate, Classic };

struct BreakpointHit {
  pid_t tid = 0;
  pid_t pid = 0;
  std::uint64_t address = 0;
  Registers regs;  // the thread's registers, ip moved back onto the breakpoint address
  // The thread met this breakpoint again after a signal handler ran: the signal came when it
  // was about to run the displaced instruction (see before_signal()), so this is not a new
  // hit, and the owner only steps over it.
  bool repeated = false;
};

struct BreakpointStats {
  std::uint64_t slot = 0, emulated = 0, classic = 0;  // step-overs by kind
};

class BreakpointSet {
 public:
  // Maps `size` bytes of read+execute memory in the stopped process of `tid`, if possible
  // within 2 GiB of `near` (RIP-relative operands), and returns its address. Every thread of
  // the process is stopped when it is called.
  using ScratchAllocator =
      std::function<Result<std::uint64_t>(pid_t tid, std::uint64_t near, std::size_t size)>;
  // Unmaps what the allocator mapped, through the stopped thread `tid`.
  using ScratchReleaser = std::function<Status(pid_t tid, std::uint64_t address, std::size_t size)>;

  explicit BreakpointSet(Session& session) : session_(session) {}
  ~BreakpointSet();  // removes the read filters (not the breakpoints: see release())
  BreakpointSet(const BreakpointSet&) = delete;
  BreakpointSet& operator=(const BreakpointSet&) = delete;

  void set_scratch_allocator(ScratchAllocator allocator, ScratchReleaser releaser) {
    allocator_ = std::move(allocator);
    releaser_ = std::move(releaser);
  }

  // Inserts (or counts once more) a breakpoint at `address` in the process of stopped thread
  // `tid`. Fails, leaving nothing inserted, when the address is not in an executable mapping,
  // already holds a breakpoint instruction, or is not a valid instruction.
  Status insert(pid_t tid, std::uint64_t address);
  // Drops one reference; the original byte goes back with the last one.
  Status remove(pid_t pid, std::uint64_t address);
  bool contains(pid_t pid, std::uint64_t address) const;
  std::optional<StepOverKind> step_over_kind(pid_t pid, std::uint64_t address) const;

  // Whether the stop is a hit of one of our breakpoints (its trap, the ip on or just past it);
  // reads the thread's registers.
  Result<std::optional<BreakpointHit>> match(const Event& ev);
  // Moves the hit thread past the breakpoint and resumes it (PTRACE_CONT). Other threads'
  // events seen meanwhile (classic path) are kept: see next_deferred().
  Status step_over(const BreakpointHit& hit);
  // A trap at a breakpoint removed before its stop was reported (another thread hit it as it
  // was removed): moves the thread back and resumes it without a signal. True when handled.
  Result<bool> absorb_stale_trap(const Event& ev);
  // Events of other threads collected by a classic step-over, to handle before Session::wait.
  std::optional<Event> next_deferred();

  // Replaces breakpoint bytes in [addr, addr + bytes.size()) by the original ones.
  void patch_reads(pid_t pid, std::uint64_t addr, std::span<std::byte> bytes) const;

  // At a signal-delivery-stop, before the signal is passed on: a thread in a slot is moved to
  // the same point of the original instruction, so that the handler's frame never returns
  // into a slot. One about to run the displaced instruction goes back onto the breakpoint
  // (its next hit there is `repeated`).
  Status before_signal(const Event& ev);

  // Process lifecycle (see the header comment). A child not followed keeps the scratch pages
  // it inherited until release(child) (before it is detached; not for a vfork child, which
  // shares its parent's memory).
  Status on_fork(pid_t parent, pid_t child, bool follow);
  void on_exec(pid_t pid);
  void on_exit(pid_t pid);
  // Before detaching: removes every breakpoint of the process, moves back any stopped thread
  // whose breakpoint trap was not handled (its events, queued or deferred, are consumed and its
  // SIGTRAP dropped) and any thread in a slot, and unmaps the scratch pages. Threads are left
  // stopped for Session::detach.
  Status release(pid_t pid);

  const BreakpointStats& stats() const { return stats_; }

 private:
  struct Breakpoint {
    std::uint64_t address = 0;
    int refs = 0;
    InsnBytes saved{};  // the original bytes under the breakpoint instruction
    StepOverKind kind = StepOverKind::Classic;
    std::uint64_t slot = 0;  // Slot: where the displaced copy runs
    std::uint8_t length = 0;
    std::uint64_t target = 0;  // Emulate: the branch target
    std::uint8_t op = 0;       // Emulate: what to do (breakpoint_plan.h)
  };
  struct ScratchPage {
    std::uint64_t address = 0, used = 0;
  };
  struct Slot {
    std::uint64_t address = 0;  // the breakpoint whose instruction it runs
    std::uint8_t length = 0;    // of that instruction; the jump back follows it
  };
  struct ProcessBreakpoints {
    std::map<std::uint64_t, Breakpoint> points;
    std::set<std::uint64_t> removed;  // addresses once ours: late traps there are absorbed
    std::vector<ScratchPage> pages;
    std::map<std::uint64_t, Slot> slots;     // by slot address; kept after a removal
    std::map<pid_t, std::uint64_t> repeats;  // thread -> breakpoint it meets again
  };

  Status plan(pid_t tid, ProcessBreakpoints& pb, Breakpoint& bp, Arch arch);
  Result<std::uint64_t> slot_near(pid_t tid, ProcessBreakpoints& pb, std::uint64_t address,
                                  Arch arch);
  Status classic_step(const BreakpointHit& hit, const Breakpoint& bp);
  Status emulate(const BreakpointHit& hit, const Breakpoint& bp);
  Status emulate_a64(const Breakpoint& bp, Registers& regs, Memory& mem);
  Status stop_others(pid_t pid, pid_t except, std::vector<pid_t>& stopped);
  void install_filter(pid_t pid);
  Status rewind_if_ours(pid_t tid, ProcessBreakpoints& pb);
  Status release_stopped(pid_t pid);
  // Where a thread at `ip` in a slot is in the original code: nullopt when not in a slot.
  static std::optional<std::uint64_t> out_of_slot(const ProcessBreakpoints& pb, std::uint64_t ip,
                                                  bool& at_start);
  Status leave_slots(pid_t pid, ProcessBreakpoints& pb);
  Status unmap_pages(pid_t pid, ProcessBreakpoints& pb);

  Session& session_;
  ScratchAllocator allocator_;
  ScratchReleaser releaser_;
  std::map<pid_t, ProcessBreakpoints> procs_;
  std::deque<Event> deferred_;
  BreakpointStats stats_;
};

}  // namespace ptk::debug
