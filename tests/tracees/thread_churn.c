// `thread_churn`: makes and joins one short-lived thread after another, forever, so that threads
// are born while a tracer attaches. Writes "ready\n" once the first thread has been joined, and
// "alive\n" for each byte read from stdin (polled between threads, never waited for): a test
// knows the main thread still runs, not held in pthread_join by a thread left stopped.
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

static void* nothing(void* arg) { return arg; }

int main(void) {
  for (int round = 0;; ++round) {
    pthread_t t;
    if (pthread_create(&t, NULL, nothing, NULL) != 0) return 1;
    if (pthread_join(t, NULL) != 0) return 2;
    if (round == 0 && write(1, "ready\n", 6) != 6) return 3;
    struct pollfd in = {.fd = 0, .events = POLLIN};
    if (poll(&in, 1, 0) == 1) {
      char c;
      if (read(0, &c, 1) != 1) return 0;  // EOF: the test is done with us
      if (write(1, "alive\n", 6) != 6) return 4;
    }
  }
}
