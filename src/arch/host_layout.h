// Byte offsets of each register in the hosts' transport blocks (registers.h describes them).
// The ABI tables are written over these, so they live in one place. The numbers are the
// kernel's fixed user ABI; on the host whose header defines the struct they are also checked
// against it, so this file builds on either host.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ptk/arch/arch.h"
#include "ptk/arch/registers.h"

#if defined(__x86_64__)
#include <sys/user.h>
#elif defined(__aarch64__)
#include <asm/ptrace.h>
#endif

namespace ptk::host {

// x86_64: struct user_regs_struct, one 8-byte word per field in this order.
enum X86Word : std::uint16_t {
  kR15W,
  kR14W,
  kR13W,
  kR12W,
  kRbpW,
  kRbxW,
  kR11W,
  kR10W,
  kR9W,
  kR8W,
  kRaxW,
  kRcxW,
  kRdxW,
  kRsiW,
  kRdiW,
  kOrigRaxW,
  kRipW,
  kCsW,
  kEflagsW,
  kRspW,
  kSsW,
  kFsBaseW,
  kGsBaseW,
  kDsW,
  kEsW,
  kFsW,
  kGsW,
  kX86Words
};
static_assert(kX86Words * 8 == kX86RegsBlockSize);

constexpr std::uint16_t x86(X86Word w) { return static_cast<std::uint16_t>(w * 8); }
inline constexpr std::uint16_t kR15 = x86(kR15W), kR14 = x86(kR14W), kR13 = x86(kR13W),
                               kR12 = x86(kR12W), kRbp = x86(kRbpW), kRbx = x86(kRbxW),
                               kR11 = x86(kR11W), kR10 = x86(kR10W), kR9 = x86(kR9W),
                               kR8 = x86(kR8W), kRax = x86(kRaxW), kRcx = x86(kRcxW),
                               kRdx = x86(kRdxW), kRsi = x86(kRsiW), kRdi = x86(kRdiW),
                               kOrigRax = x86(kOrigRaxW), kRip = x86(kRipW), kCs = x86(kCsW),
                               kEflags = x86(kEflagsW), kRsp = x86(kRspW), kSs = x86(kSsW),
                               kFsBase = x86(kFsBaseW), kGsBase = x86(kGsBaseW), kDs = x86(kDsW),
                               kEs = x86(kEsW), kFs = x86(kFsW), kGs = x86(kGsW);

#if defined(__x86_64__)
static_assert(sizeof(user_regs_struct) == kX86RegsBlockSize);
static_assert(offsetof(user_regs_struct, r15) == kR15 && offsetof(user_regs_struct, rax) == kRax);
static_assert(offsetof(user_regs_struct, orig_rax) == kOrigRax);
static_assert(offsetof(user_regs_struct, rip) == kRip && offsetof(user_regs_struct, cs) == kCs);
static_assert(offsetof(user_regs_struct, fs_base) == kFsBase);
static_assert(offsetof(user_regs_struct, gs) == kGs);
#endif

// aarch64: struct user_pt_regs (x0..x30, sp, pc, pstate), then the syscall number's slot.
constexpr std::uint16_t xreg(int n) { return static_cast<std::uint16_t>(n * 8); }
inline constexpr std::uint16_t kA64Sp = xreg(31), kA64Pc = xreg(32), kA64Pstate = xreg(33),
                               kA64SyscallNo = static_cast<std::uint16_t>(kAarch64SyscallNoOffset);
static_assert(kA64SyscallNo == xreg(34) && kA64SyscallNo + 8 == kAarch64RegsBlockSize);

#if defined(__aarch64__)
static_assert(sizeof(struct user_pt_regs) == kAarch64PtRegsSize);
static_assert(offsetof(struct user_pt_regs, sp) == kA64Sp);
static_assert(offsetof(struct user_pt_regs, pc) == kA64Pc);
static_assert(offsetof(struct user_pt_regs, pstate) == kA64Pstate);
#endif

constexpr RegSlot q(std::uint16_t off) { return RegSlot{off, 8, false}; }
constexpr RegSlot d(std::uint16_t off) { return RegSlot{off, 4, false}; }
constexpr RegSlot d_signed(std::uint16_t off) { return RegSlot{off, 4, true}; }

// Values of the cs selector: the GDT entries Linux gives user code
// (arch/x86/include/asm/segment.h).
inline constexpr std::uint64_t kUser32Cs = 0x23;

}  // namespace ptk::host
