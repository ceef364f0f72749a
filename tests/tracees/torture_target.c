/* torture_target N: the target of scripts/torture.py's trials. Starts 2 threads, writes "ready
 * PID" (its mappings are then what they stay: the threads exist), waits for a byte on stdin,
 * then the 2 threads each run N rounds of: checksum_step (a breakpoint target), a
 * libc call (strtol, for ptk calls) and an openat of "/dev/null" (for a rewrite rule that
 * borrows memory for a longer path). Writes "checksum C ok" when every thread's sum and
 * every open were right ("bad" otherwise), then waits for EOF on stdin before it exits 0 (2 if
 * bad): the harness compares its memory with what it was before the trial meanwhile. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned long sums[2];
static int failures[2];
static int n;
static int go_pipe[2];

__attribute__((noinline)) unsigned long checksum_step(unsigned long acc, unsigned long i) {
  return acc * 31 + (i ^ (acc >> 7));
}

static unsigned long reference(void) {
  unsigned long acc = 1;
  for (unsigned long i = 0; i < (unsigned long)n; i++) {
    acc = acc * 31 + (i ^ (acc >> 7));
    __asm__ volatile("" : "+r"(acc)); /* computed without calls */
  }
  return acc;
}

static void* worker(void* arg) {
  long id = (long)arg;
  char c;
  if (read(go_pipe[0], &c, 1) != 1) return NULL;
  unsigned long acc = 1;
  for (unsigned long i = 0; i < (unsigned long)n; i++) {
    acc = checksum_step(acc, i);
    if (strtol("42", NULL, 10) != 42) failures[id]++;
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || close(fd) != 0) failures[id]++;
  }
  sums[id] = acc;
  return NULL;
}

int main(int argc, char** argv) {
  n = argc > 1 ? atoi(argv[1]) : 20000;
  if (pipe(go_pipe) != 0) return 1;
  pthread_t t[2];
  for (long i = 0; i < 2; i++) pthread_create(&t[i], NULL, worker, (void*)i);
  printf("ready %d\n", (int)getpid());
  fflush(stdout);
  char c;
  if (read(0, &c, 1) < 0 || write(go_pipe[1], "gg", 2) != 2) return 1;
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
  unsigned long want = reference();
  int ok = sums[0] == want && sums[1] == want && failures[0] == 0 && failures[1] == 0;
  printf("checksum %lx %s\n", sums[0] ^ sums[1], ok ? "ok" : "bad");
  fflush(stdout);
  while (read(0, &c, 1) > 0) {
  }
  return ok ? 0 : 2;
}
