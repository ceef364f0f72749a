// The aarch64 ABI as data: its AbiInfo, the slots over its transport block (user_pt_regs and
// the NT_ARM_SYSTEM_CALL slot), names and aliases, instruction bytes, svc detection, and which
// ABIs the host traces. Pure arithmetic: runs on any host.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/arch/breakpoint_insn.h"
#include "ptk/arch/kernel_entry.h"
#include "ptk/arch/reg_decode.h"
#include "ptk/arch/registers.h"
#include "ptk/arch/remote_abi.h"

namespace ptk {
namespace {

// The aarch64 block as words: x0..x30 at 0..30, sp 31, pc 32, pstate 33, syscallno 34.
constexpr std::size_t kWords = kAarch64RegsBlockSize / 8;
constexpr std::size_t kSp = 31, kPc = 32, kPstate = 33, kSyscallNo = 34;

RegSlot word(std::size_t i) { return RegSlot{static_cast<std::uint16_t>(i * 8), 8, false}; }

// Word i holds 0xb0b0b0b0'00000000 + i * 0x101: every slot distinct, upper half set.
Registers distinct_block() {
  Registers::HostBlock b{};
  for (std::size_t i = 0; i < kWords; ++i) {
    std::uint64_t v = 0xb0b0b0b000000000ull + i * 0x101;
    std::memcpy(b.data() + i * 8, &v, 8);
  }
  return Registers(Arch::Aarch64, b);
}

std::uint64_t value_of(std::size_t i) { return 0xb0b0b0b000000000ull + i * 0x101; }

TEST(AbiAarch64, Info) {
  const AbiInfo& a = abi(Arch::Aarch64);
  EXPECT_EQ(a.arch, Arch::Aarch64);
  EXPECT_EQ(a.name, "aarch64");
  EXPECT_EQ(a.audit_arch, 0xc00000b7u);  // AUDIT_ARCH_AARCH64
  EXPECT_EQ(a.word_size, 8);
  EXPECT_EQ(a.regs_block_size, 34u * 8 + 8);  // user_pt_regs, then the syscall number
  EXPECT_EQ(a.red_zone, 0);
  EXPECT_EQ(a.stack_align, 16);
  EXPECT_EQ(a.breakpoint_pc_adjust, 0);  // brk traps before it executes
  EXPECT_EQ(to_string(Arch::Aarch64), "aarch64");
}

TEST(AbiAarch64, InstructionBytesAreLittleEndianWords) {
  const AbiInfo& a = abi(Arch::Aarch64);
  EXPECT_EQ(a.syscall_insn, (InsnBytes{{0x01, 0x00, 0x00, 0xd4}, 4}));     // svc #0
  EXPECT_EQ(a.breakpoint_insn, (InsnBytes{{0x00, 0x00, 0x20, 0xd4}, 4}));  // brk #0
  const std::vector<std::byte> want = {std::byte{0x00}, std::byte{0x00}, std::byte{0x20},
                                       std::byte{0xd4}};
  EXPECT_TRUE(std::ranges::equal(a.breakpoint_insn.bytes(), want));
  // The x86 ones keep their lengths: 2 bytes of syscall, 1 of int3.
  EXPECT_EQ(abi(Arch::X86_64).syscall_insn.bytes().size(), 2u);
  EXPECT_EQ(abi(Arch::X86_64).breakpoint_insn.bytes().size(), 1u);
  EXPECT_EQ(abi(Arch::I386).breakpoint_insn[0], 0xcc);
}

TEST(AbiAarch64, SyscallRoles) {
  const AbiInfo& a = abi(Arch::Aarch64);
  // The number: the NT_ARM_SYSTEM_CALL slot for both roles (x8 is not what the kernel runs).
  EXPECT_EQ(a.role(RegRole::SyscallNo), word(kSyscallNo));
  EXPECT_EQ(a.role(RegRole::OrigSyscallNo), word(kSyscallNo));
  EXPECT_EQ(a.role(RegRole::Ret), word(0));
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(a.role(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + i)),
              word(static_cast<std::size_t>(i)))
        << "arg " << i;
  }
  // x0 is argument 0 and the return value alike.
  EXPECT_EQ(a.role(RegRole::Arg0), a.role(RegRole::Ret));
  EXPECT_EQ(a.role(RegRole::Ip), word(kPc));
  EXPECT_EQ(a.role(RegRole::Sp), word(kSp));
  EXPECT_EQ(a.role(RegRole::Fp), word(29));
  EXPECT_EQ(a.role(RegRole::Flags), word(kPstate));
}

TEST(AbiAarch64, CallConvention) {
  const CallConv& c = abi(Arch::Aarch64).call;
  EXPECT_EQ(c.reg_args, 8);  // x0-x7
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(c.int_arg_regs[i], word(i)) << i;
  EXPECT_EQ(c.ret, word(0));
  EXPECT_TRUE(c.return_in_reg);
  EXPECT_EQ(c.return_reg, word(30));                   // lr
  EXPECT_FALSE(abi(Arch::X86_64).call.return_in_reg);  // `call` pushes it
  EXPECT_FALSE(abi(Arch::I386).call.return_in_reg);
}

// What remote syscalls and calls need beyond the roles: the number's register (x8, apart from
// the kernel's copy the SyscallNo role names), PSTATE.BTYPE, x7's stop marker.
// How the host's kernel reports a stepped syscall and a breakpoint (the values measured in the
// VM lanes): arm64 SI_USER (0) and TRAP_BRKPT (1); x86 TRAP_BRKPT (1) and SI_KERNEL (0x80).
TEST(AbiAarch64, HostTrapCodes) {
#if defined(__aarch64__)
  EXPECT_EQ(kHostTrapCodes.stepped_syscall, 0);
  EXPECT_EQ(kHostTrapCodes.breakpoint, 1);
#else
  EXPECT_EQ(kHostTrapCodes.stepped_syscall, 1);
  EXPECT_EQ(kHostTrapCodes.breakpoint, 0x80);
#endif
}

TEST(AbiAarch64, RemoteAbiFacts) {
  const RemoteAbi& a = remote_abi(Arch::Aarch64);
  EXPECT_EQ(a.syscall_insn_nr, word(8));
  EXPECT_NE(a.syscall_insn_nr, abi(Arch::Aarch64).role(RegRole::SyscallNo));
  EXPECT_EQ(a.call_clear_flags, 0xc00u);
  ASSERT_TRUE(a.syscall_stop_clobber.has_value());
  EXPECT_EQ(*a.syscall_stop_clobber, word(7));
  EXPECT_TRUE(a.restart_rewound_before_stop);
  for (Arch x86 : {Arch::X86_64, Arch::I386}) {
    const RemoteAbi& x = remote_abi(x86);
    const std::string_view name = abi(x86).name;
    EXPECT_EQ(x.syscall_insn_nr, abi(x86).role(RegRole::SyscallNo)) << name;  // rax / eax
    EXPECT_EQ(x.call_clear_flags, 0x400u) << name;                            // DF
    EXPECT_FALSE(x.syscall_stop_clobber.has_value()) << name;
    EXPECT_FALSE(x.restart_rewound_before_stop) << name;
  }
}

TEST(AbiAarch64, AccessorsReadTheirWords) {
  Registers r = distinct_block();
  EXPECT_EQ(r.syscall_no(), value_of(kSyscallNo));
  EXPECT_EQ(r.orig_syscall_no(), value_of(kSyscallNo));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.arg(i), value_of(static_cast<std::size_t>(i)));
  EXPECT_EQ(r.retval(), static_cast<std::int64_t>(value_of(0)));
  EXPECT_EQ(r.ip(), value_of(kPc));
  EXPECT_EQ(r.sp(), value_of(kSp));
  EXPECT_EQ(r.flags(), value_of(kPstate));
  EXPECT_EQ(r.get(RegRole::Fp), value_of(29));
}

TEST(AbiAarch64, WritesTouchOnlyTheirWordAndRoundTrip) {
  Registers r = distinct_block();
  const Registers before = r;
  r.set_syscall_no(static_cast<std::uint64_t>(-1));  // skip the call
  r.set_retval(-38);                                 // -ENOSYS in x0
  r.set_ip(0x400000);
  EXPECT_EQ(r.syscall_no(), static_cast<std::uint64_t>(-1));
  EXPECT_EQ(r.retval(), -38);
  EXPECT_EQ(r.arg(0), static_cast<std::uint64_t>(-38));  // the same register
  for (std::size_t i = 0; i < kWords; ++i) {
    if (i == 0 || i == kPc || i == kSyscallNo) continue;
    EXPECT_EQ(r.get(word(i)), before.get(word(i))) << "word " << i;
  }
  // Writing back what was read is bit-identical.
  Registers copy = before;
  for (std::size_t i = 0; i < kWords; ++i) copy.set(word(i), before.get(word(i)));
  EXPECT_EQ(copy, before);
  // Nothing lives past the block.
  for (std::size_t i = kAarch64RegsBlockSize; i < kRegsBlockStorage; ++i) {
    EXPECT_EQ(r.host_block()[i], std::byte{0}) << i;
  }
}

TEST(AbiAarch64, SyscallNoSlotAndTheRegsetInt) {
  Registers::HostBlock b{};
  store_aarch64_syscallno(b, -1);  // "skip the call"
  Registers r(Arch::Aarch64, b);
  EXPECT_EQ(static_cast<std::int64_t>(r.syscall_no()), -1);
  EXPECT_EQ(load_aarch64_syscallno(r.host_block()), -1);
  store_aarch64_syscallno(r.host_block(), 221);
  EXPECT_EQ(r.syscall_no(), 221u);
  EXPECT_EQ(r.orig_syscall_no(), 221u);
  r.set_syscall_no(172);  // a tracer's change, for the core to write back
  EXPECT_EQ(load_aarch64_syscallno(r.host_block()), 172);
  EXPECT_EQ(r.get(word(8)), 0u) << "x8 is a register like the others, not the number";
}

TEST(AbiAarch64, RegisterNamesAndAliases) {
  const AbiInfo& a = abi(Arch::Aarch64);
  ASSERT_EQ(a.registers.size(), 31u + 4u);  // x0-x30, sp, pc, pstate, syscallno
  EXPECT_EQ(a.registers[0].name, "x0");
  EXPECT_EQ(a.registers[30].name, "x30");
  EXPECT_EQ(a.registers[31].name, "sp");
  EXPECT_EQ(a.registers[32].name, "pc");
  EXPECT_EQ(a.registers[33].name, "pstate");
  EXPECT_EQ(a.registers[34].name, "syscallno");
  EXPECT_EQ(a.registers[34].group, RegGroup::Syscall);
  Registers r = distinct_block();
  EXPECT_EQ(r.by_name("x29"), value_of(29));
  EXPECT_EQ(r.by_name("fp"), value_of(29));
  EXPECT_EQ(r.by_name("lr"), value_of(30));
  EXPECT_EQ(r.by_name("pc"), value_of(kPc));
  EXPECT_EQ(r.by_name("rip"), std::nullopt);
  EXPECT_TRUE(r.set_by_name("lr", 0x1234));
  EXPECT_EQ(r.by_name("x30"), 0x1234u);
  EXPECT_FALSE(r.set_by_name("eax", 1));
  // The listing shows the registers once each, without aliases or x86 segment bases.
  std::vector<RegisterValue> list = register_listing(r);
  EXPECT_EQ(list.size(), a.registers.size());
  EXPECT_EQ(list.back().name, "syscallno");
  EXPECT_EQ(segment_bases(r).fs_base, 0u);
}

TEST(AbiAarch64, PstateNames) {
  auto joined = [](std::uint64_t pstate) {
    std::string out;
    for (std::string_view n : pstate_flag_names(pstate)) out += std::string(n) + " ";
    return out;
  };
  // A user thread after a compare that found equality: Z and C (0x60000000), EL0t (M = 0).
  EXPECT_EQ(joined(0x60000000), "C Z ");
  EXPECT_EQ(pstate_el(0x60000000), 0);
  EXPECT_EQ(joined(0x800003c5), "F I A D N ");  // EL1h with DAIF masked, as a kernel runs
  EXPECT_EQ(pstate_el(0x800003c5), 1);
  EXPECT_EQ(joined(1u << 21 | 1u << 12), "SSBS SS ");  // single-step armed
  EXPECT_EQ(joined(0xc00), "");                        // BTYPE is a field, not flags
}

TEST(AbiAarch64, SvcEntersTheKernel) {
  auto enters = [](std::vector<std::uint8_t> code) { return enters_kernel(Arch::Aarch64, code); };
  EXPECT_TRUE(enters({0x01, 0x00, 0x00, 0xd4}));   // svc #0
  EXPECT_TRUE(enters({0x21, 0x00, 0x00, 0xd4}));   // svc #1: Linux ignores the immediate
  EXPECT_TRUE(enters({0xe1, 0xff, 0x1f, 0xd4}));   // svc #0xffff
  EXPECT_FALSE(enters({0x00, 0x00, 0x20, 0xd4}));  // brk #0
  EXPECT_FALSE(enters({0x02, 0x00, 0x00, 0xd4}));  // hvc #0
  EXPECT_FALSE(enters({0x1f, 0x20, 0x03, 0xd5}));  // nop
  EXPECT_FALSE(enters({0x01, 0x00, 0x00}));        // cut off by the end of the mapping
  // The x86 encodings mean nothing there, and svc means nothing on x86.
  EXPECT_FALSE(enters({0x0f, 0x05, 0x00, 0x00}));
  EXPECT_FALSE(enters_kernel(Arch::X86_64, std::vector<std::uint8_t>{0x01, 0x00, 0x00, 0xd4}));
}

TEST(AbiAarch64, HostArches) {
  // Every ABI ptk knows, and this host's subset, which tracer code iterates.
  EXPECT_EQ(kKnownArches.size(), kArchCount);
  for (Arch a : kHostArches) EXPECT_TRUE(is_host_arch(a));
  EXPECT_TRUE(std::ranges::equal(kAllArches, kHostArches));
#if defined(__x86_64__)
  EXPECT_EQ(kHostArches.size(), 2u);
  EXPECT_FALSE(is_host_arch(Arch::Aarch64));
  EXPECT_EQ(kHostRegsSize, kX86RegsBlockSize);
#else
  EXPECT_EQ(kHostArches.size(), 1u);
  EXPECT_TRUE(is_host_arch(Arch::Aarch64));
  EXPECT_EQ(arch_from_audit(0xc00000b7), Arch::Aarch64);
  EXPECT_EQ(Registers::arch_of_host_block(Registers::HostBlock{}), Arch::Aarch64);
#endif
}

}  // namespace
}  // namespace ptk
