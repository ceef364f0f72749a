// How the instruction under a breakpoint is executed at a hit (see breakpoints.h): decoded once
// with capstone at insertion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::debug {

// Room for the longest x86 instruction (15 bytes) and the longest jump back (14): one slot.
// aarch64's slot is two words: the instruction and a `b` back.
inline constexpr std::size_t kSlotSize = 32;
// What the scratch allocator maps at a time: one page of slots.
inline constexpr std::uint64_t kScratchPageSize = 4096;

// CallRel, JmpRel, Ret: x86. A64: an aarch64 instruction that reads the pc or writes the link
// register, simulated by ptk/arch/a64_insn.h from its word (the breakpoint's saved bytes).
enum class EmulateOp : std::uint8_t { None, CallRel, JmpRel, Ret, A64 };

struct StepOverPlan {
  StepOverKind kind = StepOverKind::Classic;
  std::uint8_t length = 0;
  EmulateOp op = EmulateOp::None;
  std::uint64_t target = 0;      // CallRel / JmpRel
  std::uint8_t disp_offset = 0;  // a RIP-relative operand's 32-bit displacement, 0: none
};

// Decodes the instruction at `address` (its bytes in `code`, original ones) and chooses.
Result<StepOverPlan> plan_step_over(Arch arch, std::uint64_t address,
                                    std::span<const std::byte> code);

// How far from a breakpoint its slot may be: x86_64's RIP-relative operands reach +-2 GiB,
// aarch64's `b` back +-128 MiB (i386 keeps x86_64's bound, though its jumps wrap around).
std::uint64_t slot_reach(Arch arch);

// The slot's code at `slot`: the instruction, its RIP-relative displacement adjusted, then a
// jump to address + length. nullopt when the adjusted displacement or the jump back does not
// reach.
std::optional<std::vector<std::byte>> slot_code(Arch arch, const StepOverPlan& plan,
                                                std::uint64_t address,
                                                std::span<const std::byte> code,
                                                std::uint64_t slot);

}  // namespace ptk::debug
