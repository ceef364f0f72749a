#include "ptk/arch/hwdebug_aarch64.h"

#include <fmt/format.h>

#include <bit>

namespace ptk::a64 {
namespace {

constexpr std::uint32_t kEnable = 1;
constexpr std::uint32_t kPrivilegeEl0 = 2u << 1;  // fire in user code (AARCH64_BREAKPOINT_EL0)
constexpr int kTypeShift = 3;
constexpr std::uint32_t kTypeLoad = 1, kTypeStore = 2;
constexpr int kBasShift = 5;
constexpr std::uint32_t kBasMask = 0xff;
constexpr std::uint64_t kDoubleword = 8;
constexpr unsigned kInsnLen = 4;

}  // namespace

DebugInfo decode_dbg_info(std::uint32_t dbg_info) {
  return DebugInfo{.slots = static_cast<int>(dbg_info & 0xff),
                   .debug_arch = static_cast<int>((dbg_info >> 8) & 0xff)};
}

Status check_watch(std::uint64_t address, unsigned len, WatchKind kind) {
  std::string what = fmt::format("watch {} byte(s) at {:#x} ({})", len, address, to_string(kind));
  if (kind == WatchKind::Execute) {
    if (len != 1 && len != kInsnLen) {
      return Error(ErrorKind::Unsupported, std::move(what), 0,
                   "an execute breakpoint covers one 4-byte instruction");
    }
    if (address % kInsnLen != 0) {
      return Error(ErrorKind::InvalidArgument, std::move(what), 0,
                   "A64 instructions are 4-byte aligned");
    }
    return ok_status();
  }
  if (len < 1 || len > kDoubleword) {
    return Error(ErrorKind::Unsupported, std::move(what), 0, "a watchpoint covers 1 to 8 bytes");
  }
  // The byte-select mask is 8 bits over one aligned doubleword; bytes past it would need a
  // second slot.
  if (address % kDoubleword + len > kDoubleword) {
    return Error(ErrorKind::InvalidArgument, std::move(what), 0,
                 "the bytes must lie within one 8-byte-aligned doubleword");
  }
  return ok_status();
}

HwSlot encode(std::uint64_t address, unsigned len, WatchKind kind) {
  if (kind == WatchKind::Execute) {
    // Type 0 (execute); BAS 0xf: the A64 instruction at the word.
    return HwSlot{.addr = address & ~std::uint64_t{kInsnLen - 1},
                  .ctrl = kEnable | kPrivilegeEl0 | (0xfu << kBasShift)};
  }
  const std::uint64_t offset = address % kDoubleword;
  const std::uint32_t bas = ((1u << len) - 1) << offset;
  // aarch64 can watch loads alone; WatchKind has no such kind (x86 cannot), so rw is both.
  const std::uint32_t type = kind == WatchKind::Write ? kTypeStore : (kTypeLoad | kTypeStore);
  return HwSlot{
      .addr = address - offset,
      .ctrl = kEnable | kPrivilegeEl0 | (type << kTypeShift) | ((bas & kBasMask) << kBasShift)};
}

bool enabled(const HwSlot& slot) { return (slot.ctrl & kEnable) != 0; }

std::optional<WatchedRange> watched_range(const HwSlot& slot) {
  const std::uint32_t bas = (slot.ctrl >> kBasShift) & kBasMask;
  if (!enabled(slot) || bas == 0) return std::nullopt;
  const int first = std::countr_zero(bas);
  const std::uint32_t run = bas >> first;
  if ((run & (run + 1)) != 0) return std::nullopt;  // not one contiguous run of ones
  return WatchedRange{slot.addr + static_cast<unsigned>(first),
                      static_cast<unsigned>(std::popcount(run))};
}

std::optional<int> hit_slot(std::span<const HwSlot> slots, std::uint64_t fault_addr) {
  std::optional<int> near;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    std::optional<WatchedRange> r = watched_range(slots[i]);
    if (!r) continue;
    if (fault_addr >= r->start && fault_addr - r->start < r->len) return static_cast<int>(i);
    const std::uint64_t dw = slots[i].addr & ~(kDoubleword - 1);
    if (!near && fault_addr >= dw && fault_addr - dw < kDoubleword) near = static_cast<int>(i);
  }
  return near;
}

}  // namespace ptk::a64
