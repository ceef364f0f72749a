// Registers: the ABI views over the host transport block (struct user_regs_struct), i386
// widening rules, the i386 user_regs view, names, and the ABI of a block from its cs.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>

#include "ptk/arch/registers.h"
#include "x86_user_regs.h"

namespace ptk {
namespace {

static_assert(sizeof(X86UserRegs) == kX86RegsBlockSize);

// A host block with a distinct value in every slot: slot i holds 0xa0a0a0a0'00000000 + i*0x11
// so that upper and lower halves can be told apart.
X86UserRegs distinct_regs() {
  X86UserRegs u{};
  auto* words = reinterpret_cast<unsigned long long*>(&u);
  for (std::size_t i = 0; i < sizeof u / 8; ++i) words[i] = 0xa0a0a0a000000000ull + i * 0x11;
  return u;
}

Registers::HostBlock block_of(const X86UserRegs& u) {
  Registers::HostBlock b{};
  std::memcpy(b.data(), &u, sizeof u);
  return b;
}

X86UserRegs regs_of(const Registers& r) {
  X86UserRegs u{};
  std::memcpy(&u, r.host_block().data(), sizeof u);
  return u;
}

constexpr std::uint64_t low(unsigned long long v) { return v & 0xffffffffu; }

TEST(Registers, X86_64AccessorsReadTheirSlots) {
  X86UserRegs u = distinct_regs();
  Registers r(Arch::X86_64, block_of(u));
  EXPECT_EQ(r.arch(), Arch::X86_64);
  EXPECT_EQ(r.syscall_no(), u.rax);
  EXPECT_EQ(r.orig_syscall_no(), u.orig_rax);
  EXPECT_EQ(r.arg(0), u.rdi);
  EXPECT_EQ(r.arg(1), u.rsi);
  EXPECT_EQ(r.arg(2), u.rdx);
  EXPECT_EQ(r.arg(3), u.r10);  // not rcx: `syscall` clobbers rcx
  EXPECT_EQ(r.arg(4), u.r8);
  EXPECT_EQ(r.arg(5), u.r9);
  EXPECT_EQ(r.retval(), static_cast<std::int64_t>(u.rax));
  EXPECT_EQ(r.ip(), u.rip);
  EXPECT_EQ(r.sp(), u.rsp);
  EXPECT_EQ(r.flags(), u.eflags);
  EXPECT_EQ(r.get(RegRole::Fp), u.rbp);
}

TEST(Registers, I386AccessorsReadTheLowHalves) {
  X86UserRegs u = distinct_regs();
  Registers r(Arch::I386, block_of(u));
  EXPECT_EQ(r.syscall_no(), low(u.rax));
  EXPECT_EQ(r.orig_syscall_no(), low(u.orig_rax));
  EXPECT_EQ(r.arg(0), low(u.rbx));
  EXPECT_EQ(r.arg(1), low(u.rcx));
  EXPECT_EQ(r.arg(2), low(u.rdx));
  EXPECT_EQ(r.arg(3), low(u.rsi));
  EXPECT_EQ(r.arg(4), low(u.rdi));
  EXPECT_EQ(r.arg(5), low(u.rbp));
  EXPECT_EQ(r.ip(), low(u.rip));
  EXPECT_EQ(r.sp(), low(u.rsp));
  EXPECT_EQ(r.flags(), low(u.eflags));
}

TEST(Registers, I386RetvalIsSignExtendedFromEax) {
  X86UserRegs u{};
  u.rax = 0xfffffffe;  // -ENOENT as a 32-bit value, upper half clear
  EXPECT_EQ(Registers(Arch::I386, block_of(u)).retval(), -2);
  u.rax = 0xfffffffffffffffeull;  // as the kernel keeps it sign-extended
  EXPECT_EQ(Registers(Arch::I386, block_of(u)).retval(), -2);
  u.rax = 0x1234567800000005ull;  // the upper half is not part of eax
  EXPECT_EQ(Registers(Arch::I386, block_of(u)).retval(), 5);
  // x86_64 takes all 64 bits.
  u.rax = 0xfffffffe;
  EXPECT_EQ(Registers(Arch::X86_64, block_of(u)).retval(), 0xfffffffe);
}

TEST(Registers, X86_64SettersWriteTheirSlots) {
  Registers r(Arch::X86_64, {});
  for (int i = 0; i < 6; ++i) r.set_arg(i, 0x1000000000ull + static_cast<std::uint64_t>(i));
  r.set_syscall_no(231);
  r.set_orig_syscall_no(60);
  r.set_ip(0x401000);
  r.set_sp(0x7ffd0000);
  r.set_flags(0x246);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.arg(i), 0x1000000000ull + static_cast<std::uint64_t>(i));
  X86UserRegs u = regs_of(r);
  EXPECT_EQ(u.rdi, 0x1000000000ull);
  EXPECT_EQ(u.r10, 0x1000000003ull);
  EXPECT_EQ(u.rcx, 0u);
  EXPECT_EQ(u.r9, 0x1000000005ull);
  EXPECT_EQ(u.rax, 231u);
  EXPECT_EQ(u.orig_rax, 60u);
  EXPECT_EQ(u.rip, 0x401000u);
  EXPECT_EQ(u.rsp, 0x7ffd0000u);
  EXPECT_EQ(u.eflags, 0x246u);
  r.set_retval(-38);
  EXPECT_EQ(regs_of(r).rax, static_cast<unsigned long long>(-38));
  EXPECT_EQ(r.retval(), -38);
}

TEST(Registers, I386SettersWidenPerSlot) {
  Registers r(Arch::I386, block_of(distinct_regs()));
  // Arguments are zero-extended: the upper half of the slot is cleared, bits above 32 dropped.
  r.set_arg(0, 0x100000007ull);
  EXPECT_EQ(r.arg(0), 7u);
  EXPECT_EQ(regs_of(r).rbx, 7u);
  r.set_arg(5, 0xfffffff0u);
  EXPECT_EQ(regs_of(r).rbp, 0xfffffff0u);
  // eax and orig_eax are sign-extended, as the kernel keeps them for a compat task.
  r.set_retval(-2);
  EXPECT_EQ(regs_of(r).rax, 0xfffffffffffffffeull);
  EXPECT_EQ(r.retval(), -2);
  r.set_orig_syscall_no(0xffffffffu);
  EXPECT_EQ(regs_of(r).orig_rax, ~0ull);
  r.set_syscall_no(4);
  EXPECT_EQ(regs_of(r).rax, 4u);
  r.set_ip(0x8049000);
  EXPECT_EQ(regs_of(r).rip, 0x8049000u);
}

TEST(Registers, ToI386MapsEveryField) {
  X86UserRegs u = distinct_regs();
  I386UserRegs i = Registers(Arch::I386, block_of(u)).to_i386();
  EXPECT_EQ(i.ebx, low(u.rbx));
  EXPECT_EQ(i.ecx, low(u.rcx));
  EXPECT_EQ(i.edx, low(u.rdx));
  EXPECT_EQ(i.esi, low(u.rsi));
  EXPECT_EQ(i.edi, low(u.rdi));
  EXPECT_EQ(i.ebp, low(u.rbp));
  EXPECT_EQ(i.eax, low(u.rax));
  EXPECT_EQ(i.xds, low(u.ds));
  EXPECT_EQ(i.xes, low(u.es));
  EXPECT_EQ(i.xfs, low(u.fs));
  EXPECT_EQ(i.xgs, low(u.gs));
  EXPECT_EQ(i.orig_eax, low(u.orig_rax));
  EXPECT_EQ(i.eip, low(u.rip));
  EXPECT_EQ(i.xcs, low(u.cs));
  EXPECT_EQ(i.eflags, low(u.eflags));
  EXPECT_EQ(i.esp, low(u.rsp));
  EXPECT_EQ(i.xss, low(u.ss));
}

TEST(Registers, AssignI386ThenToI386RoundTrips) {
  I386UserRegs in{};
  auto* words = reinterpret_cast<std::uint32_t*>(&in);
  for (std::size_t k = 0; k < sizeof in / 4; ++k) {
    words[k] = 0x80000000u + static_cast<std::uint32_t>(k);
  }
  Registers r(Arch::I386, {});
  r.assign_i386(in);
  I386UserRegs out = r.to_i386();
  EXPECT_EQ(std::memcmp(&in, &out, sizeof in), 0);
  // Slots the i386 view does not name keep their host values.
  X86UserRegs before = distinct_regs();
  Registers full(Arch::I386, block_of(before));
  full.assign_i386(in);
  X86UserRegs after = regs_of(full);
  EXPECT_EQ(after.r8, before.r8);
  EXPECT_EQ(after.r15, before.r15);
  EXPECT_EQ(after.fs_base, before.fs_base);
  EXPECT_EQ(after.gs_base, before.gs_base);
}

// What PTRACE_GETREGS gives for a 32-bit tracee after mmap2 returned 0xf7f4e000: the kernel
// keeps the syscall's long result, zero-extended. Writing back the unchanged i386 view must
// leave the block bit-identical ("upper halves keep their host values").
TEST(Registers, AssignI386OfTheUnchangedViewKeepsTheBlock) {
  X86UserRegs u{};
  u.rax = 0xf7f4e000u;
  u.orig_rax = 192;  // mmap2
  u.cs = 0x23;
  Registers r(Arch::I386, block_of(u));
  Registers copy = r;
  copy.assign_i386(r.to_i386());
  EXPECT_EQ(regs_of(copy).rax, u.rax);
  EXPECT_EQ(copy, r);
}

TEST(Registers, ByNameAndSetByName) {
  X86UserRegs u = distinct_regs();
  Registers r64(Arch::X86_64, block_of(u));
  EXPECT_EQ(r64.by_name("rax"), u.rax);
  EXPECT_EQ(r64.by_name("r10"), u.r10);
  EXPECT_EQ(r64.by_name("rip"), u.rip);
  EXPECT_EQ(r64.by_name("fs_base"), u.fs_base);
  EXPECT_EQ(r64.by_name("orig_rax"), u.orig_rax);
  EXPECT_EQ(r64.by_name("eax"), std::nullopt);
  EXPECT_EQ(r64.by_name(""), std::nullopt);
  EXPECT_TRUE(r64.set_by_name("r15", 0x1234));
  EXPECT_EQ(regs_of(r64).r15, 0x1234u);
  EXPECT_FALSE(r64.set_by_name("xmm0", 1));

  Registers r32(Arch::I386, block_of(u));
  EXPECT_EQ(r32.by_name("eax"), low(u.rax));
  EXPECT_EQ(r32.by_name("eip"), low(u.rip));
  EXPECT_EQ(r32.by_name("orig_eax"), low(u.orig_rax));
  EXPECT_EQ(r32.by_name("rax"), std::nullopt);
  EXPECT_EQ(r32.by_name("r8"), std::nullopt);
  EXPECT_TRUE(r32.set_by_name("ecx", 0x55));
  EXPECT_EQ(regs_of(r32).rcx, 0x55u);
}

TEST(Registers, ArchOfHostBlockFromCs) {
  X86UserRegs u{};
  u.cs = 0x23;  // __USER32_CS: compat mode
  EXPECT_EQ(Registers::arch_of_x86_block(block_of(u)), Arch::I386);
#if defined(__x86_64__)
  EXPECT_EQ(Registers::arch_of_host_block(block_of(u)), Arch::I386);  // the x86_64 host's rule
#endif
  u.cs = 0x33;  // __USER_CS: 64-bit mode
  EXPECT_EQ(Registers::arch_of_x86_block(block_of(u)), Arch::X86_64);
#if defined(__x86_64__)
  EXPECT_EQ(Registers::arch_of_host_block(block_of(u)), Arch::X86_64);
#endif
}

TEST(Registers, EqualityComparesArchAndEveryByte) {
  Registers::HostBlock b = block_of(distinct_regs());
  EXPECT_EQ(Registers(Arch::X86_64, b), Registers(Arch::X86_64, b));
  EXPECT_NE(Registers(Arch::X86_64, b), Registers(Arch::I386, b));
  Registers changed(Arch::X86_64, b);
  changed.set_by_name("gs_base", 1);
  EXPECT_NE(changed, Registers(Arch::X86_64, b));
}

TEST(EflagsNames, AsGdbPrintsThem) {
  EXPECT_EQ(eflags_names(0x246), "[ PF ZF IF ]");
  EXPECT_EQ(eflags_names(0x202), "[ IF ]");
  EXPECT_EQ(eflags_names(0x1), "[ CF ]");
  EXPECT_EQ(eflags_names(0), "[ ]");
  EXPECT_EQ(eflags_names(0x10000 | 0x100), "[ TF RF ]");
}

}  // namespace
}  // namespace ptk
