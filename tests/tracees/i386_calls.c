// Exercises the i386-only syscalls for trace_i386_test: socketcall and ipc multiplexers, old
// mmap, _llseek, old select, waitpid, the old signal calls, and thread areas. The 64-bit build
// only exits: x86_64 has none of these.
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __i386__
#include <asm/ldt.h>
#include <fcntl.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void handler(int sig) { (void)sig; }

static void i386_calls(void) {
  // socketcall: shown under the sub-call's name.
  unsigned long a[6] = {AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0};
  long fd = syscall(SYS_socketcall, SYS_SOCKET, a);
  int one = 1;
  unsigned long so[5] = {(unsigned long)fd, SOL_SOCKET, SO_REUSEADDR, (unsigned long)&one, 4};
  syscall(SYS_socketcall, SYS_SETSOCKOPT, so);
  unsigned long sn[4] = {(unsigned long)fd, (unsigned long)"hi", 2, MSG_DONTWAIT};
  syscall(SYS_socketcall, SYS_SEND, sn);
  char buf[8];
  unsigned long rv[4] = {(unsigned long)fd, (unsigned long)buf, sizeof buf, MSG_DONTWAIT};
  syscall(SYS_socketcall, SYS_RECV, rv);
  unsigned long sh[2] = {(unsigned long)fd, SHUT_RDWR};
  syscall(SYS_socketcall, SYS_SHUTDOWN, sh);
  syscall(SYS_socketcall, SYS_SOCKET, (void*)16);
  syscall(SYS_socketcall, 99, a);
  close((int)fd);

  // ipc: shown under the sub-call's name.
  long id = syscall(SYS_ipc, 2 /* SEMGET */, IPC_PRIVATE, 1, IPC_CREAT | 0600, 0, 0);
  syscall(SYS_ipc, 3 /* SEMCTL */, id, 0, IPC_RMID, 0, 0);
  syscall(SYS_ipc, 13 /* MSGGET */, IPC_PRIVATE, IPC_CREAT | 0600, 0, 0, 0);
  syscall(SYS_ipc, 23 /* SHMGET */, IPC_PRIVATE, 4096, IPC_CREAT | 0600, 0, 0);
  syscall(SYS_ipc, 22 /* SHMDT */, 0, 0, 0, (void*)0x1000, 0);

  // Old mmap takes its arguments in memory.
  unsigned long m[6] = {
      0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0};
  long p = syscall(SYS_mmap, m);
  munmap((void*)p, 4096);
  syscall(SYS_mmap, (void*)16);

  // _llseek: the offset in two halves, the result through a pointer.
  int f = open("/dev/zero", O_RDONLY);
  long long res = 0;
  syscall(SYS__llseek, f, 1, 2, &res, SEEK_SET);
  syscall(SYS__llseek, f, 0, 0, &res, SEEK_CUR);
  syscall(SYS__llseek, f, 0, 0, (void*)16, SEEK_END);
  syscall(SYS__llseek, -1, 0, 0, &res, 7);
  close(f);

  // waitpid and the old signal calls.
  syscall(SYS_waitpid, -1, 0, WNOHANG);
  syscall(SYS_signal, SIGUSR1, handler);
  syscall(SYS_signal, SIGUSR1, SIG_IGN);
  syscall(SYS_sgetmask);
  syscall(SYS_ssetmask, 0);
  unsigned long oldset = 0, newset = 1ul << (SIGUSR2 - 1);
  syscall(SYS_sigprocmask, SIG_BLOCK, &newset, &oldset);
  syscall(SYS_sigprocmask, SIG_SETMASK, &oldset, 0);
  syscall(SYS_sigpending, &oldset);

  // Thread areas.
  struct user_desc ud;
  memset(&ud, 0, sizeof ud);
  ud.entry_number = 12;
  syscall(SYS_get_thread_area, &ud);
  ud.entry_number = 9999;
  syscall(SYS_get_thread_area, &ud);
  syscall(SYS_get_thread_area, (void*)16);
}
#endif

int main(void) {
#ifdef __i386__
  i386_calls();
#endif
  return 0;
}
