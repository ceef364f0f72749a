// Reads and changes its own CPU affinity between stretches of plain user code and writes what
// it sees, one line each: run under `ptk step`, which pins the stepped thread to its own CPU
// between syscalls, it must write exactly what it writes untraced. No stdio, so that stepping
// it from main stays short.
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <unistd.h>

enum { kMaxCpu = 64 };

static volatile unsigned sink;

// A stretch without syscalls, long enough for ptk to have re-pinned the thread.
static void user_work(void) {
  for (unsigned i = 0; i < 100; ++i) sink += i;
}

static int put_number(char* out, int value) {
  char digits[12];
  int n = 0;
  do {
    digits[n++] = (char)('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (int i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return n;
}

// "LABEL: cpus 0 1\n"
static void report(const char* label) {
  cpu_set_t set;
  char line[16 + 4 * kMaxCpu];
  int n = 0;
  size_t len = strlen(label);
  memcpy(line, label, len);
  n += (int)len;
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    memcpy(line + n, ": error\n", 8);
    n += 8;
  } else {
    memcpy(line + n, ": cpus", 6);
    n += 6;
    for (int cpu = 0; cpu < kMaxCpu; ++cpu) {
      if (!CPU_ISSET(cpu, &set)) continue;
      line[n++] = ' ';
      n += put_number(line + n, cpu);
    }
    line[n++] = '\n';
  }
  (void)!write(1, line, (size_t)n);
}

int main(void) {
  cpu_set_t original;
  if (sched_getaffinity(0, sizeof original, &original) != 0) return 1;
  user_work();
  report("start");
  // The program's own choice of one CPU, each in turn, must stick.
  for (int cpu = 0; cpu < kMaxCpu; ++cpu) {
    if (!CPU_ISSET(cpu, &original)) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) return 2;
    user_work();
    report("own choice");
  }
  if (sched_setaffinity(0, sizeof original, &original) != 0) return 3;
  user_work();
  report("end");
  return 0;
}
