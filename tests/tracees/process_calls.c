// The process family's calls that need no child: ids, limits, prctl, arch_prctl, scheduling,
// capabilities, personality, umask, robust lists, kill. Bad pointers and unknown values make
// the failure paths show. The first call is uname (tests start their comparison there); the
// last is exit_group(0). Deterministic: no call depends on timing.
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <unistd.h>

static long sc(long nr, long a, long b, long c, long d, long e) {
  return syscall(nr, a, b, c, d, e);
}
#define P(x) ((long)(uintptr_t)(x))

int main(void) {
  struct utsname u;
  uname(&u);
  sc(SYS_uname, 1, 0, 0, 0, 0);
  struct sysinfo si;
  sysinfo(&si);

  struct rlimit rl;
  sc(SYS_getrlimit, RLIMIT_NOFILE, P(&rl), 0, 0, 0);
  sc(SYS_getrlimit, 99, P(&rl), 0, 0, 0);
  sc(SYS_getrlimit, RLIMIT_CORE, 0, 0, 0, 0);
  rl.rlim_cur = 0;
  rl.rlim_max = RLIM_INFINITY;
  sc(SYS_setrlimit, RLIMIT_CORE, P(&rl), 0, 0, 0);
  rl.rlim_cur = 8192 * 1024;
  rl.rlim_max = 1025;
  sc(SYS_setrlimit, 99, P(&rl), 0, 0, 0);
#ifdef SYS_ugetrlimit
  sc(SYS_ugetrlimit, RLIMIT_CORE, P(&rl), 0, 0, 0);
#endif
  struct {
    uint64_t cur, max;
  } r64 = {2048, 4096}, o64;
  sc(SYS_prlimit64, 0, RLIMIT_CORE, 0, P(&o64), 0);
  sc(SYS_prlimit64, 0, RLIMIT_RTTIME, P(&r64), 0, 0);
  sc(SYS_prlimit64, 0, 77, 0, P(&o64), 0);
  sc(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, 1, 0);

  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  sc(SYS_getrusage, 5, P(&ru), 0, 0, 0);
  struct tms t;
  times(&t);

  personality(0xffffffff);
  personality(PER_LINUX | ADDR_NO_RANDOMIZE);
  personality(PER_LINUX32);
  personality(PER_LINUX);
  umask(022);
  umask(0777);
  umask(022);
  getpriority(PRIO_PROCESS, 0);
  sc(SYS_getpriority, 7, 0, 0, 0, 0);
  setpriority(PRIO_PROCESS, 0, 0);

  cpu_set_t cs;
  sched_getaffinity(0, sizeof cs, &cs);
  sc(SYS_sched_getaffinity, 0, 1, P(&cs), 0, 0);
  sched_setaffinity(0, sizeof cs, &cs);
  sched_yield();
  struct sched_param sp;
  sched_getparam(0, &sp);
  sched_getscheduler(0);
  sched_setscheduler(0, SCHED_OTHER, &sp);
  sc(SYS_sched_setscheduler, 0, 99, P(&sp), 0, 0);
  sched_get_priority_max(SCHED_FIFO);
  sched_get_priority_min(SCHED_RR);
  sched_get_priority_max(SCHED_IDLE | SCHED_RESET_ON_FORK);
  struct {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t prio;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
  } attr;
  memset(&attr, 0, sizeof attr);
  attr.size = 56;
  attr.flags = 0x18;  // SCHED_FLAG_KEEP_POLICY|SCHED_FLAG_KEEP_PARAMS
  sc(SYS_sched_setattr, 0, P(&attr), 0, 0, 0);
  attr.size = 40;
  sc(SYS_sched_setattr, 0, P(&attr), 0, 0, 0);
  sc(SYS_sched_getattr, 0, P(&attr), 0, 0, 0);

  struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct d[2];
  sc(SYS_capget, P(&h), P(d), 0, 0, 0);
  sc(SYS_capset, P(&h), P(d), 0, 0, 0);
  h.version = 0x12345678;
  sc(SYS_capget, P(&h), 0, 0, 0, 0);
  h.version = _LINUX_CAPABILITY_VERSION_1;
  sc(SYS_capget, P(&h), P(d), 0, 0, 0);
  sc(SYS_capget, 1, 1, 0, 0, 0);

  getuid();
  geteuid();
  getgid();
  getegid();
  uid_t a, b, c;
  getresuid(&a, &b, &c);
  getresgid(&a, &b, &c);
  sc(SYS_getresuid, 1, P(&b), P(&c), 0, 0);
  setuid(getuid());
  setreuid(-1, -1);
  setresgid(-1, -1, -1);
  gid_t groups[64];
  int n = getgroups(0, NULL);
  n = getgroups(64, groups);
  setgroups(n, groups);
  sc(SYS_setgroups, -1, P(groups), 0, 0, 0);
#ifdef __i386__
  // The legacy 16-bit id calls of i386.
  sc(24, 0, 0, 0, 0, 0);       // getuid
  sc(46, 0xffff, 0, 0, 0, 0);  // setgid(-1)
  unsigned short s16[3];
  sc(165, P(&s16[0]), P(&s16[1]), P(&s16[2]), 0, 0);  // getresuid
  sc(80, 64, P(s16), 0, 0, 0);                        // getgroups
#endif

  prctl(PR_SET_NAME, "process-calls-long-name");
  char name[17];
  prctl(PR_GET_NAME, name);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  int sig;
  prctl(PR_GET_PDEATHSIG, &sig);
  prctl(PR_SET_PDEATHSIG, 0);
  prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN);
  prctl(PR_CAPBSET_READ, 200);
  prctl(PR_GET_DUMPABLE);
  prctl(PR_SET_DUMPABLE, 1);
  prctl(PR_GET_KEEPCAPS);
  prctl(PR_GET_SECCOMP);
  prctl(PR_GET_TIMERSLACK);
  int v;
  prctl(PR_GET_CHILD_SUBREAPER, &v);
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  prctl(PR_GET_SECUREBITS);
  void* tid;
  prctl(PR_GET_TID_ADDRESS, &tid);
  sc(SYS_prctl, PR_SET_PTRACER, -1, 0, 0, 0);
  prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS, 0, 0, 0);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0);
  prctl(PR_MCE_KILL_GET, 0, 0, 0, 0);
  sc(SYS_prctl, PR_SET_MM, PR_SET_MM_START_CODE, 0, 0, 0);
  sc(SYS_prctl, 0x12345678, 1, 2, 3, 4);
  prctl(PR_GET_TSC, &v);
  sc(SYS_prctl, PR_SET_SECCOMP, 5, 0, 0, 0);
  prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  sc(SYS_prctl, PR_GET_NAME, 1, 0, 0, 0);
  sc(SYS_prctl, PR_SET_NAME, 1, 0, 0, 0);

#ifdef SYS_arch_prctl  // x86's own call
  unsigned long fs;
  sc(SYS_arch_prctl, 0x1003, P(&fs), 0, 0, 0);   // ARCH_GET_FS
  sc(SYS_arch_prctl, 0x1004, 1, 0, 0, 0);        // ARCH_GET_GS
  sc(SYS_arch_prctl, 0x3001, P(&fs), 0, 0, 0);   // ARCH_CET_STATUS, unknown to strace 6.1
  sc(SYS_arch_prctl, 0x1011, 0, 0, 0, 0);        // ARCH_GET_CPUID
  sc(SYS_arch_prctl, 0x1021, P(&r64), 0, 0, 0);  // ARCH_GET_XCOMP_SUPP
  sc(SYS_arch_prctl, 0x9999, 0x1234, 0, 0, 0);
#endif

  int tidw;
  sc(SYS_set_tid_address, P(&tidw), 0, 0, 0, 0);
  void* head;
  size_t len;
  sc(SYS_get_robust_list, 0, P(&head), P(&len), 0, 0);
  sc(SYS_set_robust_list, P(head), P(len), 0, 0, 0);
  sc(SYS_set_robust_list, P(head), 1, 0, 0, 0);
  sc(SYS_rseq, 0x1000, 32, 0, 0x53053053, 0);
  sc(SYS_rseq, 0, 32, 1, 0x53053053, 0);

  kill(getpid(), 0);
  kill(999999, SIGTERM);
  sc(SYS_tkill, sc(SYS_gettid, 0, 0, 0, 0, 0), 0, 0, 0, 0);
  sc(SYS_tgkill, getpid(), sc(SYS_gettid, 0, 0, 0, 0, 0), 200, 0, 0);
  sc(SYS_unshare, 0, 0, 0, 0, 0);
  sc(SYS_unshare, 0x1, 0, 0, 0, 0);
  sc(SYS_setns, -1, 0x20000, 0, 0, 0);
  return 0;
}
