// The x86_64 ABI as data: syscall convention (rax; rdi rsi rdx r10 r8 r9), SysV calls.
#include "abi_tables.h"
#include "host_layout.h"

namespace ptk {
namespace {

using namespace host;

constexpr NamedReg kRegs[] = {
    {"rax", q(kRax), RegGroup::General},
    {"rbx", q(kRbx), RegGroup::General},
    {"rcx", q(kRcx), RegGroup::General},
    {"rdx", q(kRdx), RegGroup::General},
    {"rsi", q(kRsi), RegGroup::General},
    {"rdi", q(kRdi), RegGroup::General},
    {"rbp", q(kRbp), RegGroup::Pointer},
    {"rsp", q(kRsp), RegGroup::Pointer},
    {"r8", q(kR8), RegGroup::General},
    {"r9", q(kR9), RegGroup::General},
    {"r10", q(kR10), RegGroup::General},
    {"r11", q(kR11), RegGroup::General},
    {"r12", q(kR12), RegGroup::General},
    {"r13", q(kR13), RegGroup::General},
    {"r14", q(kR14), RegGroup::General},
    {"r15", q(kR15), RegGroup::General},
    {"rip", q(kRip), RegGroup::Pointer},
    {"eflags", q(kEflags), RegGroup::Flags},
    {"cs", q(kCs), RegGroup::Segment},
    {"ss", q(kSs), RegGroup::Segment},
    {"ds", q(kDs), RegGroup::Segment},
    {"es", q(kEs), RegGroup::Segment},
    {"fs", q(kFs), RegGroup::Segment},
    {"gs", q(kGs), RegGroup::Segment},
    {"fs_base", q(kFsBase), RegGroup::Base},
    {"gs_base", q(kGsBase), RegGroup::Base},
    {"orig_rax", q(kOrigRax), RegGroup::Syscall},
};

}  // namespace

const AbiInfo kAbiX86_64 = {
    .arch = Arch::X86_64,
    .name = "x86_64",
    .audit_arch = 0xc000003e,  // AUDIT_ARCH_X86_64 = EM_X86_64 | __AUDIT_ARCH_64BIT | LE
    .word_size = 8,
    .regs_block_size = kX86RegsBlockSize,
    .roles = {q(kRax), q(kOrigRax), q(kRax), q(kRip), q(kRsp), q(kRbp), q(kEflags),
              // The kernel takes the 4th syscall argument in r10, not rcx: `syscall`
              // overwrites rcx with the return address.
              q(kRdi), q(kRsi), q(kRdx), q(kR10), q(kR8), q(kR9)},
    .syscall_insn = {{0x0f, 0x05}, 2},
    .breakpoint_insn = {{0xcc}, 1},  // int3
    .breakpoint_pc_adjust = 1,
    .red_zone = 128,  // SysV AMD64 ABI 3.2.2
    .stack_align = 16,
    .call = {.int_arg_regs = {q(kRdi), q(kRsi), q(kRdx), q(kRcx), q(kR8), q(kR9)},
             .reg_args = 6,
             .ret = q(kRax)},
    .registers = kRegs,
    .aliases = {},
};

}  // namespace ptk
