// The target of the restore-proof tests: a deterministic checksum over the bytes of stdin,
// with blocking syscalls between the steps (poll and read on stdin, nanosleep of 0 or 0.5 ms,
// pipe round trips to worker threads) and floating-point state (SSE, x87 on i386) live
// across them. Prints "ready" once set up, "final ..." at EOF. Its output depends only on the
// bytes read: whatever ptk injects in between must leave it unchanged.
//   inject_checksum [N]   N worker threads (0..8) that compute the same sums and must agree.
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 8

struct sums {
  uint32_t sum;
  double fsum;
};

// Enough work per byte that an injection often lands in user code, not only in a syscall.
static void step(struct sums* s, unsigned char byte) {
  for (int i = 0; i < 2000; ++i) {
    s->sum = s->sum * 31u + byte + (uint32_t)i;
    s->fsum = s->fsum * 0.999 + (byte + i) / 3.0;
  }
}

static void pause_for(unsigned char byte) {
  struct timespec ts = {0, (byte & 1) ? 500000 : 0};
  nanosleep(&ts, NULL);
}

struct worker {
  pthread_t id;
  int in[2];
  int out[2];
};

static void* worker_main(void* arg) {
  struct worker* w = arg;
  struct sums s = {7, 0.0};
  unsigned char byte = 0;
  // glibc gives a thread its own malloc arena (a 64 MiB reservation, never unmapped) at its
  // first malloc: made now, not by the first injected dlopen in this thread. Then "set up".
  void* volatile block = malloc(1);  // volatile: gcc drops a plain malloc/free pair
  free(block);
  if (write(w->out[1], &byte, 1) != 1) exit(4);
  while (read(w->in[0], &byte, 1) == 1) {
    step(&s, byte);
    pause_for(byte);
    if (write(w->out[1], &s, sizeof s) != (ssize_t)sizeof s) exit(4);
  }
  return NULL;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n < 0 || n > MAX_THREADS) return 2;
  // Every function of the loop called once before the threads start and "ready": lazy PLT
  // binding is done (a thread stopped inside the dynamic linker's symbol lookup would make an
  // injected dlclose wait for it forever), stdio's buffer is allocated, so the process maps
  // nothing new after the test's first look at its maps.
  struct sums s = {7, 0.0};
  struct pollfd pfd = {0, POLLIN, 0};
  unsigned char byte = 0;
  pause_for(0);
  (void)poll(&pfd, 1, 0);
  if (read(0, &byte, 0) != 0 || write(1, &byte, 0) != 0) return 2;
  if (memcmp(&s, &s, sizeof s) != 0) return 2;
  struct worker workers[MAX_THREADS];
  for (int i = 0; i < n; ++i) {
    if (pipe(workers[i].in) != 0 || pipe(workers[i].out) != 0) return 2;
    if (pthread_create(&workers[i].id, NULL, worker_main, &workers[i]) != 0) return 2;
  }
  for (int i = 0; i < n; ++i) {
    if (read(workers[i].out[0], &byte, 1) != 1) return 2;
  }
  printf("ready\n");
  fflush(stdout);
  int k = 0;
  for (;;) {
    if (poll(&pfd, 1, -1) != 1) return 3;
    if (read(0, &byte, 1) != 1) break;
    step(&s, byte);
    pause_for(byte);
    ++k;
    for (int i = 0; i < n; ++i) {
      struct sums theirs;
      if (write(workers[i].in[1], &byte, 1) != 1) return 5;
      if (read(workers[i].out[0], &theirs, sizeof theirs) != (ssize_t)sizeof theirs) return 6;
      if (theirs.sum != s.sum || memcmp(&theirs.fsum, &s.fsum, sizeof s.fsum) != 0) {
        printf("thread %d disagrees at step %d\n", i, k);
        return 7;
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    close(workers[i].in[1]);
    pthread_join(workers[i].id, NULL);
  }
  printf("final steps=%d sum=%u fsum=%.17g\n", k, s.sum, s.fsum);
  return 0;
}
