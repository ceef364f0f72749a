// The command of the stop-signal tests (a signal sent to ptk, not to the command): prints
// "ready PID IGNORED" (IGNORED: the names of SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE it was
// started with ignored, or "-"), waits for one byte on stdin, then prints "got SIG" (the last
// of those signals it caught, 0 if none) and exits 3. `signal_survivor trap` catches them
// (a signal interrupts the wait, which goes on); `signal_survivor` leaves their dispositions.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_signal(int sig) { caught = sig; }

int main(int argc, char** argv) {
  static const int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
  static const char* const kNames[] = {"INT", "TERM", "HUP", "QUIT", "PIPE"};
  char ignored[64] = "";
  for (int i = 0; i < 5; ++i) {
    struct sigaction old;
    if (sigaction(kSignals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
      strcat(ignored, ignored[0] != '\0' ? "," : "");
      strcat(ignored, kNames[i]);
    }
  }
  if (argc > 1 && strcmp(argv[1], "trap") == 0) {
    for (int i = 0; i < 5; ++i) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_signal;
      sigaction(kSignals[i], &sa, NULL);
    }
  }
  printf("ready %d %s\n", (int)getpid(), ignored[0] != '\0' ? ignored : "-");
  fflush(stdout);
  char byte;
  ssize_t n;
  do {
    n = read(0, &byte, 1);
  } while (n < 0 && errno == EINTR);
  printf("got %d\n", (int)caught);
  return 3;
}
