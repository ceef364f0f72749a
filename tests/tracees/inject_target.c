// The target of injection tests and example 8: a deterministic checksum driven through stdin.
// Each byte read from stdin updates an integer and a floating-point checksum, and one line
// "step K sum=S fsum=F" is printed; at EOF "final sum=S fsum=F" and exit 0. Between steps the
// program blocks in read(0), where the tests attach and inject. Whatever ptk runs in it, the
// output must be that of an uninjected run with the same input (lines the injected code
// prints itself aside).
//   inject_target [N]   N more threads (default 0) that compute the same checksums over the
//                       same bytes (handed over through a pipe each) and must agree.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 8

struct sums {
  uint32_t sum;
  double fsum;
};

static void step(struct sums* s, unsigned char byte) {
  s->sum = s->sum * 31u + byte;
  s->fsum = s->fsum * 0.5 + byte / 3.0;
}

struct worker {
  pthread_t id;
  int in[2];   // bytes from main
  int out[2];  // the worker's sum after each byte
};

static void* worker_main(void* arg) {
  struct worker* w = arg;
  struct sums s = {7, 0.0};
  unsigned char byte;
  while (read(w->in[0], &byte, 1) == 1) {
    step(&s, byte);
    if (write(w->out[1], &s, sizeof s) != (ssize_t)sizeof s) exit(4);
  }
  return NULL;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n < 0 || n > MAX_THREADS) return 2;
  struct worker workers[MAX_THREADS];
  for (int i = 0; i < n; ++i) {
    if (pipe(workers[i].in) != 0 || pipe(workers[i].out) != 0) return 2;
    if (pthread_create(&workers[i].id, NULL, worker_main, &workers[i]) != 0) return 2;
  }
  struct sums s = {7, 0.0};
  unsigned char byte;
  int k = 0;
  while (read(0, &byte, 1) == 1) {
    step(&s, byte);
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
    printf("step %d sum=%u fsum=%.17g\n", k, s.sum, s.fsum);
    fflush(stdout);
  }
  for (int i = 0; i < n; ++i) {
    close(workers[i].in[1]);
    pthread_join(workers[i].id, NULL);
  }
  printf("final sum=%u fsum=%.17g\n", s.sum, s.fsum);
  return 0;
}
