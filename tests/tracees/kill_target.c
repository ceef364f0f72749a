/* kill_target: busy work for the tests that SIGKILL a tracee while ptk acts on it. Prints
 * "ready PID" and then, forever, calls kill_step (a breakpoint target: its first instruction is a
 * plain `nop`, run from a scratch slot at a hit) and a libc function (getppid), with a second
 * thread doing the same: every moment there is a breakpoint hit, a single-step, a syscall or
 * a library call under way. `kill_target wait` prints "ready PID" and blocks in read(2) instead,
 * for ptk inject and ptk call to act on. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void kill_step(void);
__asm__(
    ".text\n"
    ".globl kill_step\n"
    ".type kill_step, @function\n"
    "kill_step:\n"
    "  nop\n"
    "  ret\n"
    ".size kill_step, .-kill_step\n");

static volatile unsigned long sink;

static void* work(void* arg) {
  (void)arg;
  for (;;) {
    kill_step();
    sink += (unsigned long)getppid();
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "wait") == 0) {
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    char c;
    while (read(0, &c, 1) == 1) {
    }
    return 0;
  }
  pthread_t other;
  if (pthread_create(&other, NULL, work, NULL) != 0) return 2;
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  work(NULL);
  return 0;
}
