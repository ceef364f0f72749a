// AbiInfo: each tracee ABI as data (syscall instruction, registers, red zone, calls), and the
// lookups by name and by AUDIT_ARCH value.
#include <gtest/gtest.h>

#include <cstddef>
#include <initializer_list>
#include <set>
#include <string>

#include "ptk/arch/arch.h"
#include "ptk/arch/registers.h"
#include "x86_user_regs.h"

namespace ptk {
namespace {

#define HOST_OFFSET(reg) static_cast<std::uint16_t>(offsetof(X86UserRegs, reg))

RegSlot q(std::uint16_t off) { return RegSlot{off, 8, false}; }
RegSlot d(std::uint16_t off) { return RegSlot{off, 4, false}; }

TEST(AbiInfo, X86_64) {
  const AbiInfo& a = abi(Arch::X86_64);
  EXPECT_EQ(a.arch, Arch::X86_64);
  EXPECT_EQ(a.name, "x86_64");
  EXPECT_EQ(a.audit_arch, 0xc000003eu);  // AUDIT_ARCH_X86_64
  EXPECT_EQ(a.word_size, 8);
  EXPECT_EQ(a.syscall_insn, (InsnBytes{{0x0f, 0x05}, 2}));  // syscall
  EXPECT_EQ(a.breakpoint_insn, (InsnBytes{{0xcc}, 1}));     // int3
  EXPECT_EQ(a.breakpoint_pc_adjust, 1);
  EXPECT_EQ(a.red_zone, 128);
  EXPECT_EQ(a.stack_align, 16);
  EXPECT_EQ(a.role(RegRole::SyscallNo), q(HOST_OFFSET(rax)));
  EXPECT_EQ(a.role(RegRole::OrigSyscallNo), q(HOST_OFFSET(orig_rax)));
  EXPECT_EQ(a.role(RegRole::Ret), q(HOST_OFFSET(rax)));
  EXPECT_EQ(a.role(RegRole::Ip), q(HOST_OFFSET(rip)));
  EXPECT_EQ(a.role(RegRole::Sp), q(HOST_OFFSET(rsp)));
  EXPECT_EQ(a.role(RegRole::Fp), q(HOST_OFFSET(rbp)));
  EXPECT_EQ(a.role(RegRole::Flags), q(HOST_OFFSET(eflags)));
  // Syscall arguments: rdi rsi rdx r10 r8 r9.
  const std::uint16_t syscall_args[] = {HOST_OFFSET(rdi), HOST_OFFSET(rsi), HOST_OFFSET(rdx),
                                        HOST_OFFSET(r10), HOST_OFFSET(r8),  HOST_OFFSET(r9)};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(a.role(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + i)), q(syscall_args[i]))
        << "arg " << i;
  }
  // SysV calls: rdi rsi rdx rcx r8 r9, result in rax.
  const std::uint16_t call_args[] = {HOST_OFFSET(rdi), HOST_OFFSET(rsi), HOST_OFFSET(rdx),
                                     HOST_OFFSET(rcx), HOST_OFFSET(r8),  HOST_OFFSET(r9)};
  EXPECT_EQ(a.call.reg_args, 6);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(a.call.int_arg_regs[static_cast<std::size_t>(i)], q(call_args[i]));
  EXPECT_EQ(a.call.ret, q(HOST_OFFSET(rax)));
}

TEST(AbiInfo, I386) {
  const AbiInfo& a = abi(Arch::I386);
  EXPECT_EQ(a.arch, Arch::I386);
  EXPECT_EQ(a.name, "i386");
  EXPECT_EQ(a.audit_arch, 0x40000003u);  // AUDIT_ARCH_I386
  EXPECT_EQ(a.word_size, 4);
  EXPECT_EQ(a.syscall_insn, (InsnBytes{{0xcd, 0x80}, 2}));  // int $0x80
  EXPECT_EQ(a.breakpoint_insn, (InsnBytes{{0xcc}, 1}));     // int3
  EXPECT_EQ(a.breakpoint_pc_adjust, 1);
  EXPECT_EQ(a.red_zone, 0);
  EXPECT_EQ(a.stack_align, 16);
  EXPECT_EQ(a.role(RegRole::Ip), d(HOST_OFFSET(rip)));
  EXPECT_EQ(a.role(RegRole::Sp), d(HOST_OFFSET(rsp)));
  // eax and orig_eax widen as signed (the kernel's -ERESTART* and -1 handling).
  EXPECT_EQ(a.role(RegRole::SyscallNo).offset, HOST_OFFSET(rax));
  EXPECT_TRUE(a.role(RegRole::SyscallNo).sign_extend);
  EXPECT_EQ(a.role(RegRole::OrigSyscallNo).offset, HOST_OFFSET(orig_rax));
  EXPECT_TRUE(a.role(RegRole::OrigSyscallNo).sign_extend);
  EXPECT_EQ(a.role(RegRole::Ret).width, 4);
  // Syscall arguments: ebx ecx edx esi edi ebp.
  const std::uint16_t syscall_args[] = {HOST_OFFSET(rbx), HOST_OFFSET(rcx), HOST_OFFSET(rdx),
                                        HOST_OFFSET(rsi), HOST_OFFSET(rdi), HOST_OFFSET(rbp)};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(a.role(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + i)), d(syscall_args[i]))
        << "arg " << i;
  }
  EXPECT_EQ(a.call.reg_args, 0);  // cdecl: every argument on the stack
  EXPECT_EQ(a.call.ret.offset, HOST_OFFSET(rax));
}

TEST(AbiInfo, RegisterListsAreWellFormed) {
  for (Arch arch : kKnownArches) {
    const AbiInfo& a = abi(arch);
    EXPECT_LE(a.regs_block_size, kRegsBlockStorage);
    std::set<std::string_view> names;
    for (const auto& list : {a.registers, a.aliases}) {
      for (const NamedReg& r : list) {
        EXPECT_TRUE(names.insert(r.name).second) << "duplicate " << r.name;
        EXPECT_LE(r.slot.offset + 8u, a.regs_block_size) << r.name;
        EXPECT_EQ(r.slot.offset % 8, 0) << r.name;
        EXPECT_EQ(r.slot.width, a.word_size) << r.name;
      }
    }
    for (RegSlot slot : a.roles) {
      EXPECT_LE(slot.offset + 8u, a.regs_block_size);
      EXPECT_EQ(slot.width, a.word_size);
    }
    for (std::size_t i = 0; i < a.call.reg_args; ++i) {
      EXPECT_LE(a.call.int_arg_regs[i].offset + 8u, a.regs_block_size);
    }
    EXPECT_GE(a.syscall_insn.size(), 2u);
    EXPECT_GE(a.breakpoint_insn.size(), 1u);
  }
  EXPECT_EQ(abi(Arch::X86_64).registers.size(), 27u);  // every user_regs_struct field
  EXPECT_EQ(abi(Arch::I386).registers.size(), 17u);    // every i386 user_regs_struct field
  EXPECT_EQ(abi(Arch::X86_64).regs_block_size, sizeof(X86UserRegs));
  EXPECT_EQ(abi(Arch::I386).regs_block_size, sizeof(X86UserRegs));
}

TEST(Arch, NamesAndAuditValues) {
  EXPECT_EQ(to_string(Arch::X86_64), "x86_64");
  EXPECT_EQ(to_string(Arch::I386), "i386");
  EXPECT_EQ(arch_from_name("x86_64"), Arch::X86_64);
  EXPECT_EQ(arch_from_name("i386"), Arch::I386);
  EXPECT_EQ(arch_from_name("amd64"), Arch::X86_64);
  EXPECT_EQ(arch_from_name("x86-64"), Arch::X86_64);
  EXPECT_EQ(arch_from_name("64"), Arch::X86_64);
  EXPECT_EQ(arch_from_name("x86"), Arch::I386);
  EXPECT_EQ(arch_from_name("ia32"), Arch::I386);
  EXPECT_EQ(arch_from_name("32"), Arch::I386);
  EXPECT_EQ(arch_from_name("arm64"), Arch::Aarch64);
  EXPECT_EQ(arch_from_name("aarch64"), Arch::Aarch64);
  EXPECT_EQ(arch_from_name("arm"), std::nullopt);
  EXPECT_EQ(arch_from_name(""), std::nullopt);
  // AUDIT_ARCH_* names only the ABIs this host's tracees run in (strace prints a number else).
#if defined(__x86_64__)
  EXPECT_EQ(arch_from_audit(0xc000003e), Arch::X86_64);
  EXPECT_EQ(arch_from_audit(0x40000003), Arch::I386);
  EXPECT_EQ(arch_from_audit(0xc00000b7), std::nullopt);  // AUDIT_ARCH_AARCH64
#else
  EXPECT_EQ(arch_from_audit(0xc000003e), std::nullopt);
  EXPECT_EQ(arch_from_audit(0xc00000b7), Arch::Aarch64);
#endif
  EXPECT_EQ(arch_from_audit(0), std::nullopt);
}

}  // namespace
}  // namespace ptk
