/* torture_vfork N: writes "ready PID", waits for a byte on stdin, then N times vfork()s a child
 * that execs /bin/true and waits for it; writes "done N" (the children that ended well) and
 * exits 0 when all did. scripts/torture.py stops ptk in the middle of it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100;
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  char c;
  if (read(0, &c, 1) < 0) return 1;
  int good = 0;
  for (int i = 0; i < n; i++) {
    pid_t pid = vfork();
    if (pid == 0) {
      execl("/bin/true", "true", (char*)NULL);
      _exit(127);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0) {
      good++;
    }
  }
  printf("done %d\n", good);
  return good == n ? 0 : 2;
}
