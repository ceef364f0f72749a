// `ptk trace` on the desc family: the calls of tests/tracees/desc_calls.c (read/write and the
// iovec calls, pipes, dup, close_range, fcntl, lseek, copies, poll/select/epoll, eventfd,
// inotify, ioctl on pipes, files and a terminal, hostile arrays), checked against the lines
// strace 6.1 prints for them and, where strace is installed, against strace's own output for
// the same tracee with -v, -s, -x and -y.
#include <filesystem>
#include <fstream>
#include <regex>

#include "test_util.h"
#include "trace/trace_compare_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The syscalls of the desc family, as strace names them: the lines the comparison keeps.
const std::regex kDescCall(
    "^(read|write|pread64|pwrite64|readv|writev|preadv|preadv2|pwritev|pwritev2|close|"
    "close_range|dup|dup2|dup3|fcntl|fcntl64|lseek|pipe|pipe2|ioctl|poll|ppoll|select|"
    "_newselect|pselect6|ppoll_time64|pselect6_time64|epoll_create|epoll_create1|epoll_ctl|epoll_"
    "wait|epoll_pwait|"
    "epoll_pwait2|eventfd|eventfd2|inotify_init|inotify_init1|inotify_add_watch|"
    "inotify_rm_watch|sendfile|sendfile64|copy_file_range|splice|tee|vmsplice|flock|fsync|"
    "fdatasync|fallocate|fadvise64|fadvise64_64|sync_file_range|readahead)\\(");

// What differs between runs: addresses (a value with a /* NAME_??? */ comment is not one),
// the alignment of " = ", and pipe inode numbers under -y.
std::string mask(std::string l) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("0x[0-9a-f]{5,}(?![0-9a-f]| /\\*)"), "0xADDR"},
      {std::regex(" +="), " ="},
      {std::regex("pipe:\\[[0-9]+\\]"), "pipe:[N]"},
  };
  for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  return l;
}

class WorkDir : public ScratchDir {
 public:
  explicit WorkDir(int bits) : ScratchDir(fmt::format("/tmp/ptk-desc-{}-{}", ::getpid(), bits)) {}
};

std::vector<std::string> trace_with(const std::string& tracer, const std::vector<std::string>& opts,
                                    const std::vector<std::string>& cmd) {
  return trace_lines(tracer, opts, cmd);
}

// The tracee's own calls: from the close(-42) marker on, masked.
std::vector<std::string> own_calls(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (l.starts_with("close(-42)")) on = true;
    if (on) out.push_back(mask(l));
  }
  return out;
}

class TraceDesc : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    PTK_REQUIRE_TRACEE("desc_calls");
  }
  int bits() const { return GetParam(); }
  std::string prog() const { return tracee_path("desc_calls", bits()); }
};

TEST_P(TraceDesc, ExpectedLines) {
#if defined(__aarch64__)
  // These are x86's lines: aarch64's table lacks pipe, dup2, poll, select, epoll_create,
  // epoll_wait, eventfd and inotify_init (desc_calls.c makes pipe2, dup3, ppoll... there, and the
  // descriptors after epoll_create's are one lower), and O_LARGEFILE is 0x20000 there.
  // TraceDescVsStrace checks every line of this tracee against arm64's strace instead.
  GTEST_SKIP() << "x86's lines: on aarch64 TraceDescVsStrace checks this tracee against strace";
#endif
  WorkDir dir(bits());
  std::vector<std::string> got = own_calls(trace_with(PTK_CLI, {}, {prog(), dir.path()}));
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  bool i386 = bits() == 32;
  std::string fcntl = i386 ? "fcntl64" : "fcntl";
  std::string select = i386 ? "_newselect" : "select";
  std::vector<std::string> expected = {
      "pipe([3, 4]) = 0",
      "pipe2([5, 6], O_NONBLOCK|O_CLOEXEC) = 0",
      "pipe(0x10) = -1 EFAULT (Bad address)",
      "pipe2(0xADDR, 0x1 /* O_??? */) = -1 EINVAL (Invalid argument)",
      "write(4, \"hello\", 5) = 5",
      "write(4, \"\\0\\1\\177\\3777\\n\\t\\\"\\\\\", 9) = 9",
      "read(3, \"hel\", 3) = 3",
      "read(3, \"lo\\0\\1\\177\\3777\\n\\t\\\"\\\\\", 256) = 11",
      "read(5, 0xADDR, 256) = -1 EAGAIN (Resource temporarily unavailable)",
      "write(4, 0x10, 3) = -1 EFAULT (Bad address)",
      "write(4, \"0123456789abcdefghijklmnopqrstuv\"..., 42) = 42",
      "writev(4, [{iov_base=\"hello\", iov_len=5}, {iov_base=\"\\n\\0\\1\", iov_len=3}], 2) = 8",
      "readv(3, [{iov_base=\"hel\", iov_len=3}, {iov_base=\"lo\\n\\0\\1\", iov_len=20}, "
      "{iov_base=NULL, iov_len=0}], 3) = 8",
      "readv(5, [{iov_base=0xADDR, iov_len=3}, {iov_base=0xADDR, iov_len=20}], 2) = -1 EAGAIN",
      "writev(4, 0x10, 2) = -1 EFAULT (Bad address)",
      "writev(4, [], 0) = 0",
      "writev(4, [{iov_base=\"ab\", iov_len=2}, {iov_base=0x10, iov_len=1}, ... /* 0xADDR */], "
      "1000000000) = -1 EINVAL (Invalid argument)",
      "readv(3, [{iov_base=0xADDR, iov_len=2}, {iov_base=0x10, iov_len=1}, ... /* 0xADDR */], "
      "1000000000) = -1 EINVAL (Invalid argument)",
      "write(4, 0xADDR, 2147483648) = -1 EFAULT (Bad address)",
      "poll([{fd=3, events=POLLIN}, ... /* 0xADDR */], 1000000000, 0) = -1 EINVAL",
      "pwrite64(7, \"abcdef\", 6, 100) = 6",
      "pread64(7, \"bcde\", 4, 101) = 4",
      "pread64(7, \"\", 4, 1099511627776) = 0",
      "pwritev(7, [{iov_base=\"xyz\", iov_len=3}, {iov_base=\"0123\", iov_len=4}], 2, 10) = 7",
      "preadv(7, [{iov_base=\"xy\", iov_len=2}, {iov_base=\"z0123\\0\\0\\0\\0\\0\", iov_len=10}], "
      "2, 10) = 12",
      "preadv2(7, [{iov_base=\"yz\", iov_len=2}, ",
      "], 2, 11, RWF_NOWAIT) = ",
      "pwritev2(7, [{iov_base=\"xyz\", iov_len=3}], 1, -1, RWF_DSYNC|0x100) = ",
      "lseek(7, 0, SEEK_SET) = 0",
      "lseek(7, -2, SEEK_END) = 104",
      "lseek(7, 0, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)",
      "dup(7) = 8",
      "dup2(7, 20) = 20",
      "dup3(7, 21, O_CLOEXEC) = 21",
      "dup3(7, 22, 0x1 /* O_??? */) = -1 EINVAL (Invalid argument)",
      "close_range(20, 21, 0) = 0",
      "close_range(100, 4294967295, CLOSE_RANGE_CLOEXEC) = 0",
      "close_range(100, 200, 0x9 /* CLOSE_RANGE_??? */) = -1 EINVAL (Invalid argument)",
      fcntl + "(7, F_GETFD) = 0",
      fcntl + "(7, F_SETFD, FD_CLOEXEC) = 0",
      fcntl + "(7, F_GETFD) = 0x1 (flags FD_CLOEXEC)",
      fcntl + "(7, F_SETFD, FD_CLOEXEC|0x2) = 0",
      fcntl + (i386 ? "(7, F_GETFL) = 0x2 (flags O_RDWR)"
                    : "(7, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)"),
      fcntl + "(5, F_GETFL) = 0x800 (flags O_RDONLY|O_NONBLOCK)",
      fcntl + "(7, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0",
      fcntl + "(7, F_SETFL, O_RDWR|0xADDR) = 0",
      fcntl + "(7, F_DUPFD, 30) = 30",
      fcntl + "(7, F_DUPFD_CLOEXEC, 0) = 9",
      fcntl + "(7, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=1, l_len=2}) = 0",
      fcntl + "(7, F_GETLK, {l_type=F_UNLCK, l_whence=SEEK_SET, l_start=1, l_len=2, l_pid=0}) = 0",
      fcntl + "(7, F_GETLK, 0x10) = -1 EFAULT (Bad address)",
      fcntl +
          "(7, F_OFD_GETLK, {l_type=F_UNLCK, l_whence=SEEK_CUR, l_start=8589934592, l_len=5, "
          "l_pid=0}) = 0",
      fcntl + "(3, F_GETPIPE_SZ) = 65536",
      fcntl + "(3, F_SETPIPE_SZ, 65536) = 65536",
      fcntl + "(7, F_SETOWN, 0) = 0",
      fcntl + "(7, F_GETOWN) = 0",
      fcntl + "(7, F_GETOWN_EX, {type=F_OWNER_PID, pid=0}) = 0",
      fcntl + "(7, F_SETSIG, SIGUSR1) = 0",
      fcntl + "(7, F_GETSIG) = 10 (SIGUSR1)",
      fcntl + "(7, F_SETSIG, 0) = 0",
      fcntl + "(7, F_GETLEASE) = 0x2 (F_UNLCK)",
      fcntl + "(7, F_SETLEASE, 0x7 /* F_??? */) = -1 EINVAL (Invalid argument)",
      fcntl + "(7, F_NOTIFY, DN_MODIFY|DN_MULTISHOT) = -1 ENOTDIR (Not a directory)",
      fcntl + "(7, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_WRITE) = -1 EINVAL (Invalid argument)",
      fcntl + "(7, F_GET_SEALS) = -1 EINVAL (Invalid argument)",
      fcntl + "(7, 0x40f /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)",
      "flock(7, LOCK_EX|LOCK_NB) = 0",
      "flock(7, LOCK_UN) = 0",
      "fsync(7) = 0",
      "fdatasync(7) = 0",
      "fallocate(7, 0, 0, 4096) = 0",
      "fallocate(7, 0x80 /* FALLOC_FL_??? */, 0, 1) = -1 EOPNOTSUPP",
      "fadvise64(7, 0, 100, POSIX_FADV_SEQUENTIAL) = 0",
      "sync_file_range(7, 0, 100, SYNC_FILE_RANGE_WRITE) = 0",
      "readahead(7, 0, 4096) = 0",
      "copy_file_range(7, [100], 10, [0], 3, 0) = 3",
      "copy_file_range(7, NULL, 10, NULL, 3, 0) = 3",
      "splice(7, [103], 4, NULL, 2, SPLICE_F_MOVE|SPLICE_F_MORE) = 2",
      "tee(3, 6, 1, SPLICE_F_NONBLOCK) = 1",
      "vmsplice(6, [{iov_base=\"vmsp\", iov_len=4}], 1, SPLICE_F_GIFT) = 4",
      "sendfile(4, 7, [100] => [103], 3) = 3",
      "sendfile(4, 7, NULL, 0) = 0",
      "sendfile(4, -1, [103], 3) = -1 EBADF (Bad file descriptor)",
      "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT|POLLERR}, {fd=-1}], 3, 0) = 2 "
      "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])",
      "poll([{fd=-1}], 1, 0) = 0 (Timeout)",
      "poll(NULL, 0, 0) = 0 (Timeout)",
      "poll(0x10, 1, 0) = -1 EFAULT (Bad address)",
      "ppoll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT|POLLERR}], 2, {tv_sec=0, tv_nsec=0}, "
      "[USR1], 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}], left {tv_sec=0, "
      "tv_nsec=0})",
      "ppoll([{fd=-1}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0 (Timeout)",
      select +
          "(7, [3 5], [4], NULL, {tv_sec=0, tv_usec=0}) = 2 (in [3], out [4], left "
          "{tv_sec=0, tv_usec=0})",
      select + "(7, [5], NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)",
      select + "(-1, 0xADDR, NULL, NULL, NULL) = -1 EINVAL (Invalid argument)",
      select + "(0, NULL, NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)",
      select + "(2147483647, 0xADDR, NULL, NULL, {tv_sec=0, tv_usec=0}) = 0 (Timeout)",
      "pselect6(5, [3], [4], NULL, {tv_sec=0, tv_nsec=0}, {sigmask=[USR1], sigsetsize=8}) = 2 "
      "(in [3], out [4], left {tv_sec=0, tv_nsec=0})",
      "pselect6(5, [3], NULL, NULL, NULL, NULL) = 1 (in [3])",
      "epoll_create1(EPOLL_CLOEXEC) = 11",
      "epoll_create1(0x1 /* EPOLL_??? */) = -1 EINVAL (Invalid argument)",
      "epoll_create(1) = 12",
      "epoll_ctl(11, EPOLL_CTL_ADD, 3, {events=EPOLLIN|EPOLLET, data={u32=878082192, "
      "u64=78187493520}}) = 0",
      "epoll_ctl(11, EPOLL_CTL_ADD, 4, {events=EPOLLOUT, data={u32=4, u64=4}}) = 0",
      "epoll_ctl(11, EPOLL_CTL_DEL, 4, NULL) = 0",
      "epoll_ctl(11, 0x7 /* EPOLL_CTL_??? */, 4, 0x10) = -1 EFAULT (Bad address)",
      "epoll_wait(11, [], 4, 0) = 0",
      "epoll_pwait(11, [{events=EPOLLIN, data={u32=878082192, u64=78187493520}}], 4, 0, [USR1], "
      "8) = 1",
      "epoll_pwait(11, [], 4, 0, NULL, 8) = 0",
      "epoll_pwait2(11, [], 4, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0",
      "eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK) = 13",
      "eventfd(0) = 14",
      "inotify_init1(IN_NONBLOCK|IN_CLOEXEC) = 15",
      "inotify_init() = 16",
      "inotify_add_watch(15, \".\", IN_CREATE|IN_DELETE|IN_ONLYDIR) = 1",
      "inotify_add_watch(15, \".\", 0) = -1 EINVAL (Invalid argument)",
      "inotify_rm_watch(15, 1) = 0",
      "ioctl(3, FIONREAD, [2]) = 0",
      "ioctl(3, FIONBIO, [1]) = 0",
      "ioctl(3, FIOCLEX) = 0",
      "ioctl(3, FIONCLEX) = 0",
      "ioctl(7, TCGETS, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)",
      "ioctl(7, TIOCGWINSZ, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)",
      "ioctl(7, TIOCGPGRP, 0xADDR) = -1 ENOTTY (Inappropriate ioctl for device)",
      "ioctl(7, _IOC(_IOC_NONE, 0x56, 0x78, 0x1234), 0) = -1 ENOTTY",
      "ioctl(7, _IOC(_IOC_READ, 0x12, 0x34, 0x4), 0x1000) = -1 ENOTTY",
      "ioctl(7, _IOC(_IOC_READ|_IOC_WRITE, 0x99, 0x34, 0x4), 0) = -1 ENOTTY",
      "ioctl(7, BTRFS_IOC_CLONE or FICLONE, 3) = -1 EXDEV (Invalid cross-device link)",
      std::string("ioctl(7, ") + (i386 ? "FS_IOC32_GETFLAGS" : "FS_IOC_GETFLAGS") +
          ", 0x10) = -1 EFAULT (Bad address)",
      "close(-1) = -1 EBADF (Bad file descriptor)",
  };
  if (i386) {
    expected.insert(
        expected.end(),
        {
            "fcntl64(7, F_SETLK64, {l_type=F_UNLCK, l_whence=SEEK_CUR, l_start=8589934592, "
            "l_len=5}) = 0",
            "fcntl(7, F_SETLK64, 0) = -1 EFAULT (Bad address)",
            "fadvise64_64(7, 10, 0, POSIX_FADV_DONTNEED) = 0",
            "sendfile64(4, 7, [101] => [103], 2) = 2",
            "select(5, [3], NULL, NULL, {tv_sec=0, tv_usec=0}) = 1 (in [3], left {tv_sec=0, "
            "tv_usec=0})",
            "select(0x10) = -1 EFAULT (Bad address)",
            "ppoll_time64([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT|POLLERR}], 2, {tv_sec=0, "
            "tv_nsec=0}, [USR1], 8) = 2 ([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}], left "
            "{tv_sec=0, tv_nsec=0})",
            "pselect6_time64(5, [3], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = 1 (in [3], left "
            "{tv_sec=0, tv_nsec=0})",
        });
  }
  // The terminal part, when the system has a pseudo-terminal multiplexer (its descriptor
  // number depends on what the tracee inherited).
  std::smatch ptmx;
  if (std::regex_search(all, ptmx,
                        std::regex("\"/dev/ptmx\", O_RDWR\\|O_NOCTTY\\) = ([0-9]+)\n"))) {
    const std::string fd = ptmx[1];
    for (const char* call : {"ioctl({}, TIOCSPTLCK, [0]) = 0", "ioctl({}, TCGETS, {{c_iflag=",
                             "ioctl({}, SNDCTL_TMR_STOP or TCSETSW, {{c_iflag=",
                             "ioctl({}, TIOCSWINSZ, {{ws_row=24, ws_col=80, ws_xpixel=0, "
                             "ws_ypixel=0}}) = 0",
                             "ioctl({}, TIOCGWINSZ, {{ws_row=24, ws_col=80, ws_xpixel=0, "
                             "ws_ypixel=0}}) = 0",
                             "ioctl({}, TCFLSH, TCIFLUSH) = 0",
                             "ioctl({}, TCXONC, 0x9 /* TC??? */) = -1 EINVAL (Invalid argument)",
                             "ioctl({}, TCGETS, 0x10) = -1 EFAULT (Bad address)"}) {
      expected.push_back(fmt::format(fmt::runtime(call), fd));
    }
  }
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e)) << e;
}

// With -v the terminal's flags come whole: line discipline and control characters.
TEST_P(TraceDesc, VerboseTermios) {
  WorkDir dir(bits());
  std::vector<std::string> got = own_calls(trace_with(PTK_CLI, {"-v"}, {prog(), dir.path()}));
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  // Its descriptor number depends on what the tracee inherited; only a failed open skips.
  if (!std::regex_search(all, std::regex("\"/dev/ptmx\", O_RDWR\\|O_NOCTTY\\) = [0-9]+\n"))) {
    GTEST_SKIP() << "no /dev/ptmx";
  }
  EXPECT_TRUE(contains(all, ", c_line=N_TTY, c_cc=[[VINTR]=0x3, [VQUIT]=0x1c, [VERASE]=0x7f"));
  EXPECT_TRUE(contains(all, ", [VEOL2]=0, [17]=0, [18]=0]}) = 0"));
}

// -s cuts strings and, without -v, arrays: the second iovec of a writev is "...".
TEST_P(TraceDesc, StringLimit) {
  WorkDir dir(bits());
  std::vector<std::string> got = own_calls(trace_with(PTK_CLI, {"-s", "1"}, {prog(), dir.path()}));
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  EXPECT_TRUE(contains(all, "writev(4, [{iov_base=\"h\"..., iov_len=5}, ...], 2) = 8"));
#if defined(__aarch64__)
  // No poll there: desc_calls.c makes ppoll with a zero timeout.
  EXPECT_TRUE(contains(all,
                       "ppoll([{fd=3, events=POLLIN}, ...], 3, {tv_sec=0, tv_nsec=0}, NULL, 0) = 2 "
                       "([{fd=3, revents=POLLIN}, ...], left {tv_sec=0, tv_nsec=0})"));
#else
  EXPECT_TRUE(contains(all,
                       "poll([{fd=3, events=POLLIN}, ...], 3, 0) = 2 ([{fd=3, "
                       "revents=POLLIN}, ...])"));
#endif
}

// strace itself on the same tracee: every line of the family identical (addresses masked).
class TraceDescVsStrace
    : public ::testing::TestWithParam<std::tuple<int, std::vector<std::string>>> {};

TEST_P(TraceDescVsStrace, SameLinesAsStrace) {
  PTK_REQUIRE_TRACEE("desc_calls");
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  auto [bits, opts] = GetParam();
  PTK_REQUIRE_BITS(bits);
  WorkDir dir(bits);
  std::vector<std::string> cmd = {tracee_path("desc_calls", bits), dir.path()};
  std::vector<std::string> theirs = trace_with(kStrace, opts, cmd);
  dir.reset();
  std::vector<std::string> ours = trace_with(PTK_CLI, opts, cmd);
  auto family = [&](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& l : lines) {
      if (std::regex_search(l, kDescCall)) out.push_back(mask(l));
    }
    return out;
  };
  std::vector<std::string> want = family(theirs), got = family(ours);
  ASSERT_GT(want.size(), 140u);
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]);
}

INSTANTIATE_TEST_SUITE_P(Abis, TraceDesc, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

INSTANTIATE_TEST_SUITE_P(
    Options, TraceDescVsStrace,
    ::testing::Combine(::testing::Values(64, 32),
                       ::testing::Values(std::vector<std::string>{}, std::vector<std::string>{"-v"},
                                         std::vector<std::string>{"-s", "3"},
                                         std::vector<std::string>{"-y"},
                                         std::vector<std::string>{"-x", "-v", "-s", "300"})),
    [](const auto& info) {
      std::string name = fmt::format("m{}", std::get<0>(info.param));
      for (const std::string& o : std::get<1>(info.param)) {
        for (char c : o) {
          if (std::isalnum(static_cast<unsigned char>(c))) name += c;
        }
      }
      return name;
    });

}  // namespace
}  // namespace ptk_test
