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
