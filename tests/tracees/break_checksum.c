/* break_checksum N: writes "ready", waits for a byte (or EOF) on stdin, then 2 threads each
 * call checksum_step N times (it also writes the global `watched`); writes "checksum C ok"
 * and exits 0 when C is right ("bad" and 2 otherwise). A debugger that lets go of it
 * mid-run must leave the sum intact. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile long watched;
static unsigned long sums[2];
static int n;

__attribute__((noinline)) unsigned long checksum_step(unsigned long acc, unsigned long i) {
  watched = (long)i;
  return acc * 31 + (i ^ (acc >> 7));
}

static unsigned long reference(void) {
  unsigned long acc = 1;
  for (unsigned long i = 0; i < (unsigned long)n; i++) {
    acc = acc * 31 + (i ^ (acc >> 7));
    __asm__ volatile("" : "+r"(acc)); /* computed without calls, kept out of the optimiser's way */
  }
  return acc;
}

static void* worker(void* arg) {
  long id = (long)arg;
  unsigned long acc = 1;
  for (unsigned long i = 0; i < (unsigned long)n; i++) acc = checksum_step(acc, i);
  sums[id] = acc;
  return NULL;
}

int main(int argc, char** argv) {
  n = argc > 1 ? atoi(argv[1]) : 20000;
  printf("ready\n");
  fflush(stdout);
  char c;
  if (read(0, &c, 1) < 0) return 1;
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  unsigned long want = reference();
  int ok = sums[0] == want && sums[1] == want;
  printf("checksum %lx %s\n", sums[0] ^ sums[1], ok ? "ok" : "bad");
  return ok ? 0 : 2;
}
