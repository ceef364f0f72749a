// A child that exits only once its parent is asleep in wait4, so that the parent's SIGCHLD
// (ignored by default) is sent while the parent is inside that syscall, on every run: the
// child reads /proc/PPID/syscall until it names wait4. The parent calls getpid before the fork
// and after the wait, and exits 0 when the child exited 3.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Whether the process `pid` is in the syscall `nr` now (proc(5): /proc/PID/syscall).
static int in_syscall(pid_t pid, long nr) {
  char path[64], text[64] = {0};
  snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) _exit(4);
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 && strtol(text, NULL, 10) == nr;
}

int main(void) {
  syscall(SYS_getpid);
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    pid_t parent = getppid();
    while (!in_syscall(parent, SYS_wait4)) {
    }
    _exit(3);
  }
  int status = 0;
  if (wait4(child, &status, 0, NULL) != child) return 1;
  syscall(SYS_getpid);
  return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : 1;
}
