// A program that blocks in a syscall while ptk injects into it, and then says how the call
// ended. It prints "ready\n" and then:
//   inject_blocked read       reads stdin in a loop: "read N: DATA" per read, "read
//                             interrupted" for EINTR, "eof" at the end (exit 0);
//   inject_blocked sleep MS   nanosleep(MS) measured with CLOCK_MONOTONIC: "slept ok" when it
//                             returned 0 after at least MS, else "slept short ..." (exit 0);
//   inject_blocked threads N  N threads blocked in read on a pipe of their own, the main thread
//                             in the read loop above; at EOF the threads are released and
//                             joined: "joined N".
// SIGUSR1 and SIGUSR2 have handlers (without SA_RESTART) that print "got SIGUSR1"/"got SIGUSR2".
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16

static void say(const char* text) {
  size_t len = strlen(text);
  if (write(1, text, len) != (ssize_t)len) _exit(3);
}

static void on_signal(int sig) { say(sig == SIGUSR1 ? "got SIGUSR1\n" : "got SIGUSR2\n"); }

static int read_loop(void) {
  char buf[64];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf - 1);
    if (n < 0 && errno == EINTR) {
      say("read interrupted\n");
      continue;
    }
    if (n <= 0) break;
    buf[n] = 0;
    char line[96];
    snprintf(line, sizeof line, "read %d: %s\n", (int)n, buf);
    say(line);
  }
  say("eof\n");
  return 0;
}

static int sleep_for(long ms) {
  struct timespec req = {ms / 1000, (ms % 1000) * 1000000L}, t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  say("ready\n");
  int rc = nanosleep(&req, NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long slept = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  long long wanted = ms * 1000000LL;
  char line[128];
  if (rc == 0 && slept >= wanted) {
    say("slept ok\n");
  } else {
    snprintf(line, sizeof line, "slept short: rc=%d errno=%d slept_ns=%lld wanted_ns=%lld\n", rc,
             rc ? errno : 0, slept, wanted);
    say(line);
  }
  return 0;
}

static int pipes[MAX_THREADS][2];

static void* blocked_thread(void* arg) {
  int* fds = arg;
  char c;
  while (read(fds[0], &c, 1) < 0 && errno == EINTR) {
  }
  return NULL;
}

static int threads(int n) {
  pthread_t ids[MAX_THREADS];
  for (int i = 0; i < n; ++i) {
    if (pipe(pipes[i]) != 0 || pthread_create(&ids[i], NULL, blocked_thread, pipes[i]) != 0) {
      return 2;
    }
  }
  say("ready\n");
  read_loop();
  for (int i = 0; i < n; ++i) {
    close(pipes[i][1]);
    pthread_join(ids[i], NULL);
  }
  char line[32];
  snprintf(line, sizeof line, "joined %d\n", n);
  say(line);
  return 0;
}

int main(int argc, char** argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  const char* mode = argc > 1 ? argv[1] : "read";
  if (strcmp(mode, "sleep") == 0) return sleep_for(argc > 2 ? atol(argv[2]) : 500);
  if (strcmp(mode, "threads") == 0) {
    int n = argc > 2 ? atoi(argv[2]) : 3;
    return n >= 1 && n <= MAX_THREADS ? threads(n) : 2;
  }
  say("ready\n");
  return read_loop();
}
