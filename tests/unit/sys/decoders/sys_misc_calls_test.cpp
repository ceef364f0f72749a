// Extended attribute values and lists, futex_waitv's waiters, pkey_alloc's rights and
// modify_ldt's int-sized errors, as strace prints them (its xattr, futex_waitv, pkey_alloc and
// modify_ldt tests).
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(Xattr, ValueLosesItsTrailingNulAndABigOneIsAnAddress) {
  static const char value[] = "foo\0bar";  // 8 bytes with the final NUL
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsetxattr", {3, addr("user.a"), addr(value), 8, 2, 0}, 0),
            "fsetxattr(3, \"user.a\", \"foo\\0bar\", 8, XATTR_REPLACE) = 0");
  std::vector<char> big(65537, 'x');
  EXPECT_EQ(decoded_line(Arch::X86_64, "setxattr",
                         {addr("/"), addr("user.a"), addr(big.data()), big.size(), 1, 0}, -7),
            fmt::format("setxattr(\"/\", \"user.a\", {:#x}, 65537, XATTR_CREATE) = -1 E2BIG "
                        "(Argument list too long)",
                        addr(big.data())));
}

TEST(Xattr, GetAndListShowWhatCameBack) {
  static char buf[16] = "abc";
  EXPECT_EQ(decoded_line(Arch::X86_64, "getxattr", {addr("/"), addr("user.a"), addr(buf), 16}, 3),
            "getxattr(\"/\", \"user.a\", \"abc\", 16) = 3");
  EXPECT_EQ(decoded_line(Arch::X86_64, "listxattr", {addr("/"), addr(buf), 0}, 0),
            fmt::format("listxattr(\"/\", {:#x}, 0) = 0", addr(buf)));
}

TEST(FutexWaitv, Waiters) {
  struct Waiter {
    std::uint64_t val, uaddr;
    std::uint32_t flags, reserved;
  };
  std::array<Waiter, 2> w{{{1, 0x1000, 0x82, 0}, {0, 0, 0x2, 5}}};
  EXPECT_EQ(decoded_line(Arch::X86_64, "futex_waitv", {addr(w.data()), 2, 0, 0, 1, 0}, -11),
            "futex_waitv([{val=0x1, uaddr=0x1000, flags=FUTEX_32|FUTEX_PRIVATE_FLAG}, {val=0, "
            "uaddr=NULL, flags=FUTEX_32, __reserved=0x5}], 2, 0, NULL, CLOCK_MONOTONIC) = -1 "
            "EAGAIN (Resource temporarily unavailable)");
}

TEST(PkeyAlloc, RightsAreNamedInAllSixtyFourBits) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "pkey_alloc", {0, 0xbadc0ded00000002ull}, -22),
            "pkey_alloc(0, PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "pkey_alloc", {0xffff, 0xbadc0de8}, -22),
            "pkey_alloc(0xffff, 0xbadc0de8 /* PKEY_??? */) = -1 EINVAL (Invalid argument)");
}

TEST(ModifyLdt, AnErrorInTheLowIntIsNamed) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "modify_ldt", {1, 0x1000, 42}, 0xffffffdaLL),
            "modify_ldt(1, 0x1000, 42) = 4294967258 ENOSYS (Function not implemented)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "modify_ldt", {0, 0x1000, 42}, 7),
            "modify_ldt(0, 0x1000, 42) = 7");
}

}  // namespace
}  // namespace ptk::sys
