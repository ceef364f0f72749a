// A hostile tracee: it hands the kernel garbage on purpose (bad pointers, a string that runs
// into an unmapped page, lengths of 2^31 and 2^63, an iovec count of a billion, a sockaddr
// length larger than its buffer, terminal escape bytes). A tracer must print all of it
// bounded and escaped, and neither hang, crash nor allocate what the tracee asks for.
// Every call is made on an invalid descriptor or address so nothing is really written and
// nothing blocks; the program exits 0 when each call failed as it must.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;

static void expect_fail(long rc, const char* what) {
  if (rc != -1) {
    static const char msg[] = "hostile: a call unexpectedly succeeded: ";
    (void)!write(2, msg, sizeof msg - 1);
    (void)!write(2, what, strlen(what));
    (void)!write(2, "\n", 1);
    ++failures;
  }
}

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  char* p =
      mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 2;
  munmap(p + page, (size_t)page);  // the second page is now a hole
  memset(p, 'A', (size_t)page);    // no NUL before the hole

  // A path with no terminator before an unmapped page.
  expect_fail(syscall(SYS_openat, AT_FDCWD, p + page - 16, O_RDONLY), "openat unterminated");
  // A bad buffer pointer with lengths of 2^31 and 2^63.
  expect_fail(syscall(SYS_write, -1, (void*)16, (size_t)1 << 31), "write 2^31");
  expect_fail(syscall(SYS_write, -1, p, (size_t)1 << (sizeof(size_t) * 8 - 1)), "write 2^63");
  expect_fail(syscall(SYS_read, -1, (void*)0xdead0000, (size_t)-1), "read -1");
  // An iovec count of a billion, over readable garbage.
  expect_fail(syscall(SYS_writev, -1, p, 1000000000), "writev 1e9");
  expect_fail(syscall(SYS_readv, -1, (void*)8, 1000000000), "readv 1e9");
  // A sockaddr length larger than the buffer (which ends at the hole) and than any sockaddr.
  expect_fail(syscall(SYS_connect, -1, p + page - 8, 1 << 20), "connect big len");
  // Terminal escape sequences in strings: they must never reach the output raw.
  static const char esc[] = "\x1b[31mRED\x1b]0;pwned\x07\x1b[2J\r\n";
  expect_fail(syscall(SYS_write, -1, esc, sizeof esc - 1), "write escapes");
  expect_fail(syscall(SYS_openat, AT_FDCWD, "/nonexistent/\x1b[1mbold", O_RDONLY), "openat esc");
  // Argument vectors that are not vectors.
  expect_fail(syscall(SYS_execve, p + page - 4, (char**)(p + page - 8), (char**)16), "execve");
  expect_fail(syscall(SYS_rt_sigaction, SIGUSR1, (void*)1, (void*)2, 8), "rt_sigaction");
#ifdef SYS_newfstatat
  expect_fail(syscall(SYS_newfstatat, -1, p + page - 1, (void*)24, 0), "newfstatat");
#else
  expect_fail(syscall(SYS_fstatat64, -1, p + page - 1, (void*)24, 0), "fstatat64");
#endif
  return failures == 0 ? 0 : 1;
}
