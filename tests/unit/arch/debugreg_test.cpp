// The DR7/DR6 arithmetic of ptk/arch/debugreg.h against values worked out by hand from the
// Intel SDM (vol. 3B, figure 18-1), and the checks of what the hardware can watch.
#include <gtest/gtest.h>

#include "ptk/arch/debugreg.h"
#include "ptk/debug/watchpoints.h"

namespace {

using ptk::Arch;
using ptk::WatchKind;

TEST(DebugRegTest, Dr7EncodesEachSlotKindAndLength) {
  // Slot 0, write, 4 bytes: L0 (bit 0), R/W0 = 01 (bits 16-17), LEN0 = 11 (bits 18-19).
  EXPECT_EQ(ptk::dr7_enable(0, 0, WatchKind::Write, 4), 0x000d0001u);
  // Slot 1, read/write, 8 bytes: L1 (bit 2), R/W1 = 11 (20-21), LEN1 = 10 (22-23).
  EXPECT_EQ(ptk::dr7_enable(0, 1, WatchKind::ReadWrite, 8), 0x00b00004u);
  // Slot 2, execute, 1 byte: L2 (bit 4), R/W2 = 00, LEN2 = 00.
  EXPECT_EQ(ptk::dr7_enable(0, 2, WatchKind::Execute, 1), 0x00000010u);
  // Slot 3, write, 2 bytes: L3 (bit 6), R/W3 = 01 (28-29), LEN3 = 01 (30-31).
  EXPECT_EQ(ptk::dr7_enable(0, 3, WatchKind::Write, 2), 0x50000040u);
}

TEST(DebugRegTest, Dr7SlotsAreIndependent) {
  std::uint64_t dr7 = ptk::dr7_enable(0, 0, WatchKind::Write, 4);
  dr7 = ptk::dr7_enable(dr7, 3, WatchKind::Write, 2);
  EXPECT_EQ(dr7, 0x500d0041u);
  EXPECT_TRUE(ptk::dr7_enabled(dr7, 0));
  EXPECT_FALSE(ptk::dr7_enabled(dr7, 1));
  EXPECT_TRUE(ptk::dr7_enabled(dr7, 3));
  // Re-enabling a slot replaces its condition instead of or-ing into it.
  EXPECT_EQ(ptk::dr7_enable(dr7, 0, WatchKind::Execute, 1), 0x50000041u);
  dr7 = ptk::dr7_disable(dr7, 0);
  EXPECT_EQ(dr7, 0x50000040u);
  EXPECT_EQ(ptk::dr7_disable(dr7, 3), 0u);
  // The global enable bit counts as enabled and is cleared too.
  EXPECT_TRUE(ptk::dr7_enabled(0x2, 0));
  EXPECT_EQ(ptk::dr7_disable(0x2 | 0x100, 0), 0x100u) << "other bits (LE) stay";
}

TEST(DebugRegTest, Dr6NamesTheSlot) {
  EXPECT_EQ(ptk::dr6_hit_slot(0xffff0ff0), std::nullopt);
  EXPECT_EQ(ptk::dr6_hit_slot(0xffff0ff4), 2);
  EXPECT_EQ(ptk::dr6_hit_slot(0x4008), 3);
  EXPECT_EQ(ptk::dr6_clear_hits(0xffff0ff5), 0xffff0ff0u);
}

TEST(DebugRegTest, ChecksWhatTheHardwareCanWatch) {
  EXPECT_TRUE(ptk::check_watch(Arch::X86_64, 0x1000, 8, WatchKind::Write).ok());
  EXPECT_TRUE(ptk::check_watch(Arch::I386, 0x1002, 2, WatchKind::ReadWrite).ok());
  EXPECT_TRUE(ptk::check_watch(Arch::I386, 0x1003, 1, WatchKind::Execute).ok());
  auto bad = [](Arch arch, std::uint64_t addr, unsigned len, WatchKind kind) {
    ptk::Status s = ptk::check_watch(arch, addr, len, kind);
    return s.ok() ? std::string("accepted") : s.error().message();
  };
  EXPECT_NE(bad(Arch::X86_64, 0x1000, 3, WatchKind::Write).find("1, 2, 4 or 8"), std::string::npos);
  EXPECT_NE(bad(Arch::X86_64, 0x1000, 16, WatchKind::Write).find("1, 2, 4 or 8"),
            std::string::npos);
  EXPECT_NE(bad(Arch::I386, 0x1000, 8, WatchKind::Write).find("64-bit"), std::string::npos);
  EXPECT_NE(bad(Arch::X86_64, 0x1004, 8, WatchKind::Write).find("multiple of the length 8"),
            std::string::npos);
  EXPECT_NE(bad(Arch::X86_64, 0x1001, 2, WatchKind::Write).find("multiple"), std::string::npos);
  EXPECT_NE(bad(Arch::X86_64, 0x1000, 4, WatchKind::Execute).find("length 1"), std::string::npos);
  EXPECT_NE(bad(Arch::I386, 0xfffffffcULL + 4, 4, WatchKind::Write).find("32-bit"),
            std::string::npos);
}

TEST(DebugRegTest, ParsesKindsAndSuffixes) {
  EXPECT_EQ(ptk::parse_watch_kind("rw").value(), WatchKind::ReadWrite);
  EXPECT_EQ(ptk::parse_watch_kind("x").value(), WatchKind::Execute);
  EXPECT_EQ(ptk::parse_watch_kind("r").error().kind(), ptk::ErrorKind::Unsupported);
  EXPECT_FALSE(ptk::parse_watch_kind("q").ok());

  ptk::debug::WatchSpec spec;
  ASSERT_TRUE(ptk::debug::parse_watch_suffix("4:rw", spec).ok());
  EXPECT_EQ(spec.len, 4u);
  EXPECT_EQ(spec.kind, WatchKind::ReadWrite);
  ptk::debug::WatchSpec x;
  ASSERT_TRUE(ptk::debug::parse_watch_suffix("x", x).ok());
  EXPECT_EQ(x.len, 1u);
  EXPECT_EQ(x.kind, WatchKind::Execute);
  ptk::debug::WatchSpec d;
  ASSERT_TRUE(ptk::debug::parse_watch_suffix("", d).ok());
  EXPECT_EQ(d.kind, WatchKind::Write);
  EXPECT_FALSE(ptk::debug::parse_watch_suffix("4:8", d).ok());
  EXPECT_FALSE(ptk::debug::parse_watch_suffix("4:w:rw", d).ok());
  EXPECT_FALSE(ptk::debug::parse_watch_suffix("4x", d).ok());
  EXPECT_FALSE(ptk::debug::parse_watch_suffix("4::w", d).ok());
}

}  // namespace
