// The desc family's syscalls, made directly (syscall(2)) so that both ABIs make the same calls,
// on pipes and on files in the directory given as argv[1], with fixed data, offsets and flags
// and zero timeouts: the trace is the same on every run. Hostile arguments too (an iovec count
// of a billion, arrays that run into an unmapped page, bad pointers, huge lengths).
// trace_desc_test.cpp holds the lines strace 6.1 prints for it.
// aarch64 has only the generic syscall table (include/uapi/asm-generic/unistd.h), without pipe,
// dup2, poll, select, eventfd, inotify_init, epoll_create and epoll_wait: there each of them is
// made as the call glibc makes for it (pipe2, dup3, ppoll, pselect6, eventfd2, inotify_init1
// with no flags), so that every family of calls is still made.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BAD_PTR 0x10L  // never mapped: the kernel answers EFAULT
#define L(x) ((long)(x))

// sys(nr, args...): syscall(2) with every argument converted to a long and missing ones 0 (a
// 64-bit offset takes one register on x86_64 and two on i386, so calls differ in length).
static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
  return syscall(nr, a, b, c, d, e, f);
}
#define sys(...) sys_(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_(nr, a, b, c, d, e, f, ...) sys6(nr, L(a), L(b), L(c), L(d), L(e), L(f))

// A 64-bit file offset as the ABI passes it: one register, or low and high halves on i386.
#if defined(__x86_64__) || defined(__aarch64__)
#define OFF(x) L(x)
#define OFF2(x) L(x), 0L
#else
#define OFF(x) L((uint32_t)((uint64_t)(x))), L((uint32_t)((uint64_t)(x) >> 32))
#define OFF2(x) OFF(x)
#endif

struct ts64 {
  int64_t sec, nsec;
};

#if defined(__aarch64__)
static const struct timespec kZeroTs = {0, 0};
#define PIPE(p) sys(SYS_pipe2, p, 0)
#define DUP2(a, b) sys(SYS_dup3, a, b, 0)
#define POLL(f, n, ms) sys(SYS_ppoll, f, n, L(&kZeroTs), 0, 0)  // every timeout here is 0
// Every timeout here is zero or NULL: pselect6 gets the timespec of the same zero timeval.
#define SELECT(n, r, w, e, tv) sys(SYS_pselect6, n, r, w, e, (tv) ? L(&kZeroTs) : 0L, 0)
#define EVENTFD(n) sys(SYS_eventfd2, n, 0)
#define INOTIFY_INIT() sys(SYS_inotify_init1, 0)
#else
#define PIPE(p) sys(SYS_pipe, p)
#define DUP2(a, b) sys(SYS_dup2, a, b)
#define POLL(f, n, ms) sys(SYS_poll, f, n, ms)
#define EVENTFD(n) sys(SYS_eventfd, n)
#define INOTIFY_INIT() sys(SYS_inotify_init)
#endif

int main(int argc, char** argv) {
  if (argc < 2 || chdir(argv[1]) != 0) return 2;
  sys(SYS_close, L(-42));  // the marker the test starts reading at
  char buf[256];
  int p[2], q[2];

  // Pipes: descriptors 3 and 4, then 5 and 6 (non-blocking).
  if (PIPE(p) != 0) return 3;
  sys(SYS_pipe2, L(q), O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
  PIPE(BAD_PTR);
  sys(SYS_pipe2, L(buf), 0x1, 0, 0, 0, 0);

  // read and write: escapes, -s cuts, failures.
  sys(SYS_write, p[1], L("hello"), 5, 0, 0, 0);
  sys(SYS_write, p[1],
      L("\0\1\177\377"
        "7\n\t\"\\"),
      9, 0, 0, 0);
  sys(SYS_read, p[0], L(buf), 3, 0, 0, 0);
  sys(SYS_read, p[0], L(buf), sizeof buf, 0, 0, 0);
  sys(SYS_read, q[0], L(buf), sizeof buf, 0, 0, 0);
  sys(SYS_write, p[1], BAD_PTR, 3, 0, 0, 0);
  sys(SYS_write, p[1], L("0123456789abcdefghijklmnopqrstuvwxyzABCDEF"), 42, 0, 0, 0);
  sys(SYS_read, p[0], L(buf), 42, 0, 0, 0);

  // writev and readv: the data a readv returned bounds what it shows.
  struct iovec wv[2] = {{"hello", 5}, {"\n\0\1", 3}};
  sys(SYS_writev, p[1], L(wv), 2, 0, 0, 0);
  char r1[3], r2[20];
  struct iovec rv[3] = {{r1, sizeof r1}, {r2, sizeof r2}, {NULL, 0}};
  sys(SYS_readv, p[0], L(rv), 3, 0, 0, 0);
  sys(SYS_readv, q[0], L(rv), 2, 0, 0, 0);
  sys(SYS_writev, p[1], BAD_PTR, 2, 0, 0, 0);
  sys(SYS_writev, p[1], L(wv), 0, 0, 0, 0);

  // Hostile: iovec and pollfd arrays that end at an unmapped page, counts of a billion.
  char* page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 4;
  munmap(page + 4096, 4096);
  struct iovec* tail = (struct iovec*)(page + 4096) - 2;
  tail[0].iov_base = "ab";
  tail[0].iov_len = 2;
  tail[1].iov_base = (void*)BAD_PTR;
  tail[1].iov_len = 1;
  sys(SYS_writev, p[1], L(tail), 1000000000L, 0, 0, 0);
  sys(SYS_readv, p[0], L(tail), 1000000000L, 0, 0, 0);
  sys(SYS_write, p[1], L(page + 4090), 1L << 31, 0, 0, 0);
  struct pollfd* ptail = (struct pollfd*)(page + 4096) - 1;
  ptail->fd = p[0];
  ptail->events = POLLIN;
  POLL(ptail, 1000000000L, 0);

  // A file: positional I/O with 64-bit offsets (two registers on i386).
  int fd = (int)sys(SYS_openat, AT_FDCWD, L("data"), O_RDWR | O_CREAT | O_TRUNC, 0600, 0, 0);
  if (fd != 7) return 5;
  sys(SYS_pwrite64, fd, L("abcdef"), 6, OFF(100), 0);
  sys(SYS_pread64, fd, L(buf), 4, OFF(101), 0);
  sys(SYS_pread64, fd, L(buf), 4, OFF(1LL << 40), 0);
  struct iovec pv[2] = {{"xyz", 3}, {"0123", 4}};
  sys(SYS_pwritev, fd, L(pv), 2, OFF2(10), 0);
  struct iovec gv[2] = {{r1, 2}, {r2, 10}};
  sys(SYS_preadv, fd, L(gv), 2, OFF2(10), 0);
  sys(SYS_preadv2, fd, L(gv), 2, OFF2(11), RWF_NOWAIT);
  sys(SYS_pwritev2, fd, L(pv), 1, OFF2(-1), RWF_DSYNC | 0x100);
  sys(SYS_lseek, fd, 0, SEEK_SET, 0, 0, 0);
  sys(SYS_lseek, fd, L(-2), SEEK_END, 0, 0, 0);
  sys(SYS_lseek, fd, 0, 7, 0, 0, 0);

  // Descriptors: dup family, close_range.
  sys(SYS_dup, fd, 0, 0, 0, 0, 0);
  DUP2(fd, 20);
  sys(SYS_dup3, fd, 21, O_CLOEXEC, 0, 0, 0);
  sys(SYS_dup3, fd, 22, 0x1, 0, 0, 0);
  sys(SYS_close_range, 20, 21, 0, 0, 0, 0);
  sys(SYS_close_range, 100, ~0U, CLOSE_RANGE_CLOEXEC, 0, 0, 0);
  sys(SYS_close_range, 100, 200, 0x9, 0, 0, 0);

  // fcntl (fcntl64 on i386): every kind of argument and of result.
#if defined(__x86_64__) || defined(__aarch64__)
  long nr_fcntl = SYS_fcntl;
#else
  long nr_fcntl = SYS_fcntl64;
#endif
  sys(nr_fcntl, fd, F_GETFD, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETFD, FD_CLOEXEC, 0, 0, 0);
  sys(nr_fcntl, fd, F_GETFD, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETFD, 0x3, 0, 0, 0);
  sys(nr_fcntl, fd, F_GETFL, 0, 0, 0, 0);
  sys(nr_fcntl, q[0], F_GETFL, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETFL, O_APPEND | O_NONBLOCK, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETFL, O_RDWR | 0x40000000, 0, 0, 0);
  sys(nr_fcntl, fd, F_DUPFD, 30, 0, 0, 0);
  sys(nr_fcntl, fd, F_DUPFD_CLOEXEC, 0, 0, 0, 0);
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1, .l_len = 2};
  sys(nr_fcntl, fd, F_SETLK, L(&fl), 0, 0, 0);
  fl.l_type = F_RDLCK;
  sys(nr_fcntl, fd, F_GETLK, L(&fl), 0, 0, 0);
  sys(nr_fcntl, fd, F_GETLK, BAD_PTR, 0, 0, 0);
  struct flock64 fl64 = {.l_type = F_RDLCK, .l_whence = SEEK_CUR, .l_start = 1LL << 33, .l_len = 5};
  sys(nr_fcntl, fd, F_OFD_GETLK, L(&fl64), 0, 0, 0);
#if !defined(__x86_64__) && !defined(__aarch64__)
  sys(SYS_fcntl64, fd, 13 /* F_SETLK64 */, L(&fl64), 0, 0, 0);
  sys(SYS_fcntl, fd, 13 /* F_SETLK64 */, 0, 0, 0, 0);
#endif
  sys(nr_fcntl, p[0], F_GETPIPE_SZ, 0, 0, 0, 0);
  sys(nr_fcntl, p[0], F_SETPIPE_SZ, 65536);
  sys(nr_fcntl, fd, F_SETOWN, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_GETOWN, 0, 0, 0, 0);
  struct f_owner_ex owner;
  sys(nr_fcntl, fd, F_GETOWN_EX, L(&owner), 0, 0, 0);
  sys(nr_fcntl, fd, F_SETSIG, SIGUSR1, 0, 0, 0);
  sys(nr_fcntl, fd, F_GETSIG, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETSIG, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_GETLEASE, 0, 0, 0, 0);
  sys(nr_fcntl, fd, F_SETLEASE, 7, 0, 0, 0);
  sys(nr_fcntl, fd, F_NOTIFY, DN_MODIFY | DN_MULTISHOT, 0, 0, 0);
  sys(nr_fcntl, fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_WRITE, 0, 0, 0);
  sys(nr_fcntl, fd, F_GET_SEALS, 0, 0, 0, 0);
  sys(nr_fcntl, fd, 0x40f, 5, 0, 0, 0);

  // Files: locks, syncs, space, advice, copies.
  sys(SYS_flock, fd, LOCK_EX | LOCK_NB, 0, 0, 0, 0);
  sys(SYS_flock, fd, LOCK_UN, 0, 0, 0, 0);
  sys(SYS_fsync, fd, 0, 0, 0, 0, 0);
  sys(SYS_fdatasync, fd, 0, 0, 0, 0, 0);
  sys(SYS_fallocate, fd, 0, OFF(0), OFF(4096));
  sys(SYS_fallocate, fd, 0x80, OFF(0), OFF(1));
#if defined(__x86_64__) || defined(__aarch64__)
  sys(SYS_fadvise64, fd, 0, 100, POSIX_FADV_SEQUENTIAL, 0, 0);
  sys(SYS_sync_file_range, fd, 0, 100, SYNC_FILE_RANGE_WRITE, 0, 0);
  sys(SYS_readahead, fd, 0, 4096, 0, 0, 0);
#else
  sys(SYS_fadvise64, fd, OFF(0), 100, POSIX_FADV_SEQUENTIAL, 0);
  sys(SYS_fadvise64_64, fd, OFF(10), OFF(0), POSIX_FADV_DONTNEED);
  sys(SYS_sync_file_range, fd, OFF(0), OFF(100), SYNC_FILE_RANGE_WRITE);
  sys(SYS_readahead, fd, OFF(0), 4096, 0);
#endif
  int fd2 = (int)sys(SYS_openat, AT_FDCWD, L("copy"), O_RDWR | O_CREAT | O_TRUNC, 0600, 0, 0);
  loff_t o1 = 100, o2 = 0;
  sys(SYS_copy_file_range, fd, L(&o1), fd2, L(&o2), 3, 0);
  sys(SYS_copy_file_range, fd, 0, fd2, 0, 3, 0);
  sys(SYS_splice, fd, L(&o1), p[1], 0, 2, SPLICE_F_MOVE | SPLICE_F_MORE);
  sys(SYS_tee, p[0], q[1], 1, SPLICE_F_NONBLOCK, 0, 0);
  struct iovec vs = {"vmsp", 4};
  sys(SYS_vmsplice, q[1], L(&vs), 1, SPLICE_F_GIFT, 0, 0);
  sys(SYS_read, p[0], L(buf), sizeof buf, 0, 0, 0);
  sys(SYS_read, q[0], L(buf), sizeof buf, 0, 0, 0);
#if defined(__x86_64__) || defined(__aarch64__)
  off_t off = 100;
  sys(SYS_sendfile, p[1], fd, L(&off), 3, 0, 0);
#else
  int32_t off = 100;
  sys(SYS_sendfile, p[1], fd, L(&off), 3, 0, 0);
  loff_t off64 = 101;
  sys(SYS_sendfile64, p[1], fd, L(&off64), 2, 0, 0);
#endif
  sys(SYS_sendfile, p[1], fd, 0, 0, 0, 0);
  sys(SYS_sendfile, p[1], L(-1), L(&off), 3, 0, 0);
  sys(SYS_read, p[0], L(buf), sizeof buf, 0, 0, 0);

  // poll, ppoll, select, pselect6: ready and not, with zero timeouts.
  sys(SYS_write, p[1], L("x"), 1, 0, 0, 0);
  struct pollfd pf[3] = {{p[0], POLLIN, 0}, {p[1], POLLOUT | POLLERR, 0}, {-1, POLLIN, 0}};
  POLL(pf, 3, 0);
  POLL(pf + 2, 1, 0);
  POLL(0, 0, 0);
  POLL(BAD_PTR, 1, 0);
  struct timespec ts0 = {0, 0};
  uint64_t mask = 1UL << (SIGUSR1 - 1);
#if defined(__x86_64__)
#define SELECT(n, r, w, e, tv) sys(SYS_select, n, r, w, e, tv)
#elif !defined(__aarch64__)
#define SELECT(n, r, w, e, tv) sys(SYS__newselect, n, r, w, e, tv)
#endif
  sys(SYS_ppoll, L(pf), 2, L(&ts0), L(&mask), 8, 0);
  sys(SYS_ppoll, L(pf + 2), 1, L(&ts0), 0, 8, 0);
  fd_set rs, ws;
  FD_ZERO(&rs);
  FD_ZERO(&ws);
  FD_SET(p[0], &rs);
  FD_SET(q[0], &rs);
  FD_SET(p[1], &ws);
  struct timeval tv0 = {0, 0};
  SELECT(q[1] + 1, &rs, &ws, 0, &tv0);
  FD_ZERO(&rs);
  FD_SET(q[0], &rs);
  SELECT(q[1] + 1, &rs, 0, 0, &tv0);
  SELECT(-1, &rs, 0, 0, 0);
  SELECT(0, 0, 0, 0, &tv0);
  SELECT(0x7fffffff, page + 4000, 0, 0, &tv0);
#if !defined(__x86_64__) && !defined(__aarch64__)
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  long sel[5] = {p[1] + 1, L(&rs), 0, 0, L(&tv0)};
  sys(SYS_select, L(sel), 0, 0, 0, 0, 0);
  sys(SYS_select, BAD_PTR, 0, 0, 0, 0, 0);
#endif
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  FD_ZERO(&ws);
  FD_SET(p[1], &ws);
  long sig[2] = {L(&mask), 8};
  sys(SYS_pselect6, p[1] + 1, L(&rs), L(&ws), 0, L(&ts0), L(sig));
  sys(SYS_pselect6, p[1] + 1, L(&rs), 0, 0, 0, 0);
#if !defined(__x86_64__) && !defined(__aarch64__)
  struct ts64 z64 = {0, 0};
  sys(SYS_ppoll_time64, L(pf), 2, L(&z64), L(&mask), 8);
  sys(SYS_pselect6_time64, p[1] + 1, L(&rs), 0, 0, L(&z64), 0);
#endif
  sys(SYS_read, p[0], L(buf), 1, 0, 0, 0);

  // epoll.
  int ep = (int)sys(SYS_epoll_create1, EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
  sys(SYS_epoll_create1, 0x1, 0, 0, 0, 0, 0);
#ifdef SYS_epoll_create
  sys(SYS_epoll_create, 1, 0, 0, 0, 0, 0);
#endif
  struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234567890ULL};
  sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], L(&ev), 0, 0);
  ev.events = EPOLLOUT;
  ev.data.u64 = (uint64_t)p[1];
  sys(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[1], L(&ev), 0, 0);
  sys(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, p[1], 0, 0, 0);
  sys(SYS_epoll_ctl, ep, 7, p[1], BAD_PTR, 0, 0);
  struct epoll_event evs[4];
#ifdef SYS_epoll_wait
  sys(SYS_epoll_wait, ep, L(evs), 4, 0, 0, 0);
#endif
  sys(SYS_write, p[1], L("y"), 1, 0, 0, 0);
  sys(SYS_epoll_pwait, ep, L(evs), 4, 0, L(&mask), 8);
  sys(SYS_epoll_pwait, ep, BAD_PTR, 4, 0, 0, 8);
  struct ts64 t64 = {0, 0};
  sys(SYS_epoll_pwait2, ep, L(evs), 4, L(&t64), 0, 8);
  sys(SYS_read, p[0], L(buf), 1, 0, 0, 0);

  // eventfd, inotify.
  sys(SYS_eventfd2, 3, EFD_CLOEXEC | EFD_NONBLOCK, 0, 0, 0, 0);
  EVENTFD(0);
  int in = (int)sys(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC, 0, 0, 0, 0, 0);
  INOTIFY_INIT();
  long wd = sys(SYS_inotify_add_watch, in, L("."), IN_CREATE | IN_DELETE | IN_ONLYDIR, 0, 0, 0);
  sys(SYS_inotify_add_watch, in, L("."), 0, 0, 0, 0);
  sys(SYS_inotify_rm_watch, in, wd, 0, 0, 0, 0);

  // ioctl: descriptor requests on a pipe and a file, unknown requests, a terminal.
  int n = 0;
  sys(SYS_write, p[1], L("zz"), 2, 0, 0, 0);
  sys(SYS_ioctl, p[0], FIONREAD, L(&n), 0, 0, 0);
  n = 1;
  sys(SYS_ioctl, p[0], FIONBIO, L(&n), 0, 0, 0);
  sys(SYS_ioctl, p[0], FIOCLEX, 0, 0, 0, 0);
  sys(SYS_ioctl, p[0], FIONCLEX, 0, 0, 0, 0);
  struct termios tio;
  struct winsize wsz = {24, 80, 0, 0};
  sys(SYS_ioctl, fd, TCGETS, L(&tio), 0, 0, 0);
  sys(SYS_ioctl, fd, TIOCGWINSZ, L(&wsz), 0, 0, 0);
  sys(SYS_ioctl, fd, TIOCGPGRP, L(&n), 0, 0, 0);
  sys(SYS_ioctl, fd, 0x12345678, 0, 0, 0, 0);
  sys(SYS_ioctl, fd, _IOR(0x12, 0x34, int), 0x1000, 0, 0, 0);
  sys(SYS_ioctl, fd, _IOWR(0x99, 0x34, int), 0, 0, 0, 0);
  sys(SYS_ioctl, fd, FICLONE, p[0], 0, 0, 0);
  sys(SYS_ioctl, fd, FS_IOC_GETFLAGS, BAD_PTR, 0, 0, 0);
  int m = (int)sys(SYS_openat, AT_FDCWD, L("/dev/ptmx"), O_RDWR | O_NOCTTY, 0, 0, 0);
  if (m >= 0) {
    n = 0;
    sys(SYS_ioctl, m, TIOCSPTLCK, L(&n), 0, 0, 0);
    sys(SYS_ioctl, m, TCGETS, L(&tio), 0, 0, 0);
    tio.c_lflag &= ~(unsigned)(ICANON | ECHO);
    sys(SYS_ioctl, m, TCSETSW, L(&tio), 0, 0, 0);
    sys(SYS_ioctl, m, TIOCSWINSZ, L(&wsz), 0, 0, 0);
    sys(SYS_ioctl, m, TIOCGWINSZ, L(&wsz), 0, 0, 0);
    sys(SYS_ioctl, m, TCFLSH, TCIFLUSH, 0, 0, 0);
    sys(SYS_ioctl, m, TCXONC, 9, 0, 0, 0);
    sys(SYS_ioctl, m, TCGETS, BAD_PTR, 0, 0, 0);
    sys(SYS_close, m, 0, 0, 0, 0, 0);
  }
  sys(SYS_close, L(-1));
  return 0;
}
