// Decoding and -P matching of the multiplexed and vectored I/O calls, where strace has
// quirks of its own: recvmmsg's per-message msg_namelen, select's "()" when the kernel
// cleared every set, mq_open's undecoded mq_flags, and -P through pollfds and fd_sets.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <string>

#include "decoded_line.h"
#include "ptk/sys/path_filter.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(IoSelect, RecvmmsgShowsEachCallersNamelen) {
  std::array<char, 1> data{'x'};
  iovec iov{data.data(), data.size()};
  sockaddr_storage name{};
  std::array<mmsghdr, 1> vec{};
  vec[0].msg_hdr.msg_name = &name;
  vec[0].msg_hdr.msg_namelen = 0;  // the caller's
  vec[0].msg_hdr.msg_iov = &iov;
  vec[0].msg_hdr.msg_iovlen = 1;
  vec[0].msg_len = 1;
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(Arch::X86_64, "recvmmsg");
  ASSERT_NE(sc.spec, nullptr);
  sc.nr = sc.spec->nr;
  sc.raw_args = {3, addr(vec.data()), 1, 0, 0, 0};
  Memory mem(::getpid());
  DecodeOptions opts;
  decode_entry(sc, mem, opts);
  vec[0].msg_hdr.msg_namelen = 38;  // what the kernel wrote back
  name.ss_family = AF_UNIX;
  sc.ret = 1;
  decode_exit(sc, mem, opts);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  render_line(sc, text, out);
  // The caller gave no room for the name: its address, and the length the kernel wanted.
  EXPECT_NE(out.find(fmt::format("msg_name={:#x}, msg_namelen=0 => 38,", addr(&name))),
            std::string::npos)
      << out;
}

TEST(IoSelect, EmptiedSetsStillShowTheirParentheses) {
  // The same set for all three, as xselect.c passes it: the kernel's last write (the
  // exceptions, none) leaves it empty although one descriptor was ready.
  fd_set set;
  FD_ZERO(&set);
  Args args = {5, addr(&set), addr(&set), addr(&set), 0, 0};
  EXPECT_EQ(decoded_line(Arch::X86_64, "select", args, 1), "select(5, [], [], [], NULL) = 1 ()");
}

TEST(IoSelect, MqOpenPrintsMqFlagsInHex) {
  std::array<long, 8> attr{0x800, 2, 64, 0, 0, 0, 0, 0};  // O_NONBLOCK, ignored by mq_open
  std::string line = decoded_line(Arch::X86_64, "mq_open",
                                  {addr("/q"), O_RDWR | O_CREAT, 0600, addr(attr.data()), 0, 0}, 3);
  EXPECT_NE(line.find("{mq_flags=0x800, mq_maxmsg=2, mq_msgsize=64, mq_curmsgs=0}"),
            std::string::npos)
      << line;
  std::string get =
      decoded_line(Arch::X86_64, "mq_getsetattr", {3, 0, addr(attr.data()), 0, 0, 0}, 0);
  EXPECT_NE(get.find("{mq_flags=O_NONBLOCK,"), std::string::npos) << get;
}

// -P: a descriptor inside a poll array or an fd_set selects the call, as strace's pathtrace.
class PathFilterIo : public ::testing::Test {
 protected:
  DecodedSyscall call(std::string_view name, Args args) {
    DecodedSyscall sc;
    sc.arch = Arch::X86_64;
    sc.spec = find_syscall(Arch::X86_64, name);
    sc.nr = sc.spec->nr;
    sc.pid = ::getpid();
    sc.raw_args = args;
    return sc;
  }
  bool matches(const DecodedSyscall& sc) {
    Memory mem(::getpid());
    return filter_.matches(sc, mem, fd_path_);
  }
  PathFilter filter_;
  // Descriptor 9 is /dev/full, every other one something else.
  FdPathFn fd_path_ = [](pid_t, int fd) { return std::string(fd == 9 ? "/dev/full" : "/x"); };
};

TEST_F(PathFilterIo, PollArrays) {
  filter_.add("/dev/full");
  std::array<pollfd, 3> fds{{{3, POLLIN, 0}, {9, POLLOUT, 0}, {4, POLLIN, 0}}};
  EXPECT_TRUE(matches(call("poll", {addr(fds.data()), 3, 0, 0, 0, 0})));
  EXPECT_FALSE(matches(call("poll", {addr(fds.data()), 1, 0, 0, 0, 0})));
  EXPECT_TRUE(matches(call("ppoll", {addr(fds.data() + 1), 1, 0, 0, 8, 0})));
}

TEST_F(PathFilterIo, SelectSets) {
  filter_.add("/dev/full");
  fd_set none, with9;
  FD_ZERO(&none);
  FD_ZERO(&with9);
  FD_SET(3, &with9);
  FD_SET(9, &with9);
  EXPECT_TRUE(matches(call("select", {10, addr(&none), 0, addr(&with9), 0, 0})));
  EXPECT_FALSE(matches(call("select", {9, addr(&with9), 0, 0, 0, 0})));  // nfds stops at 8
  EXPECT_FALSE(matches(call("pselect6", {10, addr(&none), addr(&none), 0, 0, 0})));
}

TEST(PathFilter, ARelativePathAlsoMatchesItsRealPath) {
  char dir[] = "/tmp/ptk-pf-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  std::string file = std::string(dir) + "/f";
  int fd = ::open(file.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  ::close(fd);
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(::chdir(dir), 0);
  PathFilter filter;
  filter.add("f");  // as -P f in that directory
  ASSERT_EQ(::chdir(cwd), 0);
  EXPECT_TRUE(filter.matches_path(file));
  EXPECT_TRUE(filter.matches_path("f"));
  ::unlink(file.c_str());
  ::rmdir(dir);
}

}  // namespace
}  // namespace ptk::sys
