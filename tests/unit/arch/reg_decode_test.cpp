// Register decoding for display: EFLAGS bits and IOPL, segment selectors as Linux uses them,
// the fs/gs bases of both ABIs, and the register listing of each ABI.
#include "ptk/arch/reg_decode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "x86_user_regs.h"

namespace ptk {
namespace {

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) out += std::string(n) + " ";
  return out;
}

TEST(RegDecode, EflagsNamesTheSetBits) {
  // 0x246: PF (bit 2), ZF (6), IF (9), plus the always-one bit 1, which has no name.
  EXPECT_EQ(joined(eflags_flag_names(0x246)), "PF ZF IF ");
  EXPECT_EQ(joined(eflags_flag_names(0x2)), "");
  EXPECT_EQ(joined(eflags_flag_names(0x1 | 0x80 | 0x400 | 0x800)), "CF SF DF OF ");
  EXPECT_EQ(joined(eflags_flag_names(1u << 21 | 1u << 18 | 1u << 16 | 1u << 8)), "TF RF AC ID ");
  // The same bits as the string form gdb prints.
  EXPECT_EQ(eflags_names(0x246), "[ PF ZF IF ]");
}

TEST(RegDecode, EflagsIopl) {
  EXPECT_EQ(eflags_iopl(0x246), 0);
  EXPECT_EQ(eflags_iopl(0x3246), 3);
  EXPECT_EQ(eflags_iopl(0x1000), 1);
}

TEST(RegDecode, SelectorFieldsAndRoles) {
  SegmentSelector s = decode_selector(0x63);
  EXPECT_EQ(s.index, 12);
  EXPECT_FALSE(s.ldt);
  EXPECT_EQ(s.rpl, 3);
  EXPECT_TRUE(decode_selector(0x7).ldt);
  EXPECT_EQ(selector_role(0x33), "user code (64-bit)");
  EXPECT_EQ(selector_role(0x23), "user code (32-bit)");
  EXPECT_EQ(selector_role(0x2b), "user data");
  EXPECT_EQ(selector_role(0x0), "null");
  EXPECT_EQ(selector_role(0x63), "TLS");
  EXPECT_EQ(selector_role(0x73), "TLS");
  EXPECT_EQ(selector_role(0x7b), "cpu/node");
  EXPECT_EQ(selector_role(0x7), "LDT");
  EXPECT_EQ(selector_role(0x10), "");  // kernel data: never seen in user space
  EXPECT_EQ(selector_role(0x10000), "");
}

Registers regs_with(Arch arch, std::uint64_t cs, std::uint64_t fs_base, std::uint64_t gs_base) {
  X86UserRegs u{};
  u.cs = cs;
  u.fs_base = fs_base;
  u.gs_base = gs_base;
  u.r12 = 0x1122334455667788;
  u.rsi = 0xaabbccdd11223344;
  Registers::HostBlock b{};
  std::memcpy(b.data(), &u, sizeof u);
  return Registers(arch, b);
}

const RegisterValue* find(const std::vector<RegisterValue>& list, std::string_view name) {
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& r) { return r.name == name; });
  return it == list.end() ? nullptr : &*it;
}

TEST(RegDecode, ListingX86_64) {
  Registers r = regs_with(Arch::X86_64, 0x33, 0x7f0000001000, 0x5);
  SegmentBases b = segment_bases(r);
  EXPECT_EQ(b.fs_base, 0x7f0000001000u);
  EXPECT_EQ(b.gs_base, 0x5u);
  std::vector<RegisterValue> list = register_listing(r);
  ASSERT_NE(find(list, "r12"), nullptr);
  EXPECT_EQ(find(list, "r12")->value, 0x1122334455667788u);
  EXPECT_EQ(find(list, "r12")->width, 8);
  EXPECT_EQ(find(list, "fs_base")->value, 0x7f0000001000u);
  EXPECT_EQ(list.front().name, "rax");
  // fs_base and gs_base once each: the x86_64 table names them already.
  EXPECT_EQ(std::count_if(list.begin(), list.end(), [](auto& v) { return v.name == "gs_base"; }),
            1);
}

TEST(RegDecode, ListingI386HasTheBasesToo) {
  Registers r = regs_with(Arch::I386, 0x23, 0, 0xf7d8e740);
  std::vector<RegisterValue> list = register_listing(r);
  EXPECT_EQ(list.front().name, "eax");
  EXPECT_EQ(find(list, "r12"), nullptr);
  ASSERT_NE(find(list, "esi"), nullptr);
  EXPECT_EQ(find(list, "esi")->value, 0x11223344u);  // the low half only
  EXPECT_EQ(find(list, "esi")->width, 4);
  ASSERT_NE(find(list, "gs_base"), nullptr);
  EXPECT_EQ(find(list, "gs_base")->value, 0xf7d8e740u);
  EXPECT_EQ(find(list, "gs_base")->group, RegGroup::Base);
  EXPECT_EQ(segment_bases(r).gs_base, 0xf7d8e740u);
}

}  // namespace
}  // namespace ptk
