// Makes syscalls newer than the installed Linux 6.1 headers, by the raw numbers of the kernel's
// syscall tables (the same on x86_64 and i386), for `ptk trace -e trace=mseal,futex_wake`:
//   mseal(page, 4096, 0), which seals a fresh page (0, or ENOSYS before Linux 6.10),
//   futex_wake(&word, FUTEX_BITSET_MATCH_ANY, 1, FUTEX2_SIZE_U32|FUTEX2_PRIVATE): no waiter, 0,
//   mseal(page, 4096, 1): no flag is defined, EINVAL.
// Prints "mseal R1 futex_wake R2" (each result or -errno) for the test to know what the kernel
// has.
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

enum { kFutexWake = 454, kMseal = 462 };
enum { kFutex2SizeU32 = 0x02, kFutex2Private = 0x80 };

static long call(long nr, long a, long b, long c, long d) {
  long r = syscall(nr, a, b, c, d);
  return r == -1 ? -errno : r;
}

int main(void) {
  void* page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 1;
  static unsigned int word;
  long sealed = call(kMseal, (long)page, 4096, 0, 0);
  long woken =
      call(kFutexWake, (long)&word, (long)0xffffffffUL, 1, kFutex2SizeU32 | kFutex2Private);
  (void)call(kMseal, (long)page, 4096, 1, 0);
  printf("mseal %ld futex_wake %ld\n", sealed, woken);
  return 0;
}
