// A64 instructions that cannot run away from their address, and what they do there.
//
// A breakpoint's step-over runs the displaced instruction in a slot elsewhere (debug layer).
// That is only right for an instruction that neither reads the pc nor leaves it in a register:
// the branches with an immediate offset (b, bl, b.cond, cbz, tbz...), adr and adrp, the literal
// loads, and blr (it sets x30 to the address after itself). Those are simulated here instead,
// as arithmetic over the thread's registers (ARM DDI 0487, C4.1 "A64 instruction set
// encoding": the encodings below are that manual's).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "ptk/arch/registers.h"

namespace ptk::a64 {

enum class PcUse : std::uint8_t {
  None,         // runs anywhere: a slot may hold it
  Simulated,    // reads the pc or writes the link register: simulate() computes its effect
  Unsimulated,  // reads the pc in a way simulate() does not handle (SIMD&FP literal loads,
                // pointer-authenticating blraa & co.): it must run in place
};

PcUse classify(std::uint32_t word);

// The instruction word in `code`'s first 4 bytes (A64 code is little-endian whatever the data
// endianness). `code` holds at least 4 bytes.
std::uint32_t word_of(std::span<const std::byte> code);

// Writes register x`n` as an instruction result does: n = 31 is the zero register there, and the
// write is dropped.
void set_x(Registers& regs, std::uint8_t n, std::uint64_t value);

// A load the caller completes: reg = the `width` bytes at `address`, sign-extended to 64 bits
// when `sign`, zero-extended otherwise (writing a W register clears the upper half).
struct Load {
  std::uint64_t address = 0;
  std::uint8_t reg = 0;
  std::uint8_t width = 0;
  bool sign = false;
};

// The effect of one simulated instruction: the next pc, and at most one register written
// (register 31 is xzr here: its writes are dropped) or one load.
struct Effect {
  std::uint64_t next_pc = 0;
  std::optional<std::uint8_t> write_reg;
  std::uint64_t write_value = 0;
  std::optional<Load> load;
};

// What `word`, at `pc`, does to a thread whose registers are `regs`. nullopt when
// classify(word) is not PcUse::Simulated.
std::optional<Effect> simulate(std::uint32_t word, std::uint64_t pc, const Registers& regs);

// Whether condition `cond` (the low 4 bits of b.cond) holds for pstate's NZCV flags.
bool condition_holds(std::uint8_t cond, std::uint64_t pstate);

// `b` from `from` to `to`, when within its +-128 MiB reach (both 4-byte aligned).
std::optional<std::uint32_t> encode_branch(std::uint64_t from, std::uint64_t to);

// The reach of a slot's jump back: a slot page must be this close to its breakpoints.
inline constexpr std::uint64_t kBranchReach = 1ULL << 27;

}  // namespace ptk::a64
