// Makes one child in the way argv[1] names and checks how it ended:
//   fork    fork(); the child exits 5
//   vfork   vfork(); the child _exits 6
//   thread  pthread_create(); the thread returns, the main thread joins it
//   clone   clone() of a process with no exit signal (PTRACE_EVENT_CLONE); it exits 7
// Exits 0 when the child ended as expected, nonzero otherwise.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void* thread_main(void* arg) { return arg; }

static int clone_main(void* arg) {
  (void)arg;
  return 7;
}

static int exited_with(pid_t pid, int options, int code) {
  int status = 0;
  if (waitpid(pid, &status, options) != pid) return 0;
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

int main(int argc, char** argv) {
  if (argc != 2) return 100;
  const char* mode = argv[1];
  if (strcmp(mode, "fork") == 0) {
    pid_t pid = fork();
    if (pid == 0) _exit(5);
    return exited_with(pid, 0, 5) ? 0 : 1;
  }
  if (strcmp(mode, "vfork") == 0) {
    pid_t pid = vfork();
    if (pid == 0) _exit(6);
    return exited_with(pid, 0, 6) ? 0 : 1;
  }
  if (strcmp(mode, "thread") == 0) {
    pthread_t thread;
    static int token;
    void* result = NULL;
    if (pthread_create(&thread, NULL, thread_main, &token) != 0) return 2;
    if (pthread_join(thread, &result) != 0) return 3;
    return result == &token ? 0 : 1;
  }
  if (strcmp(mode, "clone") == 0) {
    static char stack[64 * 1024] __attribute__((aligned(16)));
    pid_t pid = clone(clone_main, stack + sizeof stack, 0, NULL);
    if (pid < 0) return 2;
    return exited_with(pid, __WALL, 7) ? 0 : 1;
  }
  return 101;
}
