// Exercises the time family for trace_time_test through raw syscalls (glibc would use the
// vDSO or the *_time64 calls): clocks, sleeps, timers, futex ops, getrandom, and bad
// arguments. Every input is fixed; outputs that vary (clock values) are masked by the test.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec ts;
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  syscall(SYS_clock_gettime, -1, &ts);
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 1);
  syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 0);
  syscall(SYS_clock_gettime, (clockid_t)0xffffffe2u, &ts);
  syscall(SYS_clock_getres, CLOCK_REALTIME, &ts);
  syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
#ifdef SYS_clock_gettime64
  syscall(SYS_clock_gettime64, CLOCK_BOOTTIME, &ts);
#endif

  struct timespec bad = {-1, 2000000000};
  syscall(SYS_nanosleep, &bad, 0);
  struct timespec r = {0, 1000};
  syscall(SYS_nanosleep, &r, &ts);
  syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &r, &ts);
  syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME | 4, &r, 0);

  struct timeval tv;
  struct timezone tz;
  syscall(SYS_gettimeofday, &tv, &tz);
  syscall(SYS_gettimeofday, &tv, 0);
  syscall(SYS_settimeofday, 0, 0);
#ifdef SYS_time
  time_t now;
  syscall(SYS_time, &now);
  syscall(SYS_time, 1);
#endif

  int tfd = (int)syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 02000000 | 04000);
  struct itimerspec its = {{0, 0}, {100, 0}}, old;
  syscall(SYS_timerfd_settime, tfd, 0, &its, &old);
  syscall(SYS_timerfd_settime, tfd, 3, 0, 0);
  syscall(SYS_timerfd_create, CLOCK_BOOTTIME_ALARM, 0xffff);
  close(tfd);

  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 5;
  int tid;
  syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &tid);
  syscall(SYS_timer_settime, tid, 0, &its, &old);
  syscall(SYS_timer_delete, tid);
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_NONE;
  sev.sigev_signo = SIGUSR2;
  syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &tid);
  sev.sigev_notify = 77;
  syscall(SYS_timer_create, CLOCK_REALTIME, &sev, &tid);
  syscall(SYS_timer_create, CLOCK_REALTIME, 1, 1);

  struct itimerval iv = {{0, 0}, {100, 0}}, ov;
  syscall(SYS_setitimer, ITIMER_REAL, &iv, &ov);
  syscall(SYS_setitimer, ITIMER_REAL, &ov, 0);
  syscall(SYS_getitimer, 5, 0);
#ifdef SYS_alarm  // the generic table (aarch64) has no alarm: libc makes it with setitimer
  syscall(SYS_alarm, 0);
#endif
  syscall(SYS_times, 0);
  syscall(SYS_adjtimex, 0);

  int fu = 0;
  syscall(SYS_futex, &fu, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
  syscall(SYS_futex, &fu, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 0, 0,
          FUTEX_BITSET_MATCH_ANY);
  struct timespec to = {0, 1};
  syscall(SYS_futex, &fu, FUTEX_WAIT_PRIVATE, 0, &to, 0, 0);
  syscall(SYS_futex, &fu, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fu,
          FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 0));
  syscall(SYS_futex, 0, FUTEX_WAKE_OP, 1, 0, 0, 0xffffffff);
  syscall(SYS_futex, &fu, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &fu, 0);
  syscall(SYS_futex, 0, FUTEX_REQUEUE, 1, 2, 0, 3);
  syscall(SYS_futex, 0, FUTEX_LOCK_PI, 1, 0, 0, 3);
  syscall(SYS_futex, 0, FUTEX_UNLOCK_PI, 1, 0, 0, 3);
  syscall(SYS_futex, 0, FUTEX_WAKE_BITSET, 1, 0, 0, 3);
  syscall(SYS_futex, 0, FUTEX_WAIT, 0, 1, 0, 0);
  syscall(SYS_futex, 0, 0x7f, 1, 0, 0, 3);
  syscall(SYS_futex, 0, FUTEX_FD | FUTEX_PRIVATE_FLAG, 1, 0, 0, 0);

  char buf[64];
  syscall(SYS_getrandom, buf, 3, 1 /* GRND_NONBLOCK */);
  syscall(SYS_getrandom, buf, 64, 0);
  syscall(SYS_getrandom, 0, 3, 0);
  syscall(SYS_getrandom, buf, 3, 8);
  return 0;
}
