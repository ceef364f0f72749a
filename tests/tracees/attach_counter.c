// The target of the article's examples 6 and 7: a loop that prints a counter, and after each
// line waits for one byte on stdin (where the tests attach); at EOF it prints a result that
// depends on every step ("result S") and exits 0. A tracer that harmed it (a lost or doubled
// step, a clobbered register) shows in the result.
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  uint32_t sum = 7;
  char byte = 0;
  for (uint32_t i = 1;; ++i) {
    sum = sum * 31u + i + (uint32_t)(unsigned char)byte;
    printf("counter %u\n", i);
    fflush(stdout);
    if (read(0, &byte, 1) != 1) break;
  }
  printf("result %u\n", sum);
  return 0;
}
