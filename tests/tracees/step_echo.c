// For stepping an attached process: says "ready", then echoes each byte of stdin to stdout
// until EOF (exit 0). Without arguments it spins between reads (busy, checking stdin with a
// zero-timeout poll); with "block" it waits in read(2), to be stepped while blocked.
#include <poll.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int block = argc > 1 && strcmp(argv[1], "block") == 0;
  if (write(1, "ready\n", 6) != 6) return 1;
  volatile unsigned long spin = 0;
  for (;;) {
    if (!block) {
      for (int i = 0; i < 100000; ++i) spin = spin + 1;
      struct pollfd p = {.fd = 0, .events = POLLIN, .revents = 0};
      if (poll(&p, 1, 0) <= 0) continue;
    }
    char c;
    if (read(0, &c, 1) != 1) return 0;
    if (write(1, &c, 1) != 1) return 1;
  }
}
