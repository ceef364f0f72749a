// fd_details on descriptors of the test process itself: what each kind of -yy prints, and the
// text convention the renderers split (the tracee's path, then what ptk made).
#include "ptk/sys/fd_details.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <regex>
#include <string>

namespace ptk::sys {
namespace {

std::string shown(std::string_view text) {
  FdText t = split_fd_text(text);
  return std::string(t.path) + "|" + std::string(t.made);
}

std::uint64_t inode_of(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return st.st_ino;
}

TEST(FdDetails, SplitsPathFromMadeText) {
  EXPECT_EQ(shown("/etc/passwd"), "/etc/passwd|");
  EXPECT_EQ(shown(std::string("/dev/null") + kFdTextSep + "<char 1:3>"), "/dev/null|<char 1:3>");
  EXPECT_EQ(shown(std::string(1, kFdTextSep) + "TCP:[1]"), "|TCP:[1]");
}

TEST(FdDetails, UnixSocketpairShowsItsPeer) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  std::uint64_t a = inode_of(sv[0]), b = inode_of(sv[1]);
  FdDetailsOptions all{.kinds = kFdDecodeAll};
  EXPECT_EQ(shown(fd_details(::getpid(), sv[0], all)), fmt::format("|UNIX-STREAM:[{}->{}]", a, b));
  // Path alone: the link's text, as -y prints it.
  FdDetailsOptions path{.kinds = kFdDecodePath};
  EXPECT_EQ(fd_details(::getpid(), sv[1], path), fmt::format("socket:[{}]", b));
  // Socket alone: a file prints nothing.
  FdDetailsOptions socket{.kinds = kFdDecodeSocket};
  EXPECT_EQ(fd_details(::getpid(), -100, socket), "");
  ::close(sv[0]);
  ::close(sv[1]);
}

TEST(FdDetails, UnknownAndUndescribedSockets) {
  EXPECT_EQ(socket_details("PACKET", 7, 0), "");  // strace 6.1 prints its path
  // No such inode: the protocol and the inode.
  EXPECT_EQ(socket_details("TCP", 1, 0), "TCP:[1]");
  EXPECT_EQ(socket_details("UNIX-STREAM", 1, 0), "UNIX-STREAM:[1]");
}

TEST(FdDetails, DevicesAndPidfds) {
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(null, 0);
  FdDetailsOptions all{.kinds = kFdDecodeAll};
  EXPECT_EQ(shown(fd_details(::getpid(), null, all)), "/dev/null|<char 1:3>");
  FdDetailsOptions pidfd_only{.kinds = kFdDecodePidfd};
  EXPECT_EQ(fd_details(::getpid(), null, pidfd_only), "");
  ::close(null);
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0));
  if (pidfd < 0) GTEST_SKIP() << "no pidfd_open";
  EXPECT_EQ(shown(fd_details(::getpid(), pidfd, all)), fmt::format("|pid:{}", ::getpid()));
  ::close(pidfd);
}

}  // namespace
}  // namespace ptk::sys
