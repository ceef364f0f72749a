// A program `ptk calls -p` attaches to: writes "ready\n", then for each of 3 bytes read from
// stdin makes a few library calls and prints "round N len L" (L = strlen of a word); then (or
// at EOF) it prints "done N" and exits 0. A breakpoint left behind would kill it with SIGTRAP.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char g_word[] = "attached";

int main(void) {
  if (write(1, "ready\n", 6) != 6) return 3;
  int rounds = 0;
  char byte;
  while (rounds < 3 && read(0, &byte, 1) == 1) {
    ++rounds;
    printf("round %d len %zu\n", rounds, strlen(g_word));
    fflush(stdout);
  }
  printf("done %d\n", rounds);
  return 0;
}
