// The memory family's syscalls, made directly (syscall(2)) with fixed sizes, flags and bad
// arguments; trace_memory_test.cpp holds the lines strace prints for them (addresses masked).
// argv[1] names a readable file to map.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/mman.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096L

#ifdef SYS_mmap2
#define MMAP_NR SYS_mmap2  // i386: the offset in pages
#define OFF(bytes) ((bytes) / PAGE)
#else
#define MMAP_NR SYS_mmap
#define OFF(bytes) (bytes)
#endif

static long sys(long nr, long a, long b, long c, long d, long e, long f) {
  return syscall(nr, a, b, c, d, e, f);
}
#define L(x) ((long)(x))

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 3;
  // Eight anonymous pages, every third one touched (mincore shows 1, 0, 0, 1, ...).
  char* m =
      (char*)sys(MMAP_NR, 0, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 4;
  for (int i = 0; i < 8; i += 3) m[i * PAGE] = 1;
  long f = sys(MMAP_NR, 0, PAGE, PROT_READ, MAP_SHARED, fd, OFF(0));
  sys(MMAP_NR, 0, PAGE, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, OFF(PAGE));
  sys(MMAP_NR, 0, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  sys(MMAP_NR, 0, PAGE, PROT_EXEC | PROT_SEM | 0x100, MAP_FILE, -1, 0);
  sys(MMAP_NR, 0, PAGE, PROT_READ, MAP_SHARED_VALIDATE | MAP_FIXED_NOREPLACE | 0x80, -1, 0);
  sys(MMAP_NR, 0, PAGE, PROT_READ, 0xf | MAP_HUGETLB | (21 << MAP_HUGE_SHIFT), -1, 0);
  sys(MMAP_NR, L(m), PAGE, PROT_READ, 0x4 | MAP_FIXED, 99, 0);

  // Protections (on a mapping of their own: changing part of one splits it).
  long p = sys(MMAP_NR, 0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  sys(SYS_mprotect, p, PAGE, PROT_READ, 0, 0, 0);
  sys(SYS_mprotect, p, PAGE, PROT_NONE, 0, 0, 0);
  sys(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE | PROT_GROWSUP, 0, 0, 0);
  sys(SYS_mprotect, p, PAGE, 0x10000, 0, 0, 0);
  sys(SYS_pkey_mprotect, p, PAGE, PROT_READ | PROT_WRITE, -1, 0, 0);

  unsigned char vec[64];
  sys(SYS_mincore, L(m), 8 * PAGE, L(vec), 0, 0, 0);
  sys(SYS_mincore, L(m), 2 * PAGE + 1, L(vec), 0, 0, 0);
  sys(SYS_mincore, L(m), PAGE, 0x10, 0, 0, 0);
  sys(SYS_mincore, L(m), 0, L(vec), 0, 0, 0);

  sys(SYS_madvise, L(m), PAGE, MADV_DONTNEED, 0, 0, 0);
  sys(SYS_madvise, L(m), PAGE, MADV_HUGEPAGE, 0, 0, 0);
  sys(SYS_madvise, L(m), PAGE, MADV_COLD, 0, 0, 0);
  sys(SYS_madvise, L(m), PAGE, 999, 0, 0, 0);
  sys(SYS_msync, L(m), PAGE, MS_SYNC | MS_INVALIDATE, 0, 0, 0);
  sys(SYS_msync, L(m), PAGE, 0, 0, 0, 0);
  sys(SYS_msync, L(m), PAGE, 0x8, 0, 0, 0);
  sys(SYS_mlock, L(m), PAGE, 0, 0, 0, 0);
  sys(SYS_munlock, L(m), PAGE, 0, 0, 0, 0);
  sys(SYS_mlock2, L(m), PAGE, MLOCK_ONFAULT, 0, 0, 0);
  sys(SYS_mlock2, L(m), PAGE, 0x10, 0, 0, 0);
  sys(SYS_munlock, L(m), PAGE, 0, 0, 0, 0);
  sys(SYS_mlockall, MCL_FUTURE | 0x10, 0, 0, 0, 0, 0);
  sys(SYS_munlockall, 0, 0, 0, 0, 0, 0);

  // Moves (on a mapping of their own, one VMA): grow, maybe moving; shrink in place.
  long q = sys(MMAP_NR, 0, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  long r = sys(SYS_mremap, q, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0, 0);
  if (r != -1) q = r;
  sys(SYS_mremap, q, 4 * PAGE, PAGE, 0, 0, 0);
  sys(SYS_mremap, q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED | 0x8, 0x10000, 0);
  sys(SYS_mremap, q, PAGE, PAGE, 0x10, 0, 0);
  sys(SYS_remap_file_pages, q, PAGE, 0, 0, MAP_NONBLOCK, 0);

  sys(SYS_munmap, q, PAGE, 0, 0, 0, 0);
  sys(SYS_munmap, p, PAGE, 0, 0, 0, 0);
  sys(SYS_munmap, L(m), 8 * PAGE, 0, 0, 0, 0);
  if (f != -1) sys(SYS_munmap, f, PAGE, 0, 0, 0, 0);
  sys(SYS_munmap, 0x10, PAGE, 0, 0, 0, 0);
  sys(SYS_brk, 0, 0, 0, 0, 0, 0);
  close(fd);
  return 0;
}
