// Whether an instruction enters the kernel: on x86 `syscall` (0f 05), `sysenter` (0f 34) or
// `int $0x80` (cd 80), after any prefixes; on aarch64 `svc #imm` (one 4-byte word). Pure byte
// arithmetic, no ptrace.
//
// The single-stepper asks it before each step: a thread about to make a syscall must find its
// own state (its CPU affinity, see debug/cpu_pin.h) as it was, whatever ptk changed meanwhile.
// Either ABI may run any of the three (a 64-bit program can still use int $0x80), so all count
// in both; only REX prefixes (0x40-0x4f) depend on the ABI: in 32-bit code those bytes are
// inc/dec instructions.
#pragma once

#include <cstdint>
#include <span>

#include "ptk/arch/arch.h"

namespace ptk {

// The longest x86 instruction (aarch64's are 4 bytes); read this many bytes (or up to the end
// of the readable memory) before asking.
inline constexpr std::size_t kMaxInstructionBytes = 15;

// `code` holds the bytes at the instruction pointer (possibly fewer than a whole instruction,
// when the mapping ends: then false unless they already say "syscall").
bool enters_kernel(Arch arch, std::span<const std::uint8_t> code);

}  // namespace ptk
