// Stops itself: writes "before\n", raises SIGSTOP, and once continued writes "after\n" and
// exits 0.
#include <signal.h>
#include <unistd.h>

int main(void) {
  if (write(1, "before\n", 7) != 7) return 2;
  raise(SIGSTOP);
  if (write(1, "after\n", 6) != 6) return 3;
  return 0;
}
