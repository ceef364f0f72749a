// A child made with CLONE_PTRACE: traced by whatever traces its parent, unasked. It prints
// "child done" and exits 7; the parent waits for it and prints its status.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[64 * 1024];

static int child(void* arg) {
  (void)arg;
  printf("child done\n");
  fflush(stdout);
  return 7;
}

int main(void) {
  pid_t pid = clone(child, stack + sizeof stack, CLONE_PTRACE | SIGCHLD, NULL);
  if (pid < 0) return 1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return 2;
  printf("child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
