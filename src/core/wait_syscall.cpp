// wait4_any_unless / cancel_wait_in: see wait_syscall.h.
#include "wait_syscall.h"

#include <sys/wait.h>
#include <ucontext.h>

#include <cerrno>
#include <cstdint>

#if defined(__x86_64__)

extern "C" {
long ptk_wait4_any_unless(const volatile std::sig_atomic_t* flag, int* status,
                          struct rusage* usage);
extern const char ptk_wait4_window[], ptk_wait4_window_end[], ptk_wait4_called_off[];
}

// [ptk_wait4_window, ptk_wait4_window_end) holds the look at the flag up to and including the
// syscall instruction. An interrupted wait4 that the kernel will restart (SA_RESTART) also
// resumes at the syscall instruction, so it is called off too; one that returned (a result,
// or -EINTR) resumes at ptk_wait4_window_end and keeps what it returned.
// The C arguments come in %rdi, %rsi, %rdx (flag, status, usage); the kernel takes wait4's in
// %rdi, %rsi, %rdx, %r10 (pid, status, options, rusage: the syscall ABI uses %r10 where the C
// ABI has %rcx, which the syscall instruction overwrites). So `usage` moves from %rdx to %r10
// before %rdx is loaded with the options.
asm(R"(
    .text
    .globl ptk_wait4_any_unless, ptk_wait4_window, ptk_wait4_window_end, ptk_wait4_called_off
    .hidden ptk_wait4_any_unless, ptk_wait4_window, ptk_wait4_window_end, ptk_wait4_called_off
    .type ptk_wait4_any_unless, @function
ptk_wait4_any_unless:
    .cfi_startproc
ptk_wait4_window:
    cmpl $0, (%rdi)             # the flag (sig_atomic_t is an int)
    jne ptk_wait4_called_off
    movq $-1, %rdi              # pid: any child or tracee
                                # status: already in %rsi
    movq %rdx, %r10             # rusage: the third C argument (NULL: none)
    movl $0x40000000, %edx      # options: __WALL
    movl $61, %eax              # __NR_wait4
    syscall
ptk_wait4_window_end:
    ret
ptk_wait4_called_off:
    movq $-4, %rax              # -EINTR
    ret
    .cfi_endproc
    .size ptk_wait4_any_unless, .-ptk_wait4_any_unless
)");

namespace ptk::detail {

long wait4_any_unless(const volatile std::sig_atomic_t* flag, int* status, struct rusage* usage) {
  static_assert(sizeof(std::sig_atomic_t) == 4, "the routine compares 32 bits");
  return ptk_wait4_any_unless(flag, status, usage);
}

void cancel_wait_in(void* ucontext) {
  auto* uc = static_cast<ucontext_t*>(ucontext);
  greg_t& ip = uc->uc_mcontext.gregs[REG_RIP];
  auto at = static_cast<std::uintptr_t>(ip);
  if (at >= reinterpret_cast<std::uintptr_t>(ptk_wait4_window) &&
      at < reinterpret_cast<std::uintptr_t>(ptk_wait4_window_end)) {
    ip = static_cast<greg_t>(reinterpret_cast<std::uintptr_t>(ptk_wait4_called_off));
  }
}

}  // namespace ptk::detail

#else

namespace ptk::detail {

long wait4_any_unless(const volatile std::sig_atomic_t* flag, int* status, struct rusage* usage) {
  if (*flag) return -EINTR;
  pid_t tid = ::wait4(-1, status, __WALL, usage);
  return tid >= 0 ? tid : -errno;
}

void cancel_wait_in(void*) {}

}  // namespace ptk::detail

#endif
