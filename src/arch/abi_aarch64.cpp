// The aarch64 ABI as data: `svc #0` with the number in x8 and arguments in x0-x5, AAPCS64 calls
// (x0-x7, result in x0, return address in x30), `brk #0` breakpoints. Slots index the aarch64
// host's block (user_pt_regs, then the syscall number: see registers.h).
#include "abi_tables.h"
#include "host_layout.h"

namespace ptk {
namespace {

using namespace host;

constexpr NamedReg kRegs[] = {
    {"x0", q(xreg(0)), RegGroup::General},
    {"x1", q(xreg(1)), RegGroup::General},
    {"x2", q(xreg(2)), RegGroup::General},
    {"x3", q(xreg(3)), RegGroup::General},
    {"x4", q(xreg(4)), RegGroup::General},
    {"x5", q(xreg(5)), RegGroup::General},
    {"x6", q(xreg(6)), RegGroup::General},
    {"x7", q(xreg(7)), RegGroup::General},
    {"x8", q(xreg(8)), RegGroup::General},
    {"x9", q(xreg(9)), RegGroup::General},
    {"x10", q(xreg(10)), RegGroup::General},
    {"x11", q(xreg(11)), RegGroup::General},
    {"x12", q(xreg(12)), RegGroup::General},
    {"x13", q(xreg(13)), RegGroup::General},
    {"x14", q(xreg(14)), RegGroup::General},
    {"x15", q(xreg(15)), RegGroup::General},
    {"x16", q(xreg(16)), RegGroup::General},
    {"x17", q(xreg(17)), RegGroup::General},
    {"x18", q(xreg(18)), RegGroup::General},
    {"x19", q(xreg(19)), RegGroup::General},
    {"x20", q(xreg(20)), RegGroup::General},
    {"x21", q(xreg(21)), RegGroup::General},
    {"x22", q(xreg(22)), RegGroup::General},
    {"x23", q(xreg(23)), RegGroup::General},
    {"x24", q(xreg(24)), RegGroup::General},
    {"x25", q(xreg(25)), RegGroup::General},
    {"x26", q(xreg(26)), RegGroup::General},
    {"x27", q(xreg(27)), RegGroup::General},
    {"x28", q(xreg(28)), RegGroup::General},
    {"x29", q(xreg(29)), RegGroup::Pointer},
    {"x30", q(xreg(30)), RegGroup::Pointer},
    {"sp", q(kA64Sp), RegGroup::Pointer},
    {"pc", q(kA64Pc), RegGroup::Pointer},
    {"pstate", q(kA64Pstate), RegGroup::Flags},
    {"syscallno", q(kA64SyscallNo), RegGroup::Syscall},
};

// gdb's and the AAPCS64's other names for the frame pointer and the link register.
constexpr NamedReg kAliases[] = {
    {"fp", q(xreg(29)), RegGroup::Pointer},
    {"lr", q(xreg(30)), RegGroup::Pointer},
};

}  // namespace

const AbiInfo kAbiAarch64 = {
    .arch = Arch::Aarch64,
    .name = "aarch64",
    .audit_arch = 0xc00000b7,  // AUDIT_ARCH_AARCH64 = EM_AARCH64 | __AUDIT_ARCH_64BIT | LE
    .word_size = 8,
    .regs_block_size = kAarch64RegsBlockSize,
    // The number's authoritative copy is the NT_ARM_SYSTEM_CALL slot, not x8 (registers.h).
    // x0 is both argument 0 and the return value: at the exit stop argument 0 is overwritten
    // and the kernel shows no saved copy, so the sys layer keeps it from the entry stop.
    .roles = {q(kA64SyscallNo), q(kA64SyscallNo), q(xreg(0)), q(kA64Pc), q(kA64Sp), q(xreg(29)),
              q(kA64Pstate), q(xreg(0)), q(xreg(1)), q(xreg(2)), q(xreg(3)), q(xreg(4)),
              q(xreg(5))},
    .syscall_insn = insn_le32(0xd4000001),     // svc #0
    .breakpoint_insn = insn_le32(0xd4200000),  // brk #0
    // brk raises its exception before it executes: the stop shows pc at the brk itself
    // (arch/arm64/kernel/debug-monitors.c), and resuming there traps again.
    .breakpoint_pc_adjust = 0,
    .red_zone = 0,      // AAPCS64 gives none: below sp is free for signal frames
    .stack_align = 16,  // AAPCS64 6.4.5.1: sp mod 16 = 0 at every public interface
    .call = {.int_arg_regs = {q(xreg(0)), q(xreg(1)), q(xreg(2)), q(xreg(3)), q(xreg(4)),
                              q(xreg(5)), q(xreg(6)), q(xreg(7))},
             .reg_args = 8,
             .ret = q(xreg(0)),
             .return_in_reg = true,
             .return_reg = q(xreg(30))},
    .registers = kRegs,
    .aliases = kAliases,
};

}  // namespace ptk
