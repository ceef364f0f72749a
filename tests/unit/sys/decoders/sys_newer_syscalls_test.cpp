// Decoding of the syscalls newer than the installed Linux 6.1 headers (data/syscalls.txt marks
// their numbers '+'), on raw arguments, rendered as strace 7 shows them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <regex>
#include <string>

#include "decoded_line.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

std::string line(Arch arch, std::string_view name, Args args, std::int64_t ret) {
  return decoded_line(arch, name, args, ret);
}

TEST(SysNewerSyscalls, Mseal) {
  EXPECT_EQ(line(Arch::X86_64, "mseal", {0x7f0000000000, 4096, 0}, 0),
            "mseal(0x7f0000000000, 4096, 0) = 0");
  EXPECT_EQ(line(Arch::I386, "mseal", {0x8000000, 8192, 2}, -EINVAL),
            "mseal(0x8000000, 8192, 0x2) = -1 EINVAL (Invalid argument)");
}

TEST(SysNewerSyscalls, Futex2) {
  EXPECT_EQ(line(Arch::X86_64, "futex_wake", {0x1000, 0xffffffff, 1, 0x82}, 0),
            "futex_wake(0x1000, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_SIZE_U32|FUTEX2_PRIVATE) = 0");
  EXPECT_EQ(line(Arch::I386, "futex_wake", {0x1000, 5, 2, 2}, 1),
            "futex_wake(0x1000, 0x5, 2, FUTEX2_SIZE_U32) = 1");
  EXPECT_EQ(line(Arch::X86_64, "futex_wake", {0x1000, 0xffffffff, 1, 0}, 0),
            "futex_wake(0x1000, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_SIZE_U8) = 0");
  EXPECT_EQ(line(Arch::X86_64, "futex_wait", {0x1000, 7, 0xffffffff, 0x83, 0, 1}, -EAGAIN),
            "futex_wait(0x1000, 7, FUTEX_BITSET_MATCH_ANY, FUTEX2_SIZE_U64|FUTEX2_PRIVATE, NULL, "
            "CLOCK_MONOTONIC) = -1 EAGAIN (Resource temporarily unavailable)");
}

TEST(SysNewerSyscalls, Fchmodat2) {
  const char* path = "/x";
  EXPECT_EQ(line(Arch::X86_64, "fchmodat2",
                 {static_cast<std::uint64_t>(AT_FDCWD), reinterpret_cast<std::uintptr_t>(path),
                  0644, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH},
                 0),
            "fchmodat2(AT_FDCWD, \"/x\", 0644, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = 0");
}

TEST(SysNewerSyscalls, MapShadowStackAndOthers) {
  EXPECT_EQ(line(Arch::X86_64, "map_shadow_stack", {0, 4096, 1}, 0x7f0000001000),
            "map_shadow_stack(NULL, 4096, SHADOW_STACK_SET_TOKEN) = 0x7f0000001000");
  EXPECT_EQ(line(Arch::X86_64, "lsm_get_self_attr", {100, 0, 0, 1}, -EINVAL),
            "lsm_get_self_attr(LSM_ATTR_CURRENT, NULL, NULL, LSM_FLAG_SINGLE) = -1 EINVAL "
            "(Invalid argument)");
  EXPECT_EQ(line(Arch::I386, "rseq_slice_yield", {}, 0), "rseq_slice_yield() = 0");
  EXPECT_EQ(line(Arch::X86_64, "uretprobe", {}, 0), "uretprobe() = 0");
}

}  // namespace
}  // namespace ptk::sys
