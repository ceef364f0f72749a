// The signal family: sigaction, masks, alternate stacks, pending and queued signals,
// signalfd, then delivered signals (kill, tgkill, sigqueue, a fault, a child's exit, a
// seccomp SIGSYS) and their sigreturn; the legacy calls of i386 too. The first call is
// rt_sigaction(SIGUSR1, ...) (tests start there); everything is deterministic.
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void on_signal(int sig) { (void)sig; }
static void on_info(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)info;
  (void)ctx;
}
static sigjmp_buf jump;
static void on_fault(int sig) {
  (void)sig;
  siglongjmp(jump, 1);
}

#define P(x) ((long)(uintptr_t)(x))

int main(void) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGRTMIN);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, &old);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigfillset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, &old);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGPIPE, SIG_DFL);
  sigaction(SIGKILL, &sa, NULL);
  syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 8);
  syscall(SYS_rt_sigaction, SIGUSR1, 1, NULL, 8);
  syscall(SYS_rt_sigaction, SIGUSR1, NULL, 1, 8);
  syscall(SYS_rt_sigaction, 100, NULL, NULL, 8);

  sigset_t s, o;
  sigemptyset(&s);
  sigaddset(&s, SIGCHLD);
  sigprocmask(SIG_BLOCK, &s, &o);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  sigfillset(&s);
  sigprocmask(SIG_SETMASK, &s, &o);
  sigprocmask(SIG_SETMASK, &o, NULL);
  syscall(SYS_rt_sigprocmask, 5, NULL, &o, 8);
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &o, 4);
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, 1, 8);
  uint64_t m = (1ull << 41) - 1;  // 41 signals: shown as they are
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 8);
  m = (1ull << 42) - 1;  // 42 of 64: two thirds, shown as the complement
  syscall(SYS_rt_sigprocmask, SIG_BLOCK, &m, NULL, 8);
  sigemptyset(&s);
  sigprocmask(SIG_SETMASK, &s, NULL);

  static char stack[65536];
  stack_t ss, oss;
  ss.ss_sp = stack;
  ss.ss_size = sizeof stack;
  ss.ss_flags = 0;
  sigaltstack(&ss, &oss);
  sigaltstack(NULL, &oss);
  ss.ss_flags = SS_DISABLE;
  sigaltstack(&ss, NULL);
  ss.ss_flags = 0x12345;
  sigaltstack(&ss, NULL);
  syscall(SYS_sigaltstack, 1, NULL);

  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGRTMIN + 3);
  sigprocmask(SIG_BLOCK, &s, NULL);
  kill(getpid(), SIGUSR1);
  sigpending(&o);
  syscall(SYS_rt_sigpending, &o, 9);
  siginfo_t si;
  struct timespec ts = {0, 1000};
  sigtimedwait(&s, &si, &ts);
  sigtimedwait(&s, NULL, &ts);
  sigqueue(getpid(), SIGRTMIN + 3, (union sigval){.sival_int = 42});
  sigwaitinfo(&s, &si);
  syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
  sigwaitinfo(&s, &si);
  syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, 1);
  int fd = signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK);
  signalfd(fd, &s, 0);
  close(fd);
  syscall(SYS_signalfd4, -1, &s, 8, 0x1234);
  sigemptyset(&s);
  sigprocmask(SIG_SETMASK, &s, NULL);

  // Delivered signals, each followed by its sigreturn.
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  kill(getpid(), SIGUSR1);
  syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 7});
  sa.sa_handler = on_fault;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGSYS, &sa, NULL);
  if (!sigsetjmp(jump, 1)) *(volatile int*)8 = 1;
  // A child's exit: SIGCHLD stays blocked until the child is reaped, so that it is delivered
  // at a fixed point (the unblocking sigprocmask) whatever the scheduling.
  sigaddset(&s, SIGCHLD);
  sigprocmask(SIG_BLOCK, &s, NULL);
  pid_t p = fork();
  if (p == 0) _exit(3);
  waitpid(p, NULL, 0);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigprocmask(SIG_BLOCK, &s, NULL);
  kill(getpid(), SIGUSR1);
  sigemptyset(&s);
  sigsuspend(&s);

#ifdef __i386__
  // The legacy signal calls of i386: sigaction, signal, sigprocmask, sigpending, sgetmask,
  // ssetmask, sigsuspend (67, 48, 126, 73, 68, 69, 72).
  struct {
    uint32_t handler, mask, flags, restorer;
  } osa = {(uint32_t)(uintptr_t)on_signal, 1u << (SIGINT - 1), 0x10000000, 0}, oold;
  syscall(67, SIGUSR2, &osa, &oold);
  syscall(67, SIGUSR2, NULL, &oold);
  syscall(48, SIGUSR2, SIG_IGN);
  syscall(48, SIGUSR2, SIG_DFL);
  uint32_t m32 = 1u << (SIGUSR1 - 1), om32 = 0;
  syscall(126, SIG_BLOCK, &m32, &om32);
  syscall(126, 7, NULL, &om32);
  syscall(73, &om32);
  syscall(68);
  syscall(69, 0xffffffffu);
  syscall(69, 0);
  syscall(126, SIG_UNBLOCK, &m32, NULL);
  syscall(126, SIG_BLOCK, &m32, NULL);
  kill(getpid(), SIGUSR1);
  syscall(72, 0, 0, 0);
#endif

  // Last: a seccomp filter that makes getppid raise SIGSYS.
  if (!sigsetjmp(jump, 1)) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 5),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {4, f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
    // x0 = 0 on purpose: aarch64 skips a trapped syscall leaving x0 as it was (the kernel sets
    // -ENOSYS only for syscall number -1), so its "result" is whatever x0 held, here 0 in every
    // run instead of a leftover address that differs between strace's run and ptk's.
    syscall(__NR_getppid, 0);
  }
  return 0;
}
