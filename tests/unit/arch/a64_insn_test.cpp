// The A64 simulation of ptk/arch/a64_insn.h against words from the GNU assembler
// (aarch64-linux-gnu-as, disassembled with objdump) and llvm-mc for adrp: the expected
// results are the targets those tools printed.
#include "ptk/arch/a64_insn.h"

#include <gtest/gtest.h>

namespace ptk::a64 {
namespace {

Registers regs_with(std::initializer_list<std::pair<const char*, std::uint64_t>> values) {
  Registers regs(Arch::Aarch64, Registers::HostBlock{});
  for (const auto& [name, value] : values) EXPECT_TRUE(regs.set_by_name(name, value)) << name;
  return regs;
}

constexpr std::uint64_t kPc = 0x400000;

TEST(A64Insn, ClassifiesWhatMayRunInASlot) {
  EXPECT_EQ(classify(0xa9bf7bfd), PcUse::None);         // stp x29, x30, [sp, #-16]!
  EXPECT_EQ(classify(0xd4000001), PcUse::None);         // svc #0
  EXPECT_EQ(classify(0xd65f03c0), PcUse::None);         // ret
  EXPECT_EQ(classify(0xd61f0200), PcUse::None);         // br x16
  EXPECT_EQ(classify(0x14000040), PcUse::Simulated);    // b
  EXPECT_EQ(classify(0x97fffffe), PcUse::Simulated);    // bl
  EXPECT_EQ(classify(0xd63f01a0), PcUse::Simulated);    // blr x13
  EXPECT_EQ(classify(0x90000008), PcUse::Simulated);    // adrp
  EXPECT_EQ(classify(0x5c00048c), PcUse::Unsimulated);  // ldr d12, literal
  EXPECT_EQ(classify(0xd73f09cf), PcUse::Unsimulated);  // blraa x14, x15
  EXPECT_EQ(simulate(0xa9bf7bfd, kPc, regs_with({})), std::nullopt);
}

TEST(A64Insn, BranchesWithImmediates) {
  Registers regs = regs_with({});
  auto b = simulate(0x14000040, kPc, regs);  // b . + 0x100
  ASSERT_TRUE(b);
  EXPECT_EQ(b->next_pc, kPc + 0x100);
  EXPECT_FALSE(b->write_reg);
  auto bl = simulate(0x97fffffe, kPc, regs);  // bl . - 8
  ASSERT_TRUE(bl);
  EXPECT_EQ(bl->next_pc, kPc - 8);
  EXPECT_EQ(bl->write_reg, 30);
  EXPECT_EQ(bl->write_value, kPc + 4);
}

TEST(A64Insn, ConditionalBranchesFollowTheFlags) {
  constexpr std::uint64_t kZ = 1ULL << 30, kN = 1ULL << 31, kV = 1ULL << 28;
  // b.eq . + 0x40 and b.ne . - 4
  EXPECT_EQ(simulate(0x54000200, kPc, regs_with({{"pstate", kZ}}))->next_pc, kPc + 0x40);
  EXPECT_EQ(simulate(0x54000200, kPc, regs_with({{"pstate", 0}}))->next_pc, kPc + 4);
  EXPECT_EQ(simulate(0x54ffffe1, kPc, regs_with({{"pstate", 0}}))->next_pc, kPc - 4);
  EXPECT_TRUE(condition_holds(0xa, kN | kV));     // ge: N == V
  EXPECT_FALSE(condition_holds(0xb, kN | kV));    // lt
  EXPECT_FALSE(condition_holds(0xc, kZ));         // gt needs Z clear
  EXPECT_TRUE(condition_holds(0x8, 1ULL << 29));  // hi: C set, Z clear
  EXPECT_TRUE(condition_holds(0xe, 0));           // al
  EXPECT_TRUE(condition_holds(0xf, 0));           // nv also branches in A64
}

TEST(A64Insn, CompareAndTestBranches) {
  // cbz x3, . + 0x20: only when all 64 bits are zero.
  EXPECT_EQ(simulate(0xb4000103, kPc, regs_with({{"x3", 0}}))->next_pc, kPc + 0x20);
  EXPECT_EQ(simulate(0xb4000103, kPc, regs_with({{"x3", 1ULL << 40}}))->next_pc, kPc + 4);
  // cbnz w4, . + 0x10: a W register, so bits above 31 do not count.
  EXPECT_EQ(simulate(0x35000084, kPc, regs_with({{"x4", 1ULL << 40}}))->next_pc, kPc + 4);
  EXPECT_EQ(simulate(0x35000084, kPc, regs_with({{"x4", 2}}))->next_pc, kPc + 0x10);
  // tbz x5, #33, . + 8 and tbnz w6, #2, . - 0x10
  EXPECT_EQ(simulate(0xb6080045, kPc, regs_with({{"x5", 1ULL << 33}}))->next_pc, kPc + 4);
  EXPECT_EQ(simulate(0xb6080045, kPc, regs_with({{"x5", 1ULL << 32}}))->next_pc, kPc + 8);
  EXPECT_EQ(simulate(0x3717ff86, kPc, regs_with({{"x6", 4}}))->next_pc, kPc - 0x10);
  EXPECT_EQ(simulate(0x3717ff86, kPc, regs_with({{"x6", 3}}))->next_pc, kPc + 4);
}

TEST(A64Insn, AddressesRelativeToThePc) {
  Registers regs = regs_with({});
  auto adr = simulate(0x30000087, kPc + 0x20, regs);  // adr x7, . + 0x11
  ASSERT_TRUE(adr);
  EXPECT_EQ(adr->write_reg, 7);
  EXPECT_EQ(adr->write_value, kPc + 0x31);
  EXPECT_EQ(adr->next_pc, kPc + 0x24);
  EXPECT_EQ(simulate(0x30ffffe0, kPc, regs)->write_value, kPc - 3);  // adr x0, . - 3
  // adrp x8, #0x5000 and adrp x1, #-0x3000: from the pc's page.
  EXPECT_EQ(simulate(0xb0000028, kPc + 0x123, regs)->write_value, kPc + 0x5000);
  auto back = simulate(0xb0ffffe1, kPc + 0xff8, regs);
  EXPECT_EQ(back->write_reg, 1);
  EXPECT_EQ(back->write_value, kPc - 0x3000);
}

TEST(A64Insn, LiteralLoadsAreLeftToTheCaller) {
  Registers regs = regs_with({});
  auto x = simulate(0x58000409, kPc, regs);  // ldr x9, . + 0x80
  ASSERT_TRUE(x && x->load);
  EXPECT_EQ(x->load->address, kPc + 0x80);
  EXPECT_EQ(x->load->reg, 9);
  EXPECT_EQ(x->load->width, 8);
  EXPECT_FALSE(x->load->sign);
  auto w = simulate(0x1800042a, kPc, regs);  // ldr w10, . + 0x84
  EXPECT_EQ(w->load->width, 4);
  EXPECT_FALSE(w->load->sign);
  auto sw = simulate(0x9800044b, kPc, regs);  // ldrsw x11, . + 0x88
  EXPECT_EQ(sw->load->address, kPc + 0x88);
  EXPECT_TRUE(sw->load->sign);
  auto prfm = simulate(0xd8000460, kPc, regs);  // prfm: nothing but the next pc
  ASSERT_TRUE(prfm);
  EXPECT_FALSE(prfm->load);
  EXPECT_FALSE(prfm->write_reg);
  EXPECT_EQ(prfm->next_pc, kPc + 4);
}

TEST(A64Insn, BranchWithLinkToARegister) {
  auto blr = simulate(0xd63f01a0, kPc, regs_with({{"x13", 0x7000}}));  // blr x13
  ASSERT_TRUE(blr);
  EXPECT_EQ(blr->next_pc, 0x7000u);
  EXPECT_EQ(blr->write_reg, 30);
  EXPECT_EQ(blr->write_value, kPc + 4);
  // blr x30 jumps to the old link register.
  EXPECT_EQ(simulate(0xd63f03c0, kPc, regs_with({{"x30", 0x9000}}))->next_pc, 0x9000u);
}

TEST(A64Insn, EncodesTheJumpBack) {
  EXPECT_EQ(encode_branch(kPc, kPc + 0x100), 0x14000040u);
  EXPECT_EQ(encode_branch(kPc + 4, kPc - 4), 0x17fffffeu);
  EXPECT_EQ(encode_branch(kPc, kPc + kBranchReach - 4), 0x15ffffffu);
  EXPECT_EQ(encode_branch(kPc, kPc + kBranchReach), std::nullopt);
  EXPECT_EQ(encode_branch(kPc + kBranchReach, kPc), 0x16000000u);
  EXPECT_EQ(encode_branch(kPc, kPc + 2), std::nullopt);
}

}  // namespace
}  // namespace ptk::a64
