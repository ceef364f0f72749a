// The process family's calls around children: fork, vfork, clone, clone3, wait4, waitid and
// the wait statuses (exit, signal, stop, continue), execve/execveat failures, and last a
// successful execve of /bin/true. SIGCHLD stays blocked so that no signal lands between
// calls at a moment that depends on scheduling; every wait blocks until its child is done.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char child_stack[65536];
static int child_fn(void* arg) {
  (void)arg;
  return 5;
}

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGCHLD);
  sigprocmask(SIG_BLOCK, &block, NULL);

  int st;
  struct rusage ru;
  siginfo_t si;
  pid_t p = fork();
  if (p == 0) _exit(3);
  wait4(p, &st, 0, NULL);

  p = fork();
  if (p == 0) {
    pause();
    _exit(0);
  }
  kill(p, SIGKILL);
  wait4(p, &st, __WALL, &ru);

  // Stopped, continued (the child then waits to be killed, so that its continued state is
  // still there for waitid), killed.
  p = fork();
  if (p == 0) {
    raise(SIGSTOP);
    pause();
    _exit(0);
  }
  wait4(p, &st, WUNTRACED, NULL);
  kill(p, SIGCONT);
  memset(&si, 0, sizeof si);
  waitid(P_PID, p, &si, WCONTINUED);
  kill(p, SIGKILL);
  wait4(p, &st, 0, NULL);
  wait4(-1, &st, WNOHANG, NULL);
  wait4(-1, (int*)1, WNOHANG | WCONTINUED, NULL);

  p = fork();
  if (p == 0) {
    pause();
    _exit(0);
  }
  wait4(p, &st, WNOHANG, &ru);
  kill(p, SIGTERM);
  memset(&si, 0, sizeof si);
  waitid(P_PID, p, &si, WEXITED | WNOWAIT);
  memset(&si, 0, sizeof si);
  waitid(P_ALL, 0, &si, WEXITED);
  waitid(P_PGID, 0, &si, WEXITED);
  syscall(SYS_waitid, 7, 0, &si, WEXITED, NULL);
  p = fork();
  if (p == 0) _exit(9);
  memset(&si, 0, sizeof si);
  syscall(SYS_waitid, P_PID, p, &si, WEXITED, &ru);

  p = vfork();
  if (p == 0) _exit(4);
  waitpid(p, NULL, 0);

  p = clone(child_fn, child_stack + sizeof child_stack, CLONE_VM | SIGCHLD, NULL);
  waitpid(p, &st, 0);

  int ptid = 0;
  p = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, NULL, 0);
  if (p == 0) _exit(6);
  waitpid(p, &st, 0);
  syscall(SYS_clone, CLONE_NEWUSER | CLONE_THREAD, 0, NULL, NULL, 0);
#ifdef __i386__
  // i386 passes tls (a struct user_desc) before child_tidptr; an entry the GDT lacks fails.
  unsigned int desc[4] = {99, 0, 0xfffff, 0x51};
  syscall(SYS_clone, CLONE_SETTLS | SIGCHLD, 0, NULL, desc, NULL);
#endif

  struct clone_args ca;
  memset(&ca, 0, sizeof ca);
  ca.flags = CLONE_PARENT_SETTID;
  ca.exit_signal = SIGCHLD;
  ca.parent_tid = (uintptr_t)&ptid;
  p = syscall(SYS_clone3, &ca, sizeof ca);
  if (p == 0) _exit(8);
  waitpid(p, &st, 0);
  ca.flags = 0;
  p = syscall(SYS_clone3, &ca, 64);
  if (p == 0) _exit(8);
  waitpid(p, &st, 0);
  syscall(SYS_clone3, &ca, 8);
  syscall(SYS_clone3, 1, 88);
  ca.flags = ~0ull;
  syscall(SYS_clone3, &ca, sizeof ca);

  char* args[45];
  args[0] = "true";
  for (int i = 1; i < 44; ++i) args[i] = "arg";
  args[44] = NULL;
  char* envs[] = {"A=1", "B=2", NULL};
  syscall(SYS_execve, "/nonexistent", args, envs);
  syscall(SYS_execve, "/nonexistent", NULL, NULL);
  syscall(SYS_execve, "/nonexistent", 1, 1);
  syscall(SYS_execveat, AT_FDCWD, "/nonexistent", args, envs, AT_SYMLINK_NOFOLLOW);
  syscall(SYS_execveat, 99, "", args, envs, 0x6000);
  args[3] = NULL;
  execve("/bin/true", args, envs);
  return 1;
}
