// Watchpoint target. Announces its watchable objects with a sentinel write(-1, table, size)
// (fails with EBADF; the tracer reads the table at the syscall entry), then, in its main
// thread or (argument "thread") in a thread created after the announcement:
//   writes counter = 1..5, reads it back after each write, calls touch() after each;
// and exits with the sum of what it read plus touch()'s count (15 + 5 = 20), so a tracer that
// corrupted it shows. `wide` is written once (8 bytes on 64-bit, 4 on 32-bit).
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

volatile uint32_t counter;
volatile uintptr_t wide;
volatile unsigned char bytes[8];
static volatile int touches;

__attribute__((noinline)) void touch(void) { touches = touches + 1; }

static void* work(void* arg) {
  (void)arg;
  uint32_t sum = 0;
  for (uint32_t i = 1; i <= 5; ++i) {
    counter = i;
    sum += counter;
    touch();
  }
  wide = (uintptr_t)0x1122334455667788ULL;
  return (void*)(uintptr_t)(sum + (uint32_t)touches);
}

int main(int argc, char** argv) {
  uint64_t table[4] = {(uintptr_t)&counter, (uintptr_t)&wide, (uintptr_t)&touch,
                       (uintptr_t)&bytes[0]};
  if (write(-1, table, sizeof table) != -1) return 100;
  void* result = NULL;
  if (argc > 1 && strcmp(argv[1], "thread") == 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, work, NULL) != 0) return 101;
    pthread_join(t, &result);
  } else {
    result = work(NULL);
  }
  return (int)(uintptr_t)result;
}
