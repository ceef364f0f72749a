// Decoding of the smaller families of misc_decoders.h (memfd, fanotify, quotactl, NUMA
// policies, landlock, keys) on raw arguments, as strace 6.1 prints them, -X styles included.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <regex>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string styled(std::string_view name, Args args, std::int64_t ret, ConstNames style) {
  return decoded_line(Arch::X86_64, name, args, ret, {}, style);
}

TEST(SysMisc, MemfdHugeShiftInEveryStyle) {
  static const char name[] = "buf";
  Args a{addr(name), (30u << 26) | 1};
  EXPECT_EQ(styled("memfd_create", a, 3, ConstNames::Abbrev),
            "memfd_create(\"buf\", MFD_CLOEXEC|30<<MFD_HUGE_SHIFT) = 3");
  EXPECT_EQ(styled("memfd_create", a, 3, ConstNames::Raw), "memfd_create(\"buf\", 0x78000001) = 3");
  EXPECT_EQ(styled("memfd_create", a, 3, ConstNames::Verbose),
            "memfd_create(\"buf\", 0x78000001 /* MFD_CLOEXEC|30<<MFD_HUGE_SHIFT */) = 3");
}

TEST(SysMisc, QuotactlCommandInEveryStyle) {
  Args a{0x80000100, 0, 0, 0};  // QCMD(Q_SYNC, USRQUOTA)
  EXPECT_EQ(styled("quotactl", a, 0, ConstNames::Abbrev),
            "quotactl(QCMD(Q_SYNC, USRQUOTA), NULL) = 0");
  EXPECT_EQ(styled("quotactl", a, 0, ConstNames::Raw), "quotactl(2147483904, NULL) = 0");
  EXPECT_EQ(styled("quotactl", a, 0, ConstNames::Verbose),
            "quotactl(2147483904 /* QCMD(Q_SYNC, USRQUOTA) */, NULL) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "quotactl", {0xbadc0ded, 0, 1, 0}, -EINVAL),
            "quotactl(QCMD(0xbadc0d /* Q_??? */, 0xed /* ???QUOTA */), NULL, 1, NULL) = -1 EINVAL "
            "(Invalid argument)");
}

TEST(SysMisc, UnknownNotesDropUnderRaw) {
  Args a{0xc, 0};
  EXPECT_EQ(styled("fanotify_init", a, -EINVAL, ConstNames::Abbrev),
            "fanotify_init(0xc /* FAN_CLASS_??? */, O_RDONLY) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(styled("fsopen", {0, 2}, -EINVAL, ConstNames::Raw),
            "fsopen(NULL, 0x2) = -1 EINVAL (Invalid argument)");
}

TEST(SysMisc, MempolicyModeWithFlags) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "set_mempolicy", {0x8002, 0, 0}, 0),
            "set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES, NULL, 0) = 0");
  EXPECT_EQ(styled("set_mempolicy", {0x8002, 0, 0}, 0, ConstNames::Verbose),
            "set_mempolicy(0x8002 /* MPOL_BIND|MPOL_F_STATIC_NODES */, NULL, 0) = 0");
  const std::uint64_t mask[2] = {0, 0x5};
  EXPECT_EQ(decoded_line(Arch::X86_64, "set_mempolicy", {2, addr(mask), 66}, 0),
            "set_mempolicy(MPOL_BIND, [0000000000000000, 0x0000000000000005], 66) = 0");
}

TEST(SysMisc, MovePagesStatusOfNoPagesIsEmptyEvenAfterAFailure) {
  // MPOL_MF_MOVE_ALL (4) without the capability: EPERM, yet zero pages still show as [].
  EXPECT_EQ(decoded_line(Arch::X86_64, "move_pages", {0, 0, 0, 0, 0x7f00, 4}, -EPERM),
            "move_pages(0, 0, NULL, NULL, [], MPOL_MF_MOVE_ALL) = -1 EPERM (Operation not "
            "permitted)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "move_pages", {0, 1, 0, 0, 0x7f00, 4}, -EPERM),
            "move_pages(0, 1, NULL, NULL, 0x7f00, MPOL_MF_MOVE_ALL) = -1 EPERM (Operation not "
            "permitted)");
}

TEST(SysMisc, PidfdGetfdFlagsAreAPlainNumber) {
  // Without -y the target descriptor is a number; the flags, none defined, print in hex.
  EXPECT_EQ(decoded_line(Arch::X86_64, "pidfd_getfd", {0, 0, 0xbadc0ded}, -EINVAL),
            "pidfd_getfd(0, 0, 0xbadc0ded) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(styled("pidfd_getfd", {3, 5, 0}, 6, ConstNames::Verbose), "pidfd_getfd(3, 5, 0) = 6");
}

TEST(SysMisc, PkeyAllocFlagsInHexAndAccessRightsByName) {
  EXPECT_EQ(
      decoded_line(Arch::X86_64, "pkey_alloc", {0xbadc0ded00000000, 0xbadc0ded00000002}, -EINVAL),
      "pkey_alloc(0xbadc0ded00000000, PKEY_DISABLE_WRITE|0xbadc0ded00000000) = -1 EINVAL "
      "(Invalid argument)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "pkey_alloc", {0, 0xbadc0de8}, -EINVAL),
            "pkey_alloc(0, 0xbadc0de8 /* PKEY_??? */) = -1 EINVAL (Invalid argument)");
}

TEST(SysMisc, KeySerialsAndLandlock) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "request_key", {0, 0, 0, 0xfffffffd}, -EFAULT),
            "request_key(NULL, NULL, NULL, KEY_SPEC_SESSION_KEYRING) = -1 EFAULT (Bad address)");
  const std::uint64_t attr = 1;
  EXPECT_EQ(decoded_line(Arch::X86_64, "landlock_create_ruleset", {addr(&attr), 8, 0}, 3),
            "landlock_create_ruleset({handled_access_fs=LANDLOCK_ACCESS_FS_EXECUTE}, 8, 0) = 3");
  EXPECT_EQ(decoded_line(Arch::X86_64, "landlock_create_ruleset", {0, 0, 1}, 3),
            "landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) = 3");
}

}  // namespace
}  // namespace ptk::sys
