// The file family's syscalls, made directly (syscall(2)) so that both ABIs make the same calls,
// in the directory given as argv[1], with fixed names, modes and times: the trace of this program
// is the same on every run. trace_file_test.cpp holds the lines strace prints for it.
// aarch64 has only the generic syscall table (include/uapi/asm-generic/unistd.h), without the
// legacy path calls (open, creat, stat, lstat, access, chmod, chown, lchown, symlink, readlink,
// mkdir, rename, mknod, link, unlink, rmdir): there each of them is made as the *at call glibc
// makes for it, on AT_FDCWD, so that every family of calls is still made once.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define BAD_PTR ((void*)0x10)  // never mapped: the kernel answers EFAULT

static long sys(long nr, long a, long b, long c, long d, long e) {
  return syscall(nr, a, b, c, d, e, 0);
}
#define L(x) ((long)(x))

#if defined(__aarch64__)
#define OPEN(p, f, m) sys(SYS_openat, AT_FDCWD, L(p), f, m, 0)
#define CREAT(p, m) sys(SYS_openat, AT_FDCWD, L(p), O_WRONLY | O_CREAT | O_TRUNC, m, 0)
#define STAT(p, st) sys(SYS_newfstatat, AT_FDCWD, L(p), L(st), 0, 0)
#define LSTAT(p, st) sys(SYS_newfstatat, AT_FDCWD, L(p), L(st), AT_SYMLINK_NOFOLLOW, 0)
#define ACCESS(p, m) sys(SYS_faccessat, AT_FDCWD, L(p), m, 0, 0)
#define CHMOD(p, m) sys(SYS_fchmodat, AT_FDCWD, L(p), m, 0, 0)
#define CHOWN(p, u, g) sys(SYS_fchownat, AT_FDCWD, L(p), u, g, 0)
#define LCHOWN(p, u, g) sys(SYS_fchownat, AT_FDCWD, L(p), u, g, AT_SYMLINK_NOFOLLOW)
#define SYMLINK(t, p) sys(SYS_symlinkat, L(t), AT_FDCWD, L(p), 0, 0)
#define READLINK(p, b, n) sys(SYS_readlinkat, AT_FDCWD, L(p), L(b), n, 0)
#define MKDIR(p, m) sys(SYS_mkdirat, AT_FDCWD, L(p), m, 0, 0)
#define RENAME(a, b) sys(SYS_renameat, AT_FDCWD, L(a), AT_FDCWD, L(b), 0)
#define MKNOD(p, m, d) sys(SYS_mknodat, AT_FDCWD, L(p), m, d, 0)
#define LINK(a, b) sys(SYS_linkat, AT_FDCWD, L(a), AT_FDCWD, L(b), 0)
#define UNLINK(p) sys(SYS_unlinkat, AT_FDCWD, L(p), 0, 0, 0)
#define RMDIR(p) sys(SYS_unlinkat, AT_FDCWD, L(p), AT_REMOVEDIR, 0, 0)
#else
#define OPEN(p, f, m) sys(SYS_open, L(p), f, m, 0, 0)
#define CREAT(p, m) sys(SYS_creat, L(p), m, 0, 0, 0)
#define STAT(p, st) sys(SYS_stat, L(p), L(st), 0, 0, 0)
#define LSTAT(p, st) sys(SYS_lstat, L(p), L(st), 0, 0, 0)
#define ACCESS(p, m) sys(SYS_access, L(p), m, 0, 0, 0)
#define CHMOD(p, m) sys(SYS_chmod, L(p), m, 0, 0, 0)
#define CHOWN(p, u, g) sys(SYS_chown, L(p), u, g, 0, 0)
#define LCHOWN(p, u, g) sys(SYS_lchown, L(p), u, g, 0, 0)
#define SYMLINK(t, p) sys(SYS_symlink, L(t), L(p), 0, 0, 0)
#define READLINK(p, b, n) sys(SYS_readlink, L(p), L(b), n, 0, 0)
#define MKDIR(p, m) sys(SYS_mkdir, L(p), m, 0, 0, 0)
#define RENAME(a, b) sys(SYS_rename, L(a), L(b), 0, 0, 0)
#define MKNOD(p, m, d) sys(SYS_mknod, L(p), m, d, 0, 0)
#define LINK(a, b) sys(SYS_link, L(a), L(b), 0, 0, 0)
#define UNLINK(p) sys(SYS_unlink, L(p), 0, 0, 0, 0)
#define RMDIR(p) sys(SYS_rmdir, L(p), 0, 0, 0, 0)
#endif

int main(int argc, char** argv) {
  if (argc < 2 || chdir(argv[1]) != 0) return 2;
  umask(022);
  char buf[4096];
  // Descriptors 3, 4 and 5 (the tracer leaves the tracee only 0, 1 and 2).
  int fd = (int)OPEN("data", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, "hello, file\n", 12) != 12) return 3;
  OPEN("missing", O_RDONLY, 0);
  int fd2 = (int)sys(SYS_openat, AT_FDCWD, L("data"), O_RDWR | O_APPEND | O_CLOEXEC, 0, 0);
  sys(SYS_openat, AT_FDCWD, L("."), O_RDWR | O_TMPFILE | O_EXCL, 0600, 0);
  sys(SYS_openat, AT_FDCWD, L("data"), O_ACCMODE | O_NOFOLLOW | O_NONBLOCK | 0x20, 0, 0);
  sys(SYS_openat, AT_FDCWD, L(BAD_PTR), O_RDONLY, 0, 0);
  int dfd = (int)sys(SYS_openat, AT_FDCWD, L("."), O_RDONLY | O_DIRECTORY, 0, 0);

  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
  long fd3 = sys(SYS_openat2, dfd, L("data"), L(&how), sizeof how, 0);
  how.flags = O_WRONLY | O_CREAT;
  how.mode = 0640;
  how.resolve = 0x100;
  sys(SYS_openat2, AT_FDCWD, L("data"), L(&how), sizeof how, 0);
  sys(SYS_openat2, AT_FDCWD, L("data"), L(BAD_PTR), sizeof how, 0);
  sys(SYS_openat2, AT_FDCWD, L("data"), L(&how), 12, 0);
  if (fd3 >= 0) close((int)fd3);
  CREAT("created", 0600);

  // The stat family: a regular file, a directory, a device, failures.
  char st[256];
#if defined(__x86_64__) || defined(__aarch64__)
  STAT("data", st);
  LSTAT("/dev/null", st);
  sys(SYS_fstat, fd, L(st), 0, 0, 0);
  STAT("missing", st);
  STAT("data", BAD_PTR);
  sys(SYS_newfstatat, AT_FDCWD, L("data"), L(st), 0, 0);
  sys(SYS_newfstatat, fd, L(""), L(st), AT_EMPTY_PATH, 0);
  sys(SYS_newfstatat, dfd, L("data"), L(st), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, 0);
#else
  sys(SYS_stat, L("data"), L(st), 0, 0, 0);
  sys(SYS_stat64, L("data"), L(st), 0, 0, 0);
  sys(SYS_lstat64, L("/dev/null"), L(st), 0, 0, 0);
  sys(SYS_fstat64, fd, L(st), 0, 0, 0);
  sys(SYS_stat64, L("missing"), L(st), 0, 0, 0);
  sys(SYS_stat64, L("data"), L(BAD_PTR), 0, 0, 0);
  sys(SYS_fstatat64, AT_FDCWD, L("data"), L(st), 0, 0);
  sys(SYS_fstatat64, fd, L(""), L(st), AT_EMPTY_PATH, 0);
  sys(SYS_fstatat64, dfd, L("data"), L(st), AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, 0);
#endif
  sys(SYS_statx, AT_FDCWD, L("data"), 0, STATX_TYPE | STATX_MODE | STATX_SIZE, L(st));
  sys(SYS_statx, AT_FDCWD, L("/dev/null"), AT_STATX_DONT_SYNC | AT_SYMLINK_NOFOLLOW,
      STATX_BASIC_STATS, L(st));
  sys(SYS_statx, AT_FDCWD, L("missing"), AT_STATX_FORCE_SYNC, STATX_ALL, L(st));
  sys(SYS_statx, AT_FDCWD, L("data"), 0, 0x80000000u, L(BAD_PTR));

  // Permissions.
  ACCESS("data", R_OK | W_OK);
  ACCESS("missing", F_OK);
  ACCESS("data", 0x10);
  sys(SYS_faccessat, AT_FDCWD, L("data"), X_OK, 0, 0);
  sys(SYS_faccessat2, dfd, L("data"), R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW, 0);
  sys(SYS_faccessat2, AT_FDCWD, L("data"), R_OK, 0x40000000, 0);
  CHMOD("data", 0640);
  sys(SYS_fchmod, fd, 04755, 0, 0, 0);
  sys(SYS_fchmodat, AT_FDCWD, L("data"), 0644, 0, 0);
  CHMOD("missing", 0x12345);
#if defined(__x86_64__) || defined(__aarch64__)
  CHOWN("data", -1, -1);
  LCHOWN("missing", 1000, -1);
  sys(SYS_fchown, fd, -1, -1, 0, 0);
#else
  sys(SYS_chown32, L("data"), -1, -1, 0, 0);
  sys(SYS_lchown32, L("missing"), 1000, -1, 0, 0);
  sys(SYS_fchown32, fd, -1, -1, 0, 0);
  sys(SYS_chown, L("data"), 0xffff, 0xffff, 0, 0);
#endif
  sys(SYS_fchownat, dfd, L("data"), -1, -1, AT_SYMLINK_NOFOLLOW);

  // Links, directories and names.
  SYMLINK("data", "link");
  READLINK("link", buf, sizeof buf);
  READLINK("link", buf, 2);
  sys(SYS_readlinkat, dfd, L("link"), L(buf), sizeof buf, 0);
  sys(SYS_readlinkat, AT_FDCWD, L("data"), L(buf), sizeof buf, 0);
  MKDIR("sub", 0755);
  sys(SYS_mkdirat, dfd, L("sub2"), 0700, 0, 0);
  MKDIR("sub", 0755);
  RENAME("created", "renamed");
  sys(SYS_renameat, AT_FDCWD, L("renamed"), dfd, L("renamed2"), 0);
  sys(SYS_renameat2, dfd, L("renamed2"), AT_FDCWD, L("data"), RENAME_NOREPLACE);
  sys(SYS_renameat2, AT_FDCWD, L("renamed2"), AT_FDCWD, L("sub"), RENAME_EXCHANGE);
  sys(SYS_renameat2, AT_FDCWD, L("a"), AT_FDCWD, L("b"), 0x100);
  MKNOD("fifo", S_IFIFO | 0644, 0);
  sys(SYS_mknodat, AT_FDCWD, L("nodir/dev"), S_IFCHR | 0600, makedev(1, 3), 0);
  sys(SYS_mknodat, dfd, L("nodir/sock"), S_IFSOCK | S_ISUID | 0755, 0, 0);
  LINK("data", "hard");
  sys(SYS_linkat, dfd, L("hard"), AT_FDCWD, L("hard2"), AT_SYMLINK_FOLLOW);
  UNLINK("hard");
  sys(SYS_unlinkat, dfd, L("hard2"), 0, 0, 0);
  sys(SYS_unlinkat, AT_FDCWD, L("sub2"), AT_REMOVEDIR, 0, 0);
  RMDIR("missing");

  // Directory entries: ".", "..", data, link, sub, renamed2, fifo.
  char dents[4096];
  sys(SYS_getdents64, dfd, L(dents), sizeof dents, 0, 0);
  sys(SYS_getdents64, dfd, L(dents), sizeof dents, 0, 0);
  sys(SYS_getdents64, fd, L(dents), sizeof dents, 0, 0);

  // Sizes and times.
#if defined(__x86_64__) || defined(__aarch64__)
  sys(SYS_truncate, L("data"), 100, 0, 0, 0);
  sys(SYS_ftruncate, fd, 12, 0, 0, 0);
#else
  sys(SYS_truncate, L("data"), 100, 0, 0, 0);
  sys(SYS_truncate64, L("data"), 16, 0, 0, 0);
  sys(SYS_ftruncate64, fd, 12, 0, 0, 0);
#endif
  struct timespec ts[2] = {{1700000000, 123456789}, {1700000001, 0}};
#if defined(__x86_64__) || defined(__aarch64__)
  sys(SYS_utimensat, AT_FDCWD, L("data"), L(ts), 0, 0);
  ts[0].tv_nsec = UTIME_NOW;
  ts[1].tv_nsec = UTIME_OMIT;
  sys(SYS_utimensat, dfd, L("data"), L(ts), AT_SYMLINK_NOFOLLOW, 0);
  sys(SYS_utimensat, fd, 0, 0, 0, 0);
  sys(SYS_utimensat, AT_FDCWD, L("data"), L(BAD_PTR), 0, 0);
#else
  sys(SYS_utimensat, AT_FDCWD, L("data"), L(ts), 0, 0);
  struct {
    int64_t sec, nsec;
  } ts64[2] = {{1700000000, 5}, {0, UTIME_OMIT}};
  sys(412 /* utimensat_time64 */, dfd, L("data"), L(ts64), AT_SYMLINK_NOFOLLOW, 0);
  sys(SYS_utimensat, fd, 0, 0, 0, 0);
#endif

  // The working directory.
  sys(SYS_getcwd, L(buf), sizeof buf, 0, 0, 0);
  sys(SYS_getcwd, L(buf), 1, 0, 0, 0);
  sys(SYS_chdir, L("sub"), 0, 0, 0, 0);
  sys(SYS_fchdir, dfd, 0, 0, 0, 0);
  sys(SYS_chdir, L("missing"), 0, 0, 0, 0);

  // File handles (their bytes vary with the file system: compared with strace only).
  struct {
    unsigned bytes;
    int type;
    unsigned char handle[128];
  } fh = {128, 0, {0}};
  int mount_id = 0;
  sys(SYS_name_to_handle_at, AT_FDCWD, L("data"), L(&fh), L(&mount_id), 0);
  fh.bytes = 0;
  sys(SYS_name_to_handle_at, dfd, L("data"), L(&fh), L(&mount_id), AT_SYMLINK_FOLLOW);
  sys(SYS_name_to_handle_at, dfd, L("data"), L(BAD_PTR), L(&mount_id), 0);
  sys(SYS_open_by_handle_at, -1, L(&fh), O_RDONLY | O_CLOEXEC, 0, 0);

  // File systems (their numbers vary: the test checks the shape).
  char sfs[128];
#if defined(__x86_64__) || defined(__aarch64__)
  sys(SYS_statfs, L("."), L(sfs), 0, 0, 0);
  sys(SYS_fstatfs, fd, L(sfs), 0, 0, 0);
#else
  sys(SYS_statfs, L("."), L(sfs), 0, 0, 0);
  sys(SYS_statfs64, L("."), 84, L(sfs), 0, 0);
  sys(SYS_fstatfs64, fd, 88, L(sfs), 0, 0);
#endif
  sys(SYS_statfs, L("missing"), L(sfs), 0, 0, 0);
  close(fd2);
  close(dfd);
  close(fd);
  return 0;
}
