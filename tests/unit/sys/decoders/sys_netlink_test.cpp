// Netlink messages sent on this process's own netlink sockets, decoded as strace 6.1 prints them.
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <string>

#include "ptk/arch/syscalls.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

// sendto(fd, buf, len, MSG_DONTWAIT, NULL, 0) by this process, as ptk prints it.
std::string sendto_line(int fd, const void* buf, std::size_t len) {
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(sc.arch, "sendto");
  EXPECT_NE(sc.spec, nullptr);
  if (sc.spec == nullptr) return {};
  sc.nr = sc.spec->nr;
  sc.pid = ::getpid();
  sc.tid = sc.pid;
  sc.raw_args = {static_cast<std::uint64_t>(fd),
                 reinterpret_cast<std::uint64_t>(buf),
                 len,
                 MSG_DONTWAIT,
                 0,
                 0};
  Memory mem(::getpid());
  DecodeOptions opts;
  decode_entry(sc, mem, opts);
  sc.ret = static_cast<std::int64_t>(len);
  decode_exit(sc, mem, opts);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  render_line(sc, text, out);
  return std::regex_replace(out, std::regex(" +="), " =");
}

// sendmsg(fd, {msg_name=sockaddr_nl or NULL, one iovec of buf}, 0) by this process.
std::string sendmsg_line(int fd, const void* buf, std::size_t len, bool named) {
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(sc.arch, "sendmsg");
  EXPECT_NE(sc.spec, nullptr);
  if (sc.spec == nullptr) return {};
  sc.nr = sc.spec->nr;
  sc.pid = ::getpid();
  sc.tid = sc.pid;
  sockaddr_nl to{};
  to.nl_family = AF_NETLINK;
  iovec iov{const_cast<void*>(buf), len};
  msghdr m{};
  if (named) {
    m.msg_name = &to;
    m.msg_namelen = sizeof to;
  }
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  sc.raw_args = {static_cast<std::uint64_t>(fd), reinterpret_cast<std::uint64_t>(&m), 0, 0, 0, 0};
  Memory mem(::getpid());
  DecodeOptions opts;
  decode_entry(sc, mem, opts);
  sc.ret = static_cast<std::int64_t>(len);
  decode_exit(sc, mem, opts);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  render_line(sc, text, out);
  return std::regex_replace(out, std::regex(" +="), " =");
}

class NetlinkSocket {
 public:
  // Bound, as strace's tests bind theirs: the kernel lists (and so names the protocol of)
  // only netlink sockets that have a port id.
  explicit NetlinkSocket(int protocol) : fd_(::socket(AF_NETLINK, SOCK_RAW, protocol)) {
    sockaddr_nl addr{};
    addr.nl_family = AF_NETLINK;
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~NetlinkSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

TEST(SysNetlink, RouteMessageWithStructAndAttribute) {
  NetlinkSocket s(NETLINK_ROUTE);
  if (s.fd() < 0) GTEST_SKIP() << "no NETLINK_ROUTE socket here";
  struct {
    nlmsghdr nlh;
    ifaddrmsg ifa;
    nlattr nla;
    std::uint32_t flags;
  } msg{};
  msg.nlh = {sizeof msg, RTM_GETADDR, NLM_F_DUMP, 0, 0};
  msg.ifa.ifa_family = AF_UNSPEC;
  msg.ifa.ifa_flags = IFA_F_SECONDARY;
  msg.ifa.ifa_index = 0;
  msg.nla = {8, IFA_FLAGS};
  msg.flags = IFA_F_SECONDARY | IFA_F_PERMANENT;
  std::string fd = std::to_string(s.fd());
  EXPECT_EQ(sendto_line(s.fd(), &msg, sizeof msg),
            "sendto(" + fd +
                ", [{nlmsg_len=32, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_DUMP, nlmsg_seq=0, "
                "nlmsg_pid=0}, {ifa_family=AF_UNSPEC, ifa_prefixlen=0, "
                "ifa_flags=IFA_F_SECONDARY, ifa_scope=RT_SCOPE_UNIVERSE, ifa_index=0}, "
                "[{nla_len=8, nla_type=IFA_FLAGS}, IFA_F_SECONDARY|IFA_F_PERMANENT]], 32, "
                "MSG_DONTWAIT, NULL, 0) = 32");
}

// ip(8) talks to the kernel with sendmsg/recvmsg: a message addressed to a netlink address is
// decoded as netlink, as strace does; without the address its buffer stays bytes.
TEST(SysNetlink, MsghdrToANetlinkAddressIsDecoded) {
  NetlinkSocket s(NETLINK_ROUTE);
  if (s.fd() < 0) GTEST_SKIP() << "no NETLINK_ROUTE socket here";
  nlmsghdr msg{sizeof(nlmsghdr), NLMSG_DONE, 0, 0, 0};
  std::string fd = std::to_string(s.fd());
  EXPECT_EQ(sendmsg_line(s.fd(), &msg, sizeof msg, true),
            "sendmsg(" + fd +
                ", {msg_name={sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, "
                "msg_namelen=12, msg_iov=[{iov_base={nlmsg_len=16, nlmsg_type=NLMSG_DONE, "
                "nlmsg_flags=0, nlmsg_seq=0, nlmsg_pid=0}, iov_len=16}], msg_iovlen=1, "
                "msg_controllen=0, msg_flags=0}, 0) = 16");
  EXPECT_EQ(sendmsg_line(s.fd(), &msg, sizeof msg, false).find("nlmsg_len"), std::string::npos);
}

TEST(SysNetlink, ErrorCarriesTheRequestAndShortPayloadsAreHex) {
  NetlinkSocket s(NETLINK_SOCK_DIAG);
  if (s.fd() < 0) GTEST_SKIP() << "no NETLINK_SOCK_DIAG socket here";
  struct {
    nlmsghdr nlh;
    nlmsgerr err;
  } msg{};
  msg.nlh = {sizeof msg, NLMSG_ERROR, NLM_F_REQUEST, 0, 0};
  msg.err.error = -13;
  msg.err.msg = {16, NLMSG_NOOP, NLM_F_REQUEST | 0x300, 42, 1234};
  std::string fd = std::to_string(s.fd());
  EXPECT_EQ(sendto_line(s.fd(), &msg, sizeof msg),
            "sendto(" + fd +
                ", [{nlmsg_len=36, nlmsg_type=NLMSG_ERROR, nlmsg_flags=NLM_F_REQUEST, "
                "nlmsg_seq=0, nlmsg_pid=0}, {error=-EACCES, msg={nlmsg_len=16, "
                "nlmsg_type=NLMSG_NOOP, nlmsg_flags=NLM_F_REQUEST|0x300, nlmsg_seq=42, "
                "nlmsg_pid=1234}}], 36, MSG_DONTWAIT, NULL, 0) = 36");
  const char bytes[] = "abcd";
  EXPECT_EQ(sendto_line(s.fd(), bytes, 4),
            "sendto(" + fd + ", \"\\x61\\x62\\x63\\x64\", 4, MSG_DONTWAIT, NULL, 0) = 4");
}

}  // namespace
}  // namespace ptk::sys
