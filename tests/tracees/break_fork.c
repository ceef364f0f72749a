/* break_fork: forks; the child calls fork_target 3 times and exits 0 when its sum is right,
 * the parent waits for it, calls fork_target 2 times, and exits 0 when both sums were right
 * (a breakpoint the child inherits but nobody handles would kill it with SIGTRAP). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

volatile long sink;

__attribute__((noinline)) void fork_target(int i) { sink += i; }

static int calls(int n) {
  sink = 0;
  for (int i = 1; i <= n; ++i) fork_target(i);
  return sink == (long)n * (n + 1) / 2;
}

int main(void) {
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) _exit(calls(3) ? 0 : 3);
  int status = 0;
  if (waitpid(child, &status, 0) != child) return 1;
  int ok = calls(2);
  printf("child %s, parent %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "bad",
         ok ? "ok" : "bad");
  return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 2;
}
