// The x86 debug registers as data: how a watchpoint is encoded into DR7 and how DR6 says which
// one fired (Intel SDM vol. 3B, 18.2 "Debug registers"). Pure arithmetic, no ptrace.
//
// DR0-DR3 hold four linear addresses. DR7 enables each (local bit L0-L3 at bit 2*i; Linux
// treats the local and global bits alike for a thread) and gives it a condition (R/W, 2 bits at
// 16 + 4*i: 00 execute, 01 write, 11 read or write) and a length (LEN, 2 bits at 18 + 4*i: 00 one
// byte, 01 two, 11 four, 10 eight, the last only in 64-bit mode). DR6 bits B0-B3 name the
// registers whose condition was met.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"

namespace ptk {

inline constexpr int kDebugRegSlots = 4;  // DR0-DR3
inline constexpr int kDr6Index = 6;
inline constexpr int kDr7Index = 7;

enum class WatchKind : std::uint8_t {
  Write,      // w: data writes (trap after the writing instruction)
  ReadWrite,  // rw: data reads or writes (x86 has no read-only condition)
  Execute,    // x: instruction fetch (fault before the instruction; length 1)
};

std::string_view to_string(WatchKind kind);  // "w", "rw", "x"
// Parses "w", "rw" or "x" (also "write", "readwrite", "exec", "execute").
Result<WatchKind> parse_watch_kind(std::string_view text);

// Checks that the hardware can watch `len` bytes at `address` this way in a tracee of `arch`:
// lengths 1, 2, 4 (and 8 in 64-bit mode), the address aligned to the length, length 1 for
// Execute, and an address the ABI can hold. InvalidArgument or Unsupported, one clear line.
Status check_watch(Arch arch, std::uint64_t address, unsigned len, WatchKind kind);

// DR7 with slot `slot` (0-3) enabled for `kind` over `len` bytes, the other slots unchanged.
// Arguments must pass check_watch (and slot be in range): this is arithmetic only.
std::uint64_t dr7_enable(std::uint64_t dr7, int slot, WatchKind kind, unsigned len);
// DR7 with slot `slot` disabled and its condition and length bits cleared.
std::uint64_t dr7_disable(std::uint64_t dr7, int slot);
// Whether slot `slot` is enabled (local or global bit) in DR7.
bool dr7_enabled(std::uint64_t dr7, int slot);

// The lowest slot whose B bit is set in DR6, if any.
std::optional<int> dr6_hit_slot(std::uint64_t dr6);
// DR6 with the B0-B3 bits cleared (to acknowledge a hit; the processor never clears them).
std::uint64_t dr6_clear_hits(std::uint64_t dr6);

}  // namespace ptk
