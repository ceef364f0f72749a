#include "ptk/arch/kernel_entry.h"

#include <gtest/gtest.h>

#include <vector>

namespace ptk {
namespace {

bool enters(Arch arch, std::vector<std::uint8_t> code) { return enters_kernel(arch, code); }

TEST(KernelEntry, TheThreeWaysIn) {
  for (Arch arch : {Arch::X86_64, Arch::I386}) {
    EXPECT_TRUE(enters(arch, {0x0f, 0x05}));        // syscall
    EXPECT_TRUE(enters(arch, {0x0f, 0x34, 0x90}));  // sysenter
    EXPECT_TRUE(enters(arch, {0xcd, 0x80}));        // int $0x80
  }
}

TEST(KernelEntry, OtherInstructionsDoNot) {
  EXPECT_FALSE(enters(Arch::X86_64, {0xcd, 0x03}));        // int $3
  EXPECT_FALSE(enters(Arch::X86_64, {0xcc}));              // int3
  EXPECT_FALSE(enters(Arch::X86_64, {0x0f, 0x07}));        // sysret
  EXPECT_FALSE(enters(Arch::X86_64, {0x0f, 0x1f, 0x00}));  // nop
  EXPECT_FALSE(enters(Arch::X86_64, {0x48, 0x89, 0xc7}));  // mov %rax,%rdi
  EXPECT_FALSE(enters(Arch::X86_64, {0x05, 0x0f, 0x05}));  // add $0x..., not a syscall at +1
}

TEST(KernelEntry, PrefixesAreSkipped) {
  EXPECT_TRUE(enters(Arch::X86_64, {0x66, 0x0f, 0x05}));
  EXPECT_TRUE(enters(Arch::X86_64, {0x48, 0x0f, 0x05}));  // REX.W
  EXPECT_TRUE(enters(Arch::I386, {0x3e, 0xcd, 0x80}));
  // In 32-bit code 0x48 is `dec %eax`, an instruction of its own.
  EXPECT_FALSE(enters(Arch::I386, {0x48, 0x0f, 0x05}));
}

TEST(KernelEntry, ShortOrOverlongCode) {
  EXPECT_FALSE(enters(Arch::X86_64, {}));
  EXPECT_FALSE(enters(Arch::X86_64, {0x0f}));  // cut off by the end of the mapping
  std::vector<std::uint8_t> overlong(14, 0x66);
  overlong.insert(overlong.end(), {0x0f, 0x05});  // 16 bytes: the CPU refuses it
  EXPECT_FALSE(enters_kernel(Arch::X86_64, overlong));
  std::vector<std::uint8_t> longest(13, 0x66);
  longest.insert(longest.end(), {0x0f, 0x05});  // 15 bytes: still an instruction
  EXPECT_TRUE(enters_kernel(Arch::X86_64, longest));
}

}  // namespace
}  // namespace ptk
