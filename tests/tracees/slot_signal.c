/* slot_signal: a breakpoint target whose first instruction is a plain `nop` (so ptk runs it from
 * a scratch slot at a hit), and a SIGUSR1 handler. Prints "ready ADDR" (ADDR: slot_target), then
 * reads one-byte commands from stdin:
 *   c  calls slot_target and prints "called N handled M" (N calls, M SIGUSR1s handled so far);
 *   f  forks a child that blocks in read(2) on a pipe nobody writes, and prints "forked PID";
 * and exits 0 at EOF. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void slot_target(void);
__asm__(
    ".text\n"
    ".globl slot_target\n"
    ".type slot_target, @function\n"
    "slot_target:\n"
    "  nop\n"
    "  ret\n"
    ".size slot_target, .-slot_target\n");

static volatile sig_atomic_t handled;

static void on_usr1(int sig) {
  (void)sig;
  ++handled;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  int never[2];
  if (pipe(never) != 0) return 2;
  printf("ready %p\n", (void*)slot_target);
  fflush(stdout);
  int calls = 0;
  char c;
  while (read(0, &c, 1) == 1) {
    if (c == 'c') {
      slot_target();
      printf("called %d handled %d\n", ++calls, (int)handled);
    } else if (c == 'f') {
      pid_t child = fork();
      if (child == 0) {
        char x;
        (void)read(never[0], &x, 1);
        _exit(0);
      }
      printf("forked %d\n", (int)child);
    }
    fflush(stdout);
  }
  return 0;
}
