// prctl as strace 6.1 prints it in each -X style (values from its test suite).
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "decoded_line.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

std::string prctl_line(Args args, std::int64_t ret, ConstNames style = ConstNames::Abbrev) {
  return decoded_line(Arch::X86_64, "prctl", args, ret, {}, style);
}

constexpr std::int64_t kEinval = -22;

TEST(Prctl, ReturnedFlagsOnlyWhenANameMatches) {
  EXPECT_EQ(prctl_line({46}, 0x20), "prctl(PR_GET_FP_MODE) = 0x20");
  EXPECT_EQ(prctl_line({46}, 0x21), "prctl(PR_GET_FP_MODE) = 0x21 (PR_FP_MODE_FR|0x20)");
  EXPECT_EQ(prctl_line({27}, 0x100), "prctl(PR_GET_SECUREBITS) = 0x100");
  EXPECT_EQ(prctl_line({61, 0, 0, 0, 0}, 1),
            "prctl(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0) = 0x1 "
            "(PR_PAC_APIAKEY)");
  EXPECT_EQ(prctl_line({61, 0, 0, 0, 0}, 1, ConstNames::Raw), "prctl(0x3d, 0, 0, 0, 0) = 0x1");
}

TEST(Prctl, ZeroFlagsAndZeroNames) {
  EXPECT_EQ(prctl_line({28, 0}, 0, ConstNames::Verbose),
            "prctl(0x1c /* PR_SET_SECUREBITS */, 0) = 0");
  EXPECT_EQ(prctl_line({28, 0xbadc0ded00000000}, 0, ConstNames::Verbose),
            "prctl(0x1c /* PR_SET_SECUREBITS */, 0xbadc0ded00000000 /* SECBIT_??? */) = 0");
  EXPECT_EQ(prctl_line({28, 0xbadc0ded00000000}, 0, ConstNames::Raw),
            "prctl(0x1c, 0xbadc0ded00000000) = 0");
  EXPECT_EQ(prctl_line({52, 0}, 0),
            "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = 0 (PR_SPEC_NOT_AFFECTED)");
}

TEST(Prctl, VectorLengths) {
  EXPECT_EQ(prctl_line({63, 0x2ea57}, kEinval),
            "prctl(PR_SME_SET_VL, PR_SME_VL_INHERIT|0xea57) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(prctl_line({50, 0xbad00000}, kEinval),
            "prctl(PR_SVE_SET_VL, 0xbad00000|0) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(prctl_line({50, 0x10000}, kEinval, ConstNames::Verbose),
            "prctl(0x32 /* PR_SVE_SET_VL */, 0x10000 /* 0x10000|0 */) = -1 EINVAL (Invalid "
            "argument)");
  EXPECT_EQ(prctl_line({50, 0x2ea57}, kEinval, ConstNames::Raw),
            "prctl(0x32, 0x2ea57) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(prctl_line({51}, 0x2000a), "prctl(PR_SVE_GET_VL) = 0x2000a (PR_SVE_VL_INHERIT|0xa)");
}

TEST(Prctl, TaggedAddr) {
  EXPECT_EQ(prctl_line({55, 5, 1, 2, 3}, 0, ConstNames::Verbose),
            "prctl(0x37 /* PR_SET_TAGGED_ADDR_CTRL */, 0x5 /* "
            "PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_ASYNC */, 0x1, 0x2, 0x3) = 0");
  EXPECT_EQ(prctl_line({56, 0, 0, 0, 0}, 0),
            "prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) = 0 "
            "(!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)");
}

TEST(Prctl, SchedCoreIgnoresUpperHalves) {
  constexpr std::uint64_t kFill = 0xffffffff00000000ull;
  EXPECT_EQ(prctl_line({62, kFill | 0, kFill | 42, kFill | 1, 0}, kEinval, ConstNames::Raw),
            "prctl(0x3e, 0, 42, 0x1, NULL) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(prctl_line({62, kFill | 4, 42, 7, 0}, kEinval),
            "prctl(PR_SCHED_CORE, 0x4 /* PR_SCHED_CORE_??? */, 42, 0x7 /* PIDTYPE_??? */, NULL) "
            "= -1 EINVAL (Invalid argument)");
}

}  // namespace
}  // namespace ptk::sys
