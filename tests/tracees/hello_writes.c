// Writes two known lines with write(2), then exits 0: for the write() examples and tests.
#include <string.h>
#include <unistd.h>

int main(void) {
  const char* lines[] = {"hello, ptrace\n", "second line!\n"};
  for (int i = 0; i < 2; ++i) {
    if (write(1, lines[i], strlen(lines[i])) < 0) return 1;
  }
  return 0;
}
