// Known syscalls for `ptk trace -c` (tests/integration/trace/options/trace_summary_test.cpp):
// 5 getppid, 3 chdir that fail (ENOENT), 2 write that fail (EBADF), and one nanosleep of 50 ms,
// which takes wall time but almost no system time. None of these is made by the C library's
// start-up, so the counts are exact.
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 5; ++i) syscall(SYS_getppid);
  for (int i = 0; i < 3; ++i) syscall(SYS_chdir, "/nonexistent/ptk-summary");
  for (int i = 0; i < 2; ++i) syscall(SYS_write, -1, "", 0);
  struct timespec nap = {0, 50 * 1000 * 1000};
  syscall(SYS_nanosleep, &nap, (struct timespec*)0);
  return 0;
}
