// The x86_64 kernel's struct user_regs_struct, spelled out so that the tests of the x86 ABI
// tables (pure data) compile and run on any host: <sys/user.h> declares it only on x86_64,
// where it is checked to be the same.
#pragma once

#include <cstddef>

#if defined(__x86_64__)
#include <sys/user.h>
#endif

namespace ptk {

struct X86UserRegs {
  unsigned long long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
  unsigned long long orig_rax, rip, cs, eflags, rsp, ss, fs_base, gs_base, ds, es, fs, gs;
};
static_assert(sizeof(X86UserRegs) == 27 * 8);

#if defined(__x86_64__)
static_assert(sizeof(X86UserRegs) == sizeof(user_regs_struct));
static_assert(offsetof(X86UserRegs, orig_rax) == offsetof(user_regs_struct, orig_rax));
static_assert(offsetof(X86UserRegs, fs_base) == offsetof(user_regs_struct, fs_base));
static_assert(offsetof(X86UserRegs, gs) == offsetof(user_regs_struct, gs));
#endif

}  // namespace ptk
