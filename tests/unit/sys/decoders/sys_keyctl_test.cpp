// keyctl(2) decoded from raw arguments as strace 6.1 prints it, -X styles included.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string keyctl(Args args, std::int64_t ret, ConstNames style = ConstNames::Abbrev) {
  return decoded_line(Arch::X86_64, "keyctl", args, ret, {}, style);
}

constexpr std::uint64_t kThread = static_cast<std::uint64_t>(-1);

TEST(SysKeyctl, CommandsAndSerialsInEveryStyle) {
  EXPECT_EQ(keyctl({0, kThread, 1}, 5),
            "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1) = 5");
  EXPECT_EQ(keyctl({0, kThread, 1}, 5, ConstNames::Raw), "keyctl(0, -1, 1) = 5");
  EXPECT_EQ(keyctl({4, static_cast<std::uint64_t>(-8), 0xffffffff, 7}, 0, ConstNames::Verbose),
            "keyctl(0x4 /* KEYCTL_CHOWN */, -8 /* KEY_SPEC_REQUESTOR_KEYRING */, -1, 7) = 0");
  EXPECT_EQ(keyctl({0xfacefeed, 1, 2, 3, 4}, -EOPNOTSUPP),
            "keyctl(0xfacefeed /* KEYCTL_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EOPNOTSUPP (Operation "
            "not supported)");
  EXPECT_EQ(keyctl({18}, 0), "keyctl(KEYCTL_SESSION_TO_PARENT) = 0");
}

TEST(SysKeyctl, PermissionsRequestKeyringAndReject) {
  EXPECT_EQ(keyctl({5, 12, 0x3f010000}, 0),
            "keyctl(KEYCTL_SETPERM, 12, KEY_POS_VIEW|KEY_POS_READ|KEY_POS_WRITE|KEY_POS_SEARCH|"
            "KEY_POS_LINK|KEY_POS_SETATTR|KEY_USR_VIEW) = 0");
  EXPECT_EQ(keyctl({14, 0xbadc0ded}, -EINVAL),
            "keyctl(KEYCTL_SET_REQKEY_KEYRING, -1159983635 /* KEY_REQKEY_DEFL_??? */) = -1 EINVAL "
            "(Invalid argument)");
  EXPECT_EQ(keyctl({19, 3, 10, ENODEV, 3}, -EPERM, ConstNames::Verbose),
            "keyctl(0x13 /* KEYCTL_REJECT */, 3, 10, 19 /* ENODEV */, 3) = -1 EPERM (Operation not "
            "permitted)");
}

TEST(SysKeyctl, DescriptionDropsItsTrailingNul) {
  static const char desc[] = "keyring;0;0;3f";
  EXPECT_EQ(keyctl({6, kThread, addr(desc), 256}, sizeof desc),
            "keyctl(KEYCTL_DESCRIBE, KEY_SPEC_THREAD_KEYRING, \"keyring;0;0;3f\", 256) = 15");
  EXPECT_EQ(keyctl({11, kThread, addr(desc), 4}, sizeof desc),
            "keyctl(KEYCTL_READ, KEY_SPEC_THREAD_KEYRING, \"keyr\", 4) = 15");
}

TEST(SysKeyctl, DiffieHellmanParams) {
  static const std::int32_t params[3] = {-6, 1234567890, 5};
  static const unsigned char out[4] = {1, 2, 3, 4};
  EXPECT_EQ(keyctl({23, addr(params), addr(out), 4, 0}, 4),
            "keyctl(KEYCTL_DH_COMPUTE, {private=KEY_SPEC_GROUP_KEYRING, prime=1234567890, "
            "base=5}, \"\\1\\2\\3\\4\", 4, NULL) = 4");
}

}  // namespace
}  // namespace ptk::sys
