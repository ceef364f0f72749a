// `thread_pool N M`: N threads, each making M getppid calls and one write to /dev/null, then
// joined. For tests of multi-threaded traces (perfetto tracks, whole lines).
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int calls;
static int devnull;

static void* work(void* arg) {
  (void)arg;
  for (int i = 0; i < calls; ++i) syscall(SYS_getppid);
  if (write(devnull, "x", 1) != 1) return (void*)1;
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) return 100;
  int n = atoi(argv[1]);
  calls = atoi(argv[2]);
  if (n < 1 || n > 64) return 101;
  devnull = open("/dev/null", O_WRONLY);
  pthread_t threads[64];
  for (int i = 0; i < n; ++i) pthread_create(&threads[i], NULL, work, NULL);
  for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
  return 0;
}
