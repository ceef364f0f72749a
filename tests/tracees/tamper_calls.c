// Syscalls whose results show in the output, for the tamper tests (argv[1] picks):
//   cat PATH   openat(AT_FDCWD, PATH) and copies the file to stdout; "open: errno N" and exit 3
//              when it fails
//   getpid N   prints what N getpid syscalls returned, one line each
//   fork       prints "child N" from a forked child and "parent N" from the parent, N what its
//              getpid syscall returned; exits with the child's status
//   threads N  N threads each print "thread N" with what their getpid syscall returned
//   echo       read(0, buf, 64) once and writes what it read to stdout
//   spin       a thread makes one getppid syscall while the main thread makes getpid syscalls
//              until it returned; then prints "spun"
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char* what, long value) {
  char line[64];
  int n = snprintf(line, sizeof line, "%s %ld\n", what, value);
  if (write(1, line, (size_t)n) != n) _exit(9);
}

static void* thread_main(void* arg) {
  (void)arg;
  say("thread", syscall(SYS_getpid));
  return NULL;
}

static int getppid_done;

static void* getppid_main(void* arg) {
  (void)arg;
  syscall(SYS_getppid);
  __atomic_store_n(&getppid_done, 1, __ATOMIC_RELEASE);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  if (strcmp(argv[1], "cat") == 0 && argc == 3) {
    long fd = syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY);
    if (fd < 0) {
      say("open: errno", errno);
      return 3;
    }
    char buf[4096];
    ssize_t n;
    while ((n = read((int)fd, buf, sizeof buf)) > 0) {
      if (write(1, buf, (size_t)n) != n) return 4;
    }
    return n < 0 ? 5 : 0;
  }
  if (strcmp(argv[1], "getpid") == 0 && argc == 3) {
    for (int i = atoi(argv[2]); i > 0; --i) say("getpid", syscall(SYS_getpid));
    return 0;
  }
  if (strcmp(argv[1], "fork") == 0) {
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
      say("child", syscall(SYS_getpid));
      _exit(7);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return 3;
    say("parent", syscall(SYS_getpid));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
  }
  if (strcmp(argv[1], "threads") == 0 && argc == 3) {
    int n = atoi(argv[2]);
    pthread_t threads[16];
    if (n < 1 || n > 16) return 101;
    for (int i = 0; i < n; ++i) {
      if (pthread_create(&threads[i], NULL, thread_main, NULL) != 0) return 2;
    }
    for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
    return 0;
  }
  if (strcmp(argv[1], "echo") == 0) {
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) {
      say("read: errno", errno);
      return 3;
    }
    return write(1, buf, (size_t)n) == n ? 0 : 4;
  }
  if (strcmp(argv[1], "spin") == 0) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, getppid_main, NULL) != 0) return 2;
    while (!__atomic_load_n(&getppid_done, __ATOMIC_ACQUIRE)) syscall(SYS_getpid);
    pthread_join(thread, NULL);
    return write(1, "spun\n", 5) == 5 ? 0 : 4;
  }
  return 101;
}
