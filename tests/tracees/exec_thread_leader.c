// Execs argv[2..] from a thread that is not the thread group leader, with the leader in a known
// state at that moment (argv[1]):
//   read  the leader is blocked in read(2) on a pipe nobody writes to: the exec kills it there;
//   exit  the leader has called exit(2) (that thread only) and is a zombie already.
// The thread waits for that state by reading /proc (the leader's syscall in progress, or its
// state), never by sleeping.
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pid_t leader;
static int exit_mode;

// The first line of /proc/self/task/<leader>/FILE, or "" when it cannot be read.
static void read_task_file(const char* file, char* buf, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/%s", (int)leader, file);
  buf[0] = '\0';
  int fd = open(path, O_RDONLY);
  if (fd < 0) return;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  buf[n > 0 ? n : 0] = '\0';
}

static int leader_ready(void) {
  char buf[512];
  if (exit_mode) {
    // "pid (comm) S ...": the state after the last ')'.
    read_task_file("stat", buf, sizeof buf);
    char* end = strrchr(buf, ')');
    return end != NULL && end[1] == ' ' && end[2] == 'Z';
  }
  // "NR arg..." while the leader is blocked in syscall NR.
  // ("running" while it runs, "-1 ..." when blocked outside a syscall).
  read_task_file("syscall", buf, sizeof buf);
  char* end = NULL;
  long nr = strtol(buf, &end, 10);
  return end != buf && *end == ' ' && nr == SYS_read;
}

static void* exec_main(void* arg) {
  char** argv = arg;
  while (!leader_ready()) sched_yield();
  execv(argv[0], argv);
  _exit(127);
}

int main(int argc, char** argv) {
  if (argc < 3) return 100;
  leader = getpid();
  exit_mode = strcmp(argv[1], "exit") == 0;
  int fds[2];
  if (pipe(fds) != 0) return 2;
  pthread_t thread;
  if (pthread_create(&thread, NULL, exec_main, argv + 2) != 0) return 3;
  if (exit_mode) syscall(SYS_exit, 0);  // this thread only; the process lives on
  char c;
  (void)read(fds[0], &c, 1);  // never returns: nobody writes, and the exec ends this thread
  return 4;
}
