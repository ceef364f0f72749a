// A multi-threaded counter driven through stdin: `counter_threads N` starts N worker threads;
// each byte read from stdin makes the next worker (round-robin) write one line "count K\n" to
// stdout, and the main thread waits for it before reading the next byte. At EOF on stdin the
// workers are stopped, "done\n" is written and the program exits 0. No timing: every step is
// one byte from the test, so the output is one line per byte, in order, traced or not.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORKERS 8

struct worker {
  pthread_t thread;
  int request[2];  // main -> worker: the count to print
};

static int ack[2];  // workers -> main: the line is written

static int write_all(int fd, const void* buf, size_t len) {
  const char* p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static void* worker_main(void* arg) {
  struct worker* w = arg;
  int count;
  while (read(w->request[0], &count, sizeof count) == (ssize_t)sizeof count) {
    char line[32];
    int len = snprintf(line, sizeof line, "count %d\n", count);
    if (write_all(1, line, (size_t)len) != 0) exit(3);
    char done = 'k';
    if (write(ack[1], &done, 1) != 1) exit(4);
  }
  return NULL;
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2;
  if (n < 1 || n > MAX_WORKERS) return 2;
  struct worker workers[MAX_WORKERS];
  if (pipe(ack) != 0) return 2;
  for (int i = 0; i < n; ++i) {
    if (pipe(workers[i].request) != 0) return 2;
    if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) return 2;
  }
  char byte;
  int count = 0;
  while (read(0, &byte, 1) == 1) {
    ++count;
    struct worker* w = &workers[(count - 1) % n];
    if (write(w->request[1], &count, sizeof count) != (ssize_t)sizeof count) return 5;
    char done;
    if (read(ack[0], &done, 1) != 1) return 6;
  }
  for (int i = 0; i < n; ++i) {
    close(workers[i].request[1]);
    pthread_join(workers[i].thread, NULL);
  }
  return write_all(1, "done\n", 5) == 0 ? 0 : 7;
}
