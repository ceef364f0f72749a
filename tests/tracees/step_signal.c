// Raises SIGUSR1 with a handler installed and exits 0 only if the handler ran: a stepper must
// pass the signal on (and steps through `handler` on the way).
#include <signal.h>

static volatile sig_atomic_t got;

__attribute__((noinline)) static void handler(int sig) { got = sig; }

int main(void) {
  signal(SIGUSR1, handler);
  raise(SIGUSR1);
  return got == SIGUSR1 ? 0 : 3;
}
