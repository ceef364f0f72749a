// The aarch64 lane's ptrace smoke test (static, so it needs nothing from the guest's root): a
// child under PTRACE_TRACEME makes a known number of getppid calls; the parent stops it at every
// syscall entry and exit (PTRACE_SYSCALL) and reads its registers the only way aarch64 offers,
// PTRACE_GETREGSET with NT_PRSTATUS, where x8 is the syscall number. Exits 0 only when every
// getppid was seen at entry and the register set had its full aarch64 size.
#ifndef __aarch64__
#error "tracer.c reads aarch64 registers; build it for aarch64"
#endif
#include <asm/ptrace.h>
#include <elf.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kCalls = 7 };

static void child(void) {
  ptrace(PTRACE_TRACEME, 0, 0, 0);
  raise(SIGSTOP);
  for (int i = 0; i < kCalls; i++) syscall(SYS_getppid);
  _exit(0);
}

int main(void) {
  pid_t pid = fork();
  if (pid == 0) child();
  int status;
  waitpid(pid, &status, 0);
  ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
  int stops = 0, getppid_entries = 0, entering = 1;
  size_t regs_size = 0;
  for (;;) {
    ptrace(PTRACE_SYSCALL, pid, 0, 0);
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80)) continue;
    stops++;
    struct user_pt_regs regs;
    struct iovec iov = {&regs, sizeof regs};
    if (ptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov) != 0) {
      perror("PTRACE_GETREGSET");
      return 1;
    }
    regs_size = iov.iov_len;
    if (entering && regs.regs[8] == SYS_getppid) getppid_entries++;
    entering = !entering;
  }
  printf("tracer: %d syscall stops, %d of %d getppid entries, NT_PRSTATUS %zu of %zu bytes\n",
         stops, getppid_entries, kCalls, regs_size, sizeof(struct user_pt_regs));
  return getppid_entries == kCalls && regs_size == sizeof(struct user_pt_regs) ? 0 : 1;
}
