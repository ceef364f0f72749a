// Ends in a chosen way: `exit_with exit N` exits with N, `exit_with signal N` dies by signal N
// (with its default action, and no core file), for the exit-status tests.
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int main(int argc, char** argv) {
  if (argc != 3) return 100;
  int n = atoi(argv[2]);
  if (strcmp(argv[1], "exit") == 0) return n;
  if (strcmp(argv[1], "signal") != 0) return 101;
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(n, SIG_DFL);
  raise(n);
  return 102;  // not reached for a fatal signal
}
