#include "ptk/arch/debugreg.h"

#include <fmt/format.h>

#include "ptk/arch/hwdebug_aarch64.h"

namespace ptk {

namespace {

// DR7 field positions (Intel SDM vol. 3B, figure 18-1).
constexpr int kControlShift = 16;  // R/W0 at 16-17, LEN0 at 18-19, then 4 bits per slot
constexpr std::uint64_t kLocalEnable = 1;

std::uint64_t rw_bits(WatchKind kind) {
  switch (kind) {
    case WatchKind::Execute:
      return 0b00;
    case WatchKind::Write:
      return 0b01;
    case WatchKind::ReadWrite:
      return 0b11;
  }
  return 0b01;
}

// LEN: 00 = 1 byte, 01 = 2, 11 = 4, 10 = 8 (8 is not in numeric order: the encoding was added
// later, for 64-bit mode).
std::uint64_t len_bits(unsigned len) {
  switch (len) {
    case 2:
      return 0b01;
    case 4:
      return 0b11;
    case 8:
      return 0b10;
    default:
      return 0b00;
  }
}

}  // namespace

std::string_view to_string(WatchKind kind) {
  switch (kind) {
    case WatchKind::Write:
      return "w";
    case WatchKind::ReadWrite:
      return "rw";
    case WatchKind::Execute:
      return "x";
  }
  return "?";
}

Result<WatchKind> parse_watch_kind(std::string_view text) {
  if (text == "w" || text == "write") return WatchKind::Write;
  if (text == "rw" || text == "readwrite") return WatchKind::ReadWrite;
  if (text == "x" || text == "exec" || text == "execute") return WatchKind::Execute;
  if (text == "r" || text == "read") {
    return Error(ErrorKind::Unsupported, fmt::format("watch kind '{}'", text), 0,
                 "x86 debug registers cannot watch reads alone: use rw");
  }
  return Error(ErrorKind::InvalidArgument, fmt::format("watch kind '{}'", text), 0,
               "expected w, rw or x");
}

Status check_watch(Arch arch, std::uint64_t address, unsigned len, WatchKind kind) {
  // aarch64's slots have rules of their own (a byte-select mask over a doubleword).
  if (arch == Arch::Aarch64) return a64::check_watch(address, len, kind);
  std::string what = fmt::format("watch {} byte(s) at {:#x} ({})", len, address, to_string(kind));
  if (len != 1 && len != 2 && len != 4 && len != 8) {
    return Error(ErrorKind::Unsupported, std::move(what), 0,
                 "the debug registers watch 1, 2, 4 or 8 bytes");
  }
  if (len == 8 && arch != Arch::X86_64) {
    return Error(ErrorKind::Unsupported, std::move(what), 0,
                 "8-byte watchpoints need a 64-bit tracee; use 1, 2 or 4");
  }
  if (kind == WatchKind::Execute && len != 1) {
    return Error(ErrorKind::Unsupported, std::move(what), 0, "an execute watchpoint has length 1");
  }
  // The processor ignores the low address bits a length covers, so a misaligned watch would
  // silently watch other bytes: refuse it (the kernel does too, with EINVAL).
  if (address % len != 0) {
    return Error(ErrorKind::InvalidArgument, std::move(what), 0,
                 fmt::format("the address must be a multiple of the length {}", len));
  }
  if (arch == Arch::I386 && address + len - 1 > 0xffffffffULL) {
    return Error(ErrorKind::InvalidArgument, std::move(what), 0,
                 "beyond the 32-bit address space of the tracee");
  }
  return ok_status();
}

std::uint64_t dr7_enable(std::uint64_t dr7, int slot, WatchKind kind, unsigned len) {
  dr7 = dr7_disable(dr7, slot);
  auto shift = static_cast<unsigned>(kControlShift + 4 * slot);
  dr7 |= (rw_bits(kind) | (len_bits(len) << 2)) << shift;
  dr7 |= kLocalEnable << (2 * slot);
  return dr7;
}

std::uint64_t dr7_disable(std::uint64_t dr7, int slot) {
  auto shift = static_cast<unsigned>(kControlShift + 4 * slot);
  dr7 &= ~(std::uint64_t{0xf} << shift);
  dr7 &= ~(std::uint64_t{0b11} << (2 * slot));
  return dr7;
}

bool dr7_enabled(std::uint64_t dr7, int slot) { return ((dr7 >> (2 * slot)) & 0b11) != 0; }

std::optional<int> dr6_hit_slot(std::uint64_t dr6) {
  for (int i = 0; i < kDebugRegSlots; ++i) {
    if ((dr6 >> i) & 1) return i;
  }
  return std::nullopt;
}

std::uint64_t dr6_clear_hits(std::uint64_t dr6) { return dr6 & ~std::uint64_t{0xf}; }

}  // namespace ptk
