// A child made with CLONE_PARENT: a sibling of this process, so the child of whatever started
// it (ptk's tracer, which does not trace it without -f) and reaped there. This process prints
// the child's pid, then waits until the child is reaped (kill(pid, 0) fails) and exits 0.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>

static char stack[64 * 1024];

static int child(void* arg) {
  (void)arg;
  return 42;
}

int main(void) {
  pid_t pid = clone(child, stack + sizeof stack, CLONE_PARENT | SIGCHLD, NULL);
  if (pid < 0) return 1;
  printf("%d\n", (int)pid);
  fflush(stdout);
  while (kill(pid, 0) == 0) {
  }
  return errno == ESRCH ? 0 : 2;
}
