// ioctl decoding on raw arguments pointing into this process: request names (table, composite
// and _IOC() spellings) under each -X style, and a few argument structs per device family.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <regex>
#include <string>

#include "decoded_line.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

constexpr std::int64_t kEbadf = -9;

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// One x86_64 ioctl call decoded and rendered with the given -X style (and -v).
std::string ioctl_line(std::uint32_t code, std::uint64_t arg, std::int64_t ret,
                       ConstNames style = ConstNames::Abbrev, bool verbose = false) {
  DecodeOptions opts;
  opts.verbose = verbose;
  return decoded_line(Arch::X86_64, "ioctl", {static_cast<std::uint64_t>(-1), code, arg}, ret, opts,
                      style);
}

const std::string kBadf = " = -1 EBADF (Bad file descriptor)";

TEST(SysIoctl, UnknownRequestIsSpelledAsIocInEveryStyle) {
  EXPECT_EQ(ioctl_line(0x66ff, 0, kEbadf), "ioctl(-1, _IOC(_IOC_NONE, 0x66, 0xff, 0), 0)" + kBadf);
  EXPECT_EQ(ioctl_line(0x66ff, 0, kEbadf, ConstNames::Raw), "ioctl(-1, 0x66ff, 0)" + kBadf);
  EXPECT_EQ(ioctl_line(0x66ff, 0, kEbadf, ConstNames::Verbose),
            "ioctl(-1, 0x66ff /* _IOC(_IOC_NONE, 0x66, 0xff, 0) */, 0)" + kBadf);
}

TEST(SysIoctl, SharedNumbersListEveryName) {
  EXPECT_EQ(ioctl_line(0x5402, 0, kEbadf), "ioctl(-1, SNDCTL_TMR_START or TCSETS, NULL)" + kBadf);
}

TEST(SysIoctl, ComposedEvdevNamesDropPlaceholdersInVerboseComments) {
  EXPECT_EQ(ioctl_line(0x8018454e, 0, kEbadf),
            "ioctl(-1, EVIOCGABS(0xe /* ABS_??? */), NULL)" + kBadf);
  EXPECT_EQ(ioctl_line(0x8018454e, 0, kEbadf, ConstNames::Verbose),
            "ioctl(-1, 0x8018454e /* EVIOCGABS(0xe) */, NULL)" + kBadf);
  EXPECT_EQ(ioctl_line(0x80014521, 0, kEbadf), "ioctl(-1, EVIOCGBIT(EV_KEY, 1), NULL)" + kBadf);
}

TEST(SysIoctl, EvdevBitsetShowsNamesOrWordsPerStyle) {
  std::uint64_t words[12] = {};
  words[0] = 0x6;                   // KEY_ESC is 1, KEY_1 is 2: bits 1 and 2
  std::uint32_t code = 0x80604521;  // EVIOCGBIT(EV_KEY, 96)
  EXPECT_EQ(ioctl_line(code, addr_of(words), 8),
            "ioctl(-1, EVIOCGBIT(EV_KEY, 96), [KEY_ESC KEY_1]) = 8");
  EXPECT_EQ(ioctl_line(code, addr_of(words), 8, ConstNames::Raw),
            "ioctl(-1, 0x80604521, [0x6]) = 8");
  EXPECT_EQ(ioctl_line(code, addr_of(words), 8, ConstNames::Verbose),
            "ioctl(-1, 0x80604521 /* EVIOCGBIT(EV_KEY, 96) */, [0x1 /* KEY_ESC */ 0x2 /* KEY_1 */]"
            " /* [0x6] */) = 8");
}

TEST(SysIoctl, UnknownFlagsKeepTheirPlaceholderOnlyWithoutRaw) {
  std::uint32_t flags = 0xd000000;
  EXPECT_EQ(ioctl_line(0x40086602, addr_of(&flags), kEbadf),
            "ioctl(-1, FS_IOC_SETFLAGS, [0xd000000 /* FS_???_FL */])" + kBadf);
  EXPECT_EQ(ioctl_line(0x40086602, addr_of(&flags), kEbadf, ConstNames::Raw),
            "ioctl(-1, 0x40086602, [0xd000000])" + kBadf);
  EXPECT_EQ(ioctl_line(0x40086602, addr_of(&flags), kEbadf, ConstNames::Verbose),
            "ioctl(-1, 0x40086602 /* FS_IOC_SETFLAGS */, [0xd000000 /* FS_???_FL */])" + kBadf);
}

TEST(SysIoctl, CounterWatchValuesAreHexUnderRaw) {
  const std::uint8_t watch[6] = {5, 2, 23, 42, 6, 69};
  EXPECT_EQ(ioctl_line(0x40063e00, addr_of(watch), kEbadf),
            "ioctl(-1, COUNTER_ADD_WATCH_IOCTL, {component={type=COUNTER_COMPONENT_EXTENSION, "
            "scope=COUNTER_SCOPE_COUNT, parent=23, id=42}, event=COUNTER_EVENT_CAPTURE, "
            "channel=69})" +
                kBadf);
  EXPECT_EQ(ioctl_line(0x40063e00, addr_of(watch), kEbadf, ConstNames::Raw),
            "ioctl(-1, 0x40063e00, {component={type=0x5, scope=0x2, parent=23, id=42}, "
            "event=0x6, channel=69})" +
                kBadf);
}

TEST(SysIoctl, FiemapShowsTheRequestThenWhatTheKernelMapped) {
  // struct fiemap: start, length, flags, mapped_extents, extent_count, reserved.
  std::uint64_t fm[4] = {0, 4096, 0, 0};
  std::uint32_t head[4] = {1, 0, 8, 0};  // FIEMAP_FLAG_SYNC, mapped 0, count 8
  std::memcpy(reinterpret_cast<unsigned char*>(fm) + 16, head, sizeof head);
  EXPECT_EQ(ioctl_line(0xc020660b, addr_of(fm), 0),
            "ioctl(-1, FS_IOC_FIEMAP, {fm_start=0, fm_length=4096, fm_flags=FIEMAP_FLAG_SYNC, "
            "fm_extent_count=8} => {fm_flags=FIEMAP_FLAG_SYNC, fm_mapped_extents=0, ...}) = 0");
}

TEST(SysIoctl, RtcTimeIsAbbreviatedWithoutVerbose) {
  const std::int32_t tm[9] = {1, 2, 3, 4, 5, 106, 6, 7, 0};
  EXPECT_EQ(ioctl_line(0x4024700a, addr_of(tm), kEbadf),
            "ioctl(-1, RTC_SET_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, "
            "tm_year=106, ...})" +
                kBadf);
  EXPECT_EQ(ioctl_line(0x4024700a, addr_of(tm), kEbadf, ConstNames::Abbrev, true),
            "ioctl(-1, RTC_SET_TIME, {tm_sec=1, tm_min=2, tm_hour=3, tm_mday=4, tm_mon=5, "
            "tm_year=106, tm_wday=6, tm_yday=7, tm_isdst=0})" +
                kBadf);
}

TEST(SysIoctl, GettersShowTheirResultAtExitOnly) {
  std::uint32_t value = 38000;
  // LIRC_GET_REC_RESOLUTION: read at exit; after a failure only the address.
  EXPECT_EQ(ioctl_line(0x80046907, addr_of(&value), 0),
            "ioctl(-1, LIRC_GET_REC_RESOLUTION, [38000]) = 0");
  EXPECT_EQ(ioctl_line(0x80046907, addr_of(&value), kEbadf),
            fmt::format("ioctl(-1, LIRC_GET_REC_RESOLUTION, {:#x})", addr_of(&value)) + kBadf);
}

TEST(SysIoctl, PtpZeroTimesHaveNoDateComment) {
  // struct ptp_sys_offset_precise: device, sys_realtime, sys_monoraw, rsv[4].
  // The epoch itself is no date strace comments (nor is a zone-dependent one testable here).
  std::uint64_t t[10] = {};
  EXPECT_EQ(ioctl_line(0xc0403d08, addr_of(t), 0),
            "ioctl(-1, PTP_SYS_OFFSET_PRECISE, {device={sec=0, nsec=0}, sys_realtime={sec=0, "
            "nsec=0}, sys_monoraw={sec=0, nsec=0}}) = 0");
}

}  // namespace
}  // namespace ptk::sys
