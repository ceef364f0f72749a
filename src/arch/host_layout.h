// Byte offsets of each register in the x86_64 host transport block (struct user_regs_struct
// from <sys/user.h>). Both ABIs' tables are written over these, so they live in one place.
#pragma once

#include <sys/user.h>

#include <cstddef>

#include "ptk/arch/arch.h"
#include "ptk/arch/registers.h"

namespace ptk::host {

static_assert(sizeof(user_regs_struct) == kHostRegsSize);

#define PTK_HOST_OFFSET(reg) static_cast<std::uint16_t>(offsetof(user_regs_struct, reg))
inline constexpr std::uint16_t kR15 = PTK_HOST_OFFSET(r15), kR14 = PTK_HOST_OFFSET(r14),
                               kR13 = PTK_HOST_OFFSET(r13), kR12 = PTK_HOST_OFFSET(r12),
                               kRbp = PTK_HOST_OFFSET(rbp), kRbx = PTK_HOST_OFFSET(rbx),
                               kR11 = PTK_HOST_OFFSET(r11), kR10 = PTK_HOST_OFFSET(r10),
                               kR9 = PTK_HOST_OFFSET(r9), kR8 = PTK_HOST_OFFSET(r8),
                               kRax = PTK_HOST_OFFSET(rax), kRcx = PTK_HOST_OFFSET(rcx),
                               kRdx = PTK_HOST_OFFSET(rdx), kRsi = PTK_HOST_OFFSET(rsi),
                               kRdi = PTK_HOST_OFFSET(rdi), kOrigRax = PTK_HOST_OFFSET(orig_rax),
                               kRip = PTK_HOST_OFFSET(rip), kCs = PTK_HOST_OFFSET(cs),
                               kEflags = PTK_HOST_OFFSET(eflags), kRsp = PTK_HOST_OFFSET(rsp),
                               kSs = PTK_HOST_OFFSET(ss), kFsBase = PTK_HOST_OFFSET(fs_base),
                               kGsBase = PTK_HOST_OFFSET(gs_base), kDs = PTK_HOST_OFFSET(ds),
                               kEs = PTK_HOST_OFFSET(es), kFs = PTK_HOST_OFFSET(fs),
                               kGs = PTK_HOST_OFFSET(gs);
#undef PTK_HOST_OFFSET

constexpr RegSlot q(std::uint16_t off) { return RegSlot{off, 8, false}; }
constexpr RegSlot d(std::uint16_t off) { return RegSlot{off, 4, false}; }
constexpr RegSlot d_signed(std::uint16_t off) { return RegSlot{off, 4, true}; }

// Values of the cs selector: the GDT entries Linux gives user code
// (arch/x86/include/asm/segment.h).
inline constexpr std::uint64_t kUser32Cs = 0x23;

}  // namespace ptk::host
