#include "ptk/arch/kernel_entry.h"

#include <algorithm>
#include <array>

namespace ptk {
namespace {

// Segment overrides (es cs ss ds fs gs), operand and address size, lock, repne, rep.
constexpr std::array<std::uint8_t, 11> kLegacyPrefixes = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
                                                          0x66, 0x67, 0xf0, 0xf2, 0xf3};

bool is_legacy_prefix(std::uint8_t b) {
  return std::find(kLegacyPrefixes.begin(), kLegacyPrefixes.end(), b) != kLegacyPrefixes.end();
}

// aarch64's `svc #imm16` (ARM ARM C6.2.365: 1101 0100 000 imm16 000 01); Linux ignores the
// immediate, so any of them is a syscall. Instructions are 4-byte little-endian words.
bool aarch64_enters_kernel(std::span<const std::uint8_t> code) {
  if (code.size() < 4) return false;
  const std::uint32_t word = std::uint32_t{code[0]} | std::uint32_t{code[1]} << 8 |
                             std::uint32_t{code[2]} << 16 | std::uint32_t{code[3]} << 24;
  return (word & 0xffe0001f) == 0xd4000001;
}

}  // namespace

bool enters_kernel(Arch arch, std::span<const std::uint8_t> code) {
  if (arch == Arch::Aarch64) return aarch64_enters_kernel(code);
  std::size_t i = 0;
  // The CPU rejects an instruction longer than 15 bytes, prefixes included (#UD).
  while (i < code.size() && i < kMaxInstructionBytes &&
         (is_legacy_prefix(code[i]) || (arch == Arch::X86_64 && (code[i] & 0xf0) == 0x40))) {
    ++i;
  }
  if (i + 2 > code.size() || i + 2 > kMaxInstructionBytes) return false;
  const std::uint8_t op = code[i], next = code[i + 1];
  return (op == 0x0f && (next == 0x05 || next == 0x34)) || (op == 0xcd && next == 0x80);
}

}  // namespace ptk
