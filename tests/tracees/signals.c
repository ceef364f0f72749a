// Signal tracees; argv[1] picks one:
//   usr1  handles SIGUSR1: writes "ready\n", waits for the signal, the handler writes
//         "got SIGUSR1\n", then "after\n" and exit 0
//   term  writes "ready\n" and waits; SIGTERM (default action) kills it
//   segv  stores through a null pointer: killed by SIGSEGV (no core file)
// The signal is blocked until sigsuspend, so one sent after "ready" is never missed.
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void on_usr1(int sig) {
  (void)sig;
  static const char msg[] = "got SIGUSR1\n";
  if (write(1, msg, sizeof msg - 1) < 0) _exit(4);
}

static void say(const char* s) {
  if (write(1, s, strlen(s)) < 0) _exit(4);
}

static void wait_for(int sig) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, sig);
  sigprocmask(SIG_BLOCK, &block, &old);
  say("ready\n");
  sigset_t wait_mask = old;
  sigdelset(&wait_mask, sig);
  sigsuspend(&wait_mask);
  sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(int argc, char** argv) {
  if (argc != 2) return 100;
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  if (strcmp(argv[1], "usr1") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    wait_for(SIGUSR1);
    say("after\n");
    return 0;
  }
  if (strcmp(argv[1], "term") == 0) {
    signal(SIGTERM, SIG_DFL);
    wait_for(SIGTERM);
    return 1;  // not reached
  }
  if (strcmp(argv[1], "segv") == 0) {
    volatile int* null = NULL;
    *null = 1;
    return 1;  // not reached
  }
  return 101;
}
