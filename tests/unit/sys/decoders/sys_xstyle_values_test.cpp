// Values strace spells as a whole per -X style, not as one named number: personality's domain
// and flags, utimensat's UTIME_NOW/UTIME_OMIT markers, file modes and device numbers.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string line(std::string_view name, Args args, std::int64_t ret, ConstNames style) {
  return decoded_line(Arch::X86_64, name, args, ret, {}, style);
}

TEST(SysXstyleValues, PersonalityDomainAndFlagsApart) {
  Args a{0x7010006};  // PER_BSD, SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS and an unknown bit
  EXPECT_EQ(line("personality", a, 0, ConstNames::Abbrev),
            "personality(PER_BSD|SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|0x10000) = 0 "
            "(PER_LINUX)");
  EXPECT_EQ(line("personality", a, 0, ConstNames::Raw), "personality(0x6|0x7010000) = 0 (0)");
  EXPECT_EQ(line("personality", a, 0x10000, ConstNames::Verbose),
            "personality(0x6 /* PER_BSD */|0x7010000 /* "
            "SHORT_INODE|WHOLE_SECONDS|STICKY_TIMEOUTS|0x10000 */) = 0x10000 (0 /* PER_LINUX "
            "*/|0x10000)");
  EXPECT_EQ(line("personality", {0x1f}, 0, ConstNames::Abbrev),
            "personality(0x1f /* PER_??? */) = 0 (PER_LINUX)");
}

TEST(SysXstyleValues, UtimeMarkers) {
  static const std::int64_t ts[4] = {1, (1 << 30) - 1, 2, (1 << 30) - 2};
  Args a{static_cast<std::uint64_t>(-100), 0, addr(ts), 0};
  EXPECT_EQ(line("utimensat", a, -EINVAL, ConstNames::Abbrev),
            "utimensat(AT_FDCWD, NULL, [UTIME_NOW, UTIME_OMIT], 0) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("utimensat", a, -EINVAL, ConstNames::Raw),
            "utimensat(-100, NULL, [{tv_sec=1, tv_nsec=1073741823}, {tv_sec=2, "
            "tv_nsec=1073741822}], 0) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("utimensat", a, -EINVAL, ConstNames::Verbose),
            "utimensat(-100 /* AT_FDCWD */, NULL, [{tv_sec=1, tv_nsec=1073741823} /* UTIME_NOW */, "
            "{tv_sec=2, tv_nsec=1073741822} /* UTIME_OMIT */], 0) = -1 EINVAL (Invalid argument)");
}

TEST(SysXstyleValues, DatesStayWithRaw) {
  static const std::int64_t ts[4] = {86400, 5, 0, 0};
  Args a{static_cast<std::uint64_t>(-100), 0, addr(ts), 0};
  std::string raw = line("utimensat", a, 0, ConstNames::Raw);
  EXPECT_NE(raw.find("{tv_sec=86400, tv_nsec=5} /* 1970-01-0"), std::string::npos) << raw;
}

TEST(SysXstyleValues, ModeAndDevice) {
  static const char path[] = "node";
  Args a{addr(path), 020600, 0x103};
  EXPECT_EQ(line("mknod", a, 0, ConstNames::Abbrev),
            "mknod(\"node\", S_IFCHR|0600, makedev(0x1, 0x3)) = 0");
  EXPECT_EQ(line("mknod", a, 0, ConstNames::Raw), "mknod(\"node\", 020600, 0x103) = 0");
  EXPECT_EQ(line("mknod", a, 0, ConstNames::Verbose),
            "mknod(\"node\", 020600 /* S_IFCHR|0600 */, 0x103 /* makedev(0x1, 0x3) */) = 0");
  EXPECT_EQ(line("mknod", {addr(path), 04000}, 0, ConstNames::Abbrev),
            "mknod(\"node\", S_ISUID|000) = 0");
}

}  // namespace
}  // namespace ptk::sys
