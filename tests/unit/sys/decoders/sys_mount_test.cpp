// Decoding of mount(2), umount2(2) and the new mount API on raw arguments, as strace 6.1
// prints them, including -Xraw/-Xverbose of unknown flags.
#include <fmt/format.h>
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
std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

// The same call rendered with -X STYLE.
std::string styled(std::string_view name, Args args, std::int64_t ret, ConstNames style) {
  return decoded_line(Arch::X86_64, name, args, ret, {}, style);
}

TEST(SysMount, MountFlagsAndMagic) {
  static const char src[] = "src", dst[] = "dst", type[] = "ext4", data[] = "ro";
  EXPECT_EQ(decoded_line(Arch::X86_64, "mount",
                         {addr(src), addr(dst), addr(type), 0xc0ed000f, addr(data)}, -ENOENT),
            "mount(\"src\", \"dst\", \"ext4\", MS_MGC_VAL|MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC, "
            "\"ro\") = -1 ENOENT (No such file or directory)");
  // A bind mount ignores the type and the data: addresses.
  EXPECT_EQ(decoded_line(Arch::X86_64, "mount", {addr(src), addr(dst), 0, 0x1000, 0}, 0),
            "mount(\"src\", \"dst\", NULL, MS_BIND, NULL) = 0");
  EXPECT_EQ(styled("mount", {0, 0, 0, 0x200, 0}, -EFAULT, ConstNames::Verbose),
            "mount(NULL, NULL, NULL, 0x200 /* MS_??? */, NULL) = -1 EFAULT (Bad address)");
  EXPECT_EQ(styled("mount", {0, 0, 0, 0x200, 0}, -EFAULT, ConstNames::Raw),
            "mount(NULL, NULL, NULL, 0x200, NULL) = -1 EFAULT (Bad address)");
  EXPECT_EQ(styled("mount", {0, 0, 0, 0, 0}, -EFAULT, ConstNames::Verbose),
            "mount(NULL, NULL, NULL, 0, NULL) = -1 EFAULT (Bad address)");
}

TEST(SysMount, NewApiFlagsAreUnsignedInts) {
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsopen", {0, 0xdeadbeef00000003}, -EINVAL),
            "fsopen(NULL, FSOPEN_CLOEXEC|0x2) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsmount", {static_cast<std::uint64_t>(-100), 0, 1}, -EBADF),
            "fsmount(-100, 0, MOUNT_ATTR_RDONLY) = -1 EBADF (Bad file descriptor)");
  EXPECT_EQ(decoded_line(Arch::X86_64, "umount2", {0, 0x1f}, -EINVAL),
            "umount2(NULL, MNT_FORCE|MNT_DETACH|MNT_EXPIRE|UMOUNT_NOFOLLOW|0x10) = -1 EINVAL "
            "(Invalid argument)");
}

TEST(SysMount, FsconfigByCommand) {
  static const char key[] = "source", value[] = "/dev/sda1";
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsconfig", {3, 1, addr(key), addr(value), 0}, 0),
            "fsconfig(3, FSCONFIG_SET_STRING, \"source\", \"/dev/sda1\", 0) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsconfig", {3, 2, addr(key), addr(value), 2}, 0),
            "fsconfig(3, FSCONFIG_SET_BINARY, \"source\", \"\\x2f\\x64\", 2) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "fsconfig", {3, 6, addr(key), 0, 0xffffffff}, 0),
            "fsconfig(3, FSCONFIG_CMD_CREATE, " + hex(addr(key)) + ", NULL, -1) = 0");
}

TEST(SysMount, MountAttrTail) {
  // struct mount_attr of 40 bytes: the 8 past the known 32 are shown when nonzero.
  static const std::uint64_t attr[5] = {1, 0, 0x40000, 0, 0x8786858483828180};
  static const char path[] = "/mnt";
  EXPECT_EQ(
      decoded_line(Arch::X86_64, "mount_setattr",
                   {static_cast<std::uint64_t>(-1), addr(path), 0, addr(attr), 40}, -E2BIG),
      "mount_setattr(-1, \"/mnt\", 0, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0, "
      "propagation=MS_PRIVATE, userns_fd=0, /* bytes 32..39 */ "
      "\"\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\"}, 40) = -1 E2BIG (Argument list too long)");
}

}  // namespace
}  // namespace ptk::sys
