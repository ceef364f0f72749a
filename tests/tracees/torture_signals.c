/* torture_signals N: counts SIGRTMIN as it comes (real-time signals queue, none merge): writes
 * "ready PID", waits until N have arrived, writes "got N" and exits 0. scripts/torture.py sends
 * them while ptk traces it: ptk must pass every one on. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_signal(int sig) {
  (void)sig;
  got++;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 10000;
  struct sigaction sa = {0};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGRTMIN, &sa, NULL);
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &block, &old);
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  while (got < n) sigsuspend(&old); /* no signal is lost between the test and the wait */
  printf("got %d\n", (int)got);
  return 0;
}
