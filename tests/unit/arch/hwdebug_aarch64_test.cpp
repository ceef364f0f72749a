// The aarch64 hardware debug arithmetic of ptk/arch/hwdebug_aarch64.h against control words
// worked out by hand from the DBGBCR/DBGWCR fields (E bit 0, PMC bits 1-2, LSC bits 3-4, BAS
// bits 5-12).
#include "ptk/arch/hwdebug_aarch64.h"

#include <gtest/gtest.h>

#include <array>

namespace ptk::a64 {
namespace {

TEST(HwDebugAarch64, DbgInfoAndStateSize) {
  // What the VM reports: 6 breakpoint slots, debug architecture 6 (ARMv8.0).
  EXPECT_EQ(decode_dbg_info(0x0606).slots, 6);
  EXPECT_EQ(decode_dbg_info(0x0606).debug_arch, 6);
  EXPECT_EQ(decode_dbg_info(0x0804).slots, 4);
  EXPECT_EQ(decode_dbg_info(0x0804).debug_arch, 8);
  EXPECT_EQ(hwdebug_state_size(0), 8u);
  EXPECT_EQ(hwdebug_state_size(16), 8u + 16 * 16);  // sizeof(struct user_hwdebug_state)
}

TEST(HwDebugAarch64, EncodesWatchpoints) {
  // 4 bytes written at an aligned address: E, EL0 (0b10 << 1), store (0b10 << 3), BAS 0x0f.
  EXPECT_EQ(encode(0x1000, 4, WatchKind::Write), (HwSlot{0x1000, 0x1 | 0x4 | 0x10 | (0x0f << 5)}));
  // 8 bytes read or written: load|store (0b11 << 3), BAS 0xff.
  EXPECT_EQ(encode(0x2008, 8, WatchKind::ReadWrite),
            (HwSlot{0x2008, 0x1 | 0x4 | 0x18 | (0xff << 5)}));
  // 2 bytes at offset 3 of a doubleword: the address is aligned down, BAS 0b00011000.
  EXPECT_EQ(encode(0x3003, 2, WatchKind::Write), (HwSlot{0x3000, 0x1 | 0x4 | 0x10 | (0x18 << 5)}));
  // One byte at the doubleword's last byte.
  EXPECT_EQ(encode(0x4007, 1, WatchKind::Write).ctrl >> 5, 0x80u);
}

TEST(HwDebugAarch64, EncodesBreakpoints) {
  // Execute: type 0, BAS 0xf, E and EL0: 0x1e5.
  EXPECT_EQ(encode(0x400000, 4, WatchKind::Execute), (HwSlot{0x400000, 0x1e5}));
  EXPECT_EQ(encode(0x400004, 1, WatchKind::Execute).ctrl, 0x1e5u);
}

TEST(HwDebugAarch64, ChecksWhatTheHardwareCanWatch) {
  EXPECT_TRUE(check_watch(0x1000, 8, WatchKind::Write).ok());
  EXPECT_TRUE(check_watch(0x1003, 5, WatchKind::ReadWrite).ok());  // bytes 3-7: one doubleword
  EXPECT_TRUE(check_watch(0x1005, 3, WatchKind::Write).ok());      // any length 1-8, not 1/2/4/8
  EXPECT_EQ(check_watch(0x1005, 4, WatchKind::Write).error().kind(), ErrorKind::InvalidArgument);
  EXPECT_EQ(check_watch(0x1000, 9, WatchKind::Write).error().kind(), ErrorKind::Unsupported);
  EXPECT_EQ(check_watch(0x1000, 0, WatchKind::Write).error().kind(), ErrorKind::Unsupported);
  EXPECT_TRUE(check_watch(0x400000, 4, WatchKind::Execute).ok());
  EXPECT_EQ(check_watch(0x400002, 4, WatchKind::Execute).error().kind(),
            ErrorKind::InvalidArgument);
  EXPECT_EQ(check_watch(0x400000, 8, WatchKind::Execute).error().kind(), ErrorKind::Unsupported);
  // The arch-dispatching check answers with these rules for aarch64, not DR7's.
  EXPECT_TRUE(ptk::check_watch(Arch::Aarch64, 0x1005, 3, WatchKind::Write).ok());
  EXPECT_FALSE(ptk::check_watch(Arch::Aarch64, 0x1005, 4, WatchKind::Write).ok());
  EXPECT_FALSE(ptk::check_watch(Arch::X86_64, 0x1005, 3, WatchKind::Write).ok());
}

TEST(HwDebugAarch64, WatchedRangeRoundTrips) {
  for (unsigned len = 1; len <= 8; ++len) {
    for (std::uint64_t off = 0; off + len <= 8; ++off) {
      HwSlot s = encode(0x5000 + off, len, WatchKind::Write);
      EXPECT_TRUE(enabled(s));
      EXPECT_EQ(watched_range(s), (WatchedRange{0x5000 + off, len})) << off << "+" << len;
    }
  }
  EXPECT_EQ(watched_range(HwSlot{0x5000, 0}), std::nullopt);  // disabled
  EXPECT_EQ(watched_range(HwSlot{0x5000, 0x1 | 0x4 | 0x10 | (0x05 << 5)}), std::nullopt);  // gap
}

TEST(HwDebugAarch64, HitSlot) {
  std::array<HwSlot, 4> slots = {HwSlot{}, encode(0x1004, 4, WatchKind::Write),
                                 encode(0x2000, 8, WatchKind::ReadWrite), HwSlot{}};
  EXPECT_EQ(hit_slot(slots, 0x1006), 1);
  EXPECT_EQ(hit_slot(slots, 0x2007), 2);
  // An 8-byte store at 0x1000 touches 0x1004-0x1007; si_addr is where it started.
  EXPECT_EQ(hit_slot(slots, 0x1000), 1);
  EXPECT_EQ(hit_slot(slots, 0x3000), std::nullopt);
  EXPECT_EQ(hit_slot({}, 0x1006), std::nullopt);
}

}  // namespace
}  // namespace ptk::a64
