// The aarch64 hardware breakpoints and watchpoints as data: what ptrace's NT_ARM_HW_BREAK and
// NT_ARM_HW_WATCH regsets carry (struct user_hwdebug_state) and how one slot's control word is
// built (the DBGBCR/DBGWCR fields the kernel takes from user space, arch/arm64's
// hw_breakpoint.h). Pure arithmetic, no ptrace; debugreg.h is the x86 counterpart.
//
// user_hwdebug_state: a 32-bit dbg_info (bits 0-7: the number of slots of that kind, bits
// 8-15: the debug architecture version), 4 bytes of padding, then up to 16 slots of
// {u64 addr; u32 ctrl; u32 pad}. A SETREGSET may carry fewer slots than the hardware has.
//
// ctrl: bit 0 enable; bits 1-2 the privilege it fires at (2: EL0, user code); bits 3-4 the
// access type of a watchpoint (1 load, 2 store, 3 either; 0 for a breakpoint); bits 5-12 the
// byte address select (BAS): bit i watches byte addr + i. A watchpoint's addr is 8-byte aligned
// and its BAS names contiguous bytes within that doubleword; a breakpoint's addr is 4-byte
// aligned with BAS 0xf (one A64 instruction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "ptk/arch/debugreg.h"
#include "ptk/base/result.h"

namespace ptk::a64 {

inline constexpr int kMaxHwSlots = 16;  // dbg_regs[] of user_hwdebug_state
inline constexpr std::size_t kHwDebugHeaderSize = 8;
inline constexpr std::size_t kHwDebugSlotSize = 16;

// Bytes of a user_hwdebug_state carrying `slots` slots (the iovec length for GETREGSET/SETREGSET).
constexpr std::size_t hwdebug_state_size(int slots) {
  return kHwDebugHeaderSize + kHwDebugSlotSize * static_cast<std::size_t>(slots);
}

struct DebugInfo {
  int slots = 0;       // breakpoint or watchpoint slots of this CPU (0-16)
  int debug_arch = 0;  // ID_AA64DFR0_EL1.DebugVer: 6 for ARMv8.0
};
DebugInfo decode_dbg_info(std::uint32_t dbg_info);

// One slot as the regset holds it.
struct HwSlot {
  std::uint64_t addr = 0;
  std::uint32_t ctrl = 0;  // 0: disabled
  constexpr bool operator==(const HwSlot&) const = default;
};

// Whether the hardware can watch `len` bytes at `address` this way: Write or ReadWrite over 1-8
// bytes that lie within one aligned doubleword, or Execute of one 4-byte-aligned instruction
// (len 4; 1 is taken as "the instruction at"). InvalidArgument or Unsupported, one line.
Status check_watch(std::uint64_t address, unsigned len, WatchKind kind);

// The slot for a checked watch (NT_ARM_HW_WATCH for Write/ReadWrite, NT_ARM_HW_BREAK for
// Execute), firing in user code only.
HwSlot encode(std::uint64_t address, unsigned len, WatchKind kind);

bool enabled(const HwSlot& slot);
// The bytes an enabled slot watches: the first one and how many (BAS bits from the lowest set
// one); nullopt when disabled or its BAS is not contiguous.
struct WatchedRange {
  std::uint64_t start = 0;
  unsigned len = 0;
  constexpr bool operator==(const WatchedRange&) const = default;
};
std::optional<WatchedRange> watched_range(const HwSlot& slot);

// Which slot a SIGTRAP with si_code TRAP_HWBKPT reported: its si_addr is the address the
// access used (or the pc of a breakpoint), which for a wide or unaligned access may lie before
// the watched bytes (fault_addr). The enabled slot whose watched range contains it, else the one
// whose doubleword does; nullopt when none.
std::optional<int> hit_slot(std::span<const HwSlot> slots, std::uint64_t fault_addr);

}  // namespace ptk::a64
