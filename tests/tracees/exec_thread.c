// Execs argv[1..] from a thread that is not the thread group leader, while the leader waits in
// pthread_join: under ptrace the exec'ing thread takes over the leader's thread id.
#include <pthread.h>
#include <unistd.h>

static void* exec_main(void* arg) {
  char** argv = arg;
  execv(argv[0], argv);
  _exit(127);
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  pthread_t thread;
  if (pthread_create(&thread, NULL, exec_main, argv + 1) != 0) return 2;
  pthread_join(thread, NULL);  // never returns: the exec ends this thread
  return 3;
}
