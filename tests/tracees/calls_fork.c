// fork(): the child prints "child PID" and exits 7 with exit(); the parent waits for it and
// prints "parent PID status 7". Both use puts/printf, for `ptk calls -f`.
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  fflush(stdout);
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    printf("child %d\n", getpid());
    fflush(stdout);
    exit(7);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) return 1;
  printf("parent %d status %d\n", getpid(), WEXITSTATUS(status));
  return 0;
}
