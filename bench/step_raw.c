/* step_raw CMD ARGS...: the floor for single-stepping. Starts CMD under PTRACE_TRACEME,
 * single-steps it with PTRACE_SINGLESTEP and a plain blocking waitpid until it exits, and prints
 * the number of single-step traps on stderr. No registers, no memory, no siginfo: nothing but the
 * two system calls each step needs. A signal stop is passed on with the next step.
 * Built and run by bench/step_bench.py; not part of ptk. */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CMD [ARGS...]\n", argv[0]);
    return 2;
  }
  pid_t child = fork();
  if (child == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0); /* the SIGTRAP after execve */
  long steps = 0;
  int sig = 0;
  for (;;) {
    if (ptrace(PTRACE_SINGLESTEP, child, 0, (long)sig) != 0) {
      perror("ptrace");
      return 1;
    }
    sig = 0;
    if (waitpid(child, &status, 0) != child) {
      perror("waitpid");
      return 1;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (WSTOPSIG(status) == SIGTRAP)
      ++steps;
    else
      sig = WSTOPSIG(status);
  }
  fprintf(stderr, "%ld\n", steps);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
