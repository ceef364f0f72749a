// The i386 ABI (a 32-bit tracee on a 64-bit kernel) as data: `int $0x80` with eax; ebx ecx
// edx esi edi ebp; cdecl calls with every argument on the stack.
#include "abi_tables.h"
#include "host_layout.h"

namespace ptk {
namespace {

using namespace host;

constexpr NamedReg kRegs[] = {
    {"eax", d_signed(kRax), RegGroup::General},
    {"ebx", d(kRbx), RegGroup::General},
    {"ecx", d(kRcx), RegGroup::General},
    {"edx", d(kRdx), RegGroup::General},
    {"esi", d(kRsi), RegGroup::General},
    {"edi", d(kRdi), RegGroup::General},
    {"ebp", d(kRbp), RegGroup::Pointer},
    {"esp", d(kRsp), RegGroup::Pointer},
    {"eip", d(kRip), RegGroup::Pointer},
    {"eflags", d(kEflags), RegGroup::Flags},
    {"cs", d(kCs), RegGroup::Segment},
    {"ss", d(kSs), RegGroup::Segment},
    {"ds", d(kDs), RegGroup::Segment},
    {"es", d(kEs), RegGroup::Segment},
    {"fs", d(kFs), RegGroup::Segment},
    {"gs", d(kGs), RegGroup::Segment},
    {"orig_eax", d_signed(kOrigRax), RegGroup::Syscall},
};

}  // namespace

const AbiInfo kAbiI386 = {
    .arch = Arch::I386,
    .name = "i386",
    .audit_arch = 0x40000003,  // AUDIT_ARCH_I386 = EM_386 | __AUDIT_ARCH_LE
    .word_size = 4,
    .regs_block_size = kX86RegsBlockSize,
    // eax and orig_eax are widened as signed: the kernel keeps a compat task's -ERESTART*
    // values and the "no syscall" marker (-1) sign-extended in the 64-bit pt_regs
    // (arch/x86/kernel/ptrace.c, putreg32).
    .roles = {d_signed(kRax), d_signed(kOrigRax), d_signed(kRax), d(kRip), d(kRsp), d(kRbp),
              d(kEflags), d(kRbx), d(kRcx), d(kRdx), d(kRsi), d(kRdi), d(kRbp)},
    .syscall_insn = {{0xcd, 0x80}, 2},
    .breakpoint_insn = {{0xcc}, 1},  // int3
    .breakpoint_pc_adjust = 1,
    .red_zone = 0,  // the i386 SysV ABI has none
    .stack_align =
        16,  // what GCC has assumed since the i386 psABI update (-mpreferred-stack-boundary=4)
    .call = {.int_arg_regs = {}, .reg_args = 0, .ret = d_signed(kRax)},
    .registers = kRegs,
    .aliases = {},
};

}  // namespace ptk
