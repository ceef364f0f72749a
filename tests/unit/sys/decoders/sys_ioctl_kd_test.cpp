// The console's 'K' ioctls on raw arguments pointing into this process, rendered as the live
// printer renders a call: the entry's part, then the exit's apart from it.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "ioctl_line.h"

namespace ptk::sys {
namespace {

constexpr std::int64_t kEbadf = -9;
const std::string kBadf = " = -1 EBADF (Bad file descriptor)";

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
std::string fmt_ptr(const void* p) { return fmt::format("{:#x}", addr_of(p)); }

std::string kd_line(std::uint32_t code, std::uint64_t arg, std::int64_t ret,
                    ConstNames style = ConstNames::Abbrev, std::size_t string_limit = 32) {
  return ioctl_live_line(code, arg, ret, style, string_limit);
}

TEST(SysIoctlKd, SoundAndToneShowTheFrequencyUnlessRaw) {
  EXPECT_EQ(kd_line(0x4b2f, 440, kEbadf), "ioctl(-1, KIOCSOUND, 440 /* 2711 Hz */)" + kBadf);
  EXPECT_EQ(kd_line(0x4b2f, 0, kEbadf), "ioctl(-1, KIOCSOUND, 0 /* off */)" + kBadf);
  EXPECT_EQ(kd_line(0x4b2f, 1, kEbadf, ConstNames::Raw), "ioctl(-1, 0x4b2f, 1)" + kBadf);
  EXPECT_EQ(kd_line(0x4b30, 0x1ffff, kEbadf),
            "ioctl(-1, KDMKTONE, 1<<16|65535 /* 18 Hz, 1 ms */)" + kBadf);
  EXPECT_EQ(kd_line(0x4b30, 0x10000, kEbadf), "ioctl(-1, KDMKTONE, 1<<16|0 /* off */)" + kBadf);
}

TEST(SysIoctlKd, LedsAreFlagsByValueOrInBracketsAtExit) {
  EXPECT_EQ(kd_line(0x4b32, 0xfe, kEbadf), "ioctl(-1, KDSETLED, LED_NUM|LED_CAP|0xf8)" + kBadf);
  EXPECT_EQ(
      kd_line(0x4b65, 0x70, kEbadf, ConstNames::Verbose),
      "ioctl(-1, 0x4b65 /* KDSKBLED */, 0x70 /* LED_SCR<<4|LED_NUM<<4|LED_CAP<<4 */)" + kBadf);
  unsigned char leds = 0x7;
  EXPECT_EQ(kd_line(0x4b31, addr_of(&leds), 0),
            "ioctl(-1, KDGETLED, [LED_SCR|LED_NUM|LED_CAP]) = 0");
  EXPECT_EQ(kd_line(0x4b31, addr_of(&leds), kEbadf),
            "ioctl(-1, KDGETLED, " + fmt_ptr(&leds) + ")" + kBadf);
}

TEST(SysIoctlKd, KeyboardModesAreSignedAndMetaIsAnInt) {
  EXPECT_EQ(kd_line(0x4b45, 0xfeeddead, kEbadf),
            "ioctl(-1, KDSKBMODE, -17965395 /* K_??? */)" + kBadf);
  EXPECT_EQ(kd_line(0x4b45, 1, kEbadf, ConstNames::Verbose),
            "ioctl(-1, 0x4b45 /* KDSKBMODE */, 1 /* K_XLATE */)" + kBadf);
  EXPECT_EQ(kd_line(0x4b63, 0xdeadfacebeeffeedULL, kEbadf),
            "ioctl(-1, KDSKBMETA, 0xbeeffeed /* K_??? */)" + kBadf);
}

TEST(SysIoctlKd, RequestsWithoutArgumentShowNone) {
  EXPECT_EQ(kd_line(0x4b36, 0xbadc0ded, kEbadf), "ioctl(-1, KDENABIO)" + kBadf);
}

TEST(SysIoctlKd, KeymapEntryNamesTheKeyOrSpellsIt) {
  struct {
    unsigned char table, index;
    std::uint16_t value;
  } e = {0x4, 7, 0x841};
  EXPECT_EQ(kd_line(0x4b47, addr_of(&e), kEbadf),
            "ioctl(-1, KDSKBENT, {kb_table=1<<KG_CTRL, kb_index=7, kb_value=0x841 /* K(KT_META, "
            "'A') */})" +
                kBadf);
  e = {1, 2, 0x11d};
  EXPECT_EQ(kd_line(0x4b46, addr_of(&e), 0),
            "ioctl(-1, KDGKBENT, {kb_table=K_SHIFTTAB, kb_index=2, kb_value=0x11d /* K_PAUSE */}) "
            "= 0");
  EXPECT_EQ(kd_line(0x4b46, addr_of(&e), 0, ConstNames::Raw),
            "ioctl(-1, 0x4b46, {kb_table=0x1, kb_index=2, kb_value=0x11d}) = 0");
  EXPECT_EQ(kd_line(0x4b46, addr_of(&e), kEbadf),
            "ioctl(-1, KDGKBENT, {kb_table=K_SHIFTTAB, kb_index=2})" + kBadf);
  e.value = 0xf00d;
  EXPECT_EQ(kd_line(0x4b47, addr_of(&e), kEbadf),
            "ioctl(-1, KDSKBENT, {kb_table=K_SHIFTTAB, kb_index=2, kb_value=0xf00d /* K(0xf0, "
            "0xd) */})" +
                kBadf);
}

TEST(SysIoctlKd, FunctionKeyStringStopsAtNulOrLimit) {
  struct {
    unsigned char func;
    char str[512];
  } s = {};
  s.func = 0x19;
  std::strcpy(s.str, "abc");
  EXPECT_EQ(kd_line(0x4b49, addr_of(&s), kEbadf),
            "ioctl(-1, KDSKBSENT, {kb_func=KVAL(K_PGDN), kb_string=\"abc\"})" + kBadf);
  std::memset(s.str, 'x', 40);
  EXPECT_EQ(kd_line(0x4b48, addr_of(&s), 0, ConstNames::Abbrev, 4),
            "ioctl(-1, KDGKBSENT, {kb_func=KVAL(K_PGDN), kb_string=\"xxxx\"...}) = 0");
}

TEST(SysIoctlKd, DiacriticsPastTheTableAreMarked) {
  struct {
    std::uint32_t count;
    unsigned char d[256][3];
  } t = {};
  t.count = 2;
  t.d[0][0] = '\n';
  t.d[0][1] = '\'';
  t.d[0][2] = 0xff;
  t.d[1][0] = 'a';
  EXPECT_EQ(kd_line(0x4b4b, addr_of(&t), kEbadf),
            "ioctl(-1, KDSKBDIACR, {kb_cnt=2, kbdiacr=[{diacr='\\n', base='\\'', result='\\xff'}, "
            "{diacr='a', base='\\x00', result='\\x00'}]})" +
                kBadf);
  t.count = 257;
  std::string line = kd_line(0x4b4b, addr_of(&t), kEbadf, ConstNames::Abbrev, 1024);
  EXPECT_NE(line.find("{diacr='\\x00', base='\\x00', result='\\x00'}, ...]}"), std::string::npos)
      << line;
}

TEST(SysIoctlKd, KeycodeGetShowsTheStoredCodeAfterArrow) {
  std::uint32_t kc[2] = {0x10, 0x20};
  EXPECT_EQ(kd_line(0x4b4c, addr_of(kc), 0),
            "ioctl(-1, KDGETKEYCODE, {scancode=0x10, keycode=0x20 => 0x20}) = 0");
  EXPECT_EQ(kd_line(0x4b4c, addr_of(kc), kEbadf),
            "ioctl(-1, KDGETKEYCODE, {scancode=0x10, keycode=0x20})" + kBadf);
}

TEST(SysIoctlKd, UnicodeScreenMapNamesDirectEntriesPerStyle) {
  std::uint16_t map[256] = {};
  map[0] = 0xf0ab;
  map[1] = 0x41;
  EXPECT_EQ(kd_line(0x4b6a, addr_of(map), kEbadf, ConstNames::Abbrev, 2),
            "ioctl(-1, PIO_UNISCRNMAP, [UNI_DIRECT_BASE+0xab, 0x41, ...])" + kBadf);
  EXPECT_EQ(
      kd_line(0x4b6a, addr_of(map), kEbadf, ConstNames::Verbose, 1),
      "ioctl(-1, 0x4b6a /* PIO_UNISCRNMAP */, [0xf0ab /* UNI_DIRECT_BASE+0xab */, ...])" + kBadf);
  EXPECT_EQ(kd_line(0x4b6a, addr_of(map), kEbadf, ConstNames::Raw, 1),
            "ioctl(-1, 0x4b6a, [0xf0ab, ...])" + kBadf);
}

TEST(SysIoctlKd, FontOpShowsTheMembersOfItsOperation) {
  struct {
    std::uint32_t op, flags, width, height, charcount;
    const char* data;
  } f = {2, 0, 8, 16, 0, "lat9w-16"};
  EXPECT_EQ(kd_line(0x4b72, addr_of(&f), 0),
            "ioctl(-1, KDFONTOP, {op=KD_FONT_OP_SET_DEFAULT, width=8, height=16, "
            "data=\"lat9w-16\"} => {width=8, height=16}) = 0");
  f = {3, 0, 8, 16, 0, nullptr};
  EXPECT_EQ(kd_line(0x4b72, addr_of(&f), kEbadf),
            "ioctl(-1, KDFONTOP, {op=KD_FONT_OP_COPY, height=16})" + kBadf);
  const char glyph[4] = {'\x01', '\x02', '\x03', '\x04'};
  f = {0, 1, 8, 16, 1, glyph};
  EXPECT_EQ(kd_line(0x4b72, addr_of(&f), kEbadf, ConstNames::Abbrev, 4),
            "ioctl(-1, KDFONTOP, {op=KD_FONT_OP_SET, flags=KD_FONT_FLAG_DONT_RECALC, width=8, "
            "height=16, charcount=1, data=\"\\x01\\x02\\x03\\x04\"...})" +
                kBadf);
}

}  // namespace
}  // namespace ptk::sys
