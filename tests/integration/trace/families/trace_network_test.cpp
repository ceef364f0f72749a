// `ptk trace` on the network family: socket calls, socket addresses, options and messages of
// tests/tracees/network_calls.c, checked against fixed lines and, where strace is installed,
// against strace's own output for the same tracee (addresses masked).

#include <fmt/ranges.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The tracee's own calls: from the first line starting with `from` to exit_group, with
// addresses and alignment padding masked.
std::vector<std::string> section(const std::vector<std::string>& lines, std::string_view from) {
  // Addresses vary between runs; a value with a /* NAME_??? */ comment is not an address.
  static const std::regex kAddr("0x[0-9a-f]{5,}(?![0-9a-f]| /\\*)");
  static const std::regex kPad(" +=");
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (!on && l.starts_with(from)) on = true;
    if (!on) continue;
    if (l.starts_with("exit_group(")) break;
    out.push_back(std::regex_replace(std::regex_replace(l, kAddr, "0xADDR"), kPad, " ="));
  }
  return out;
}

// The UDP port the tracee binds (five digits, also the end of its abstract socket's name): one
// per test process, as tests run side by side.
int tracee_port() { return 20000 + ::getpid() % 20000; }

std::vector<std::string> trace_with(const std::string& tracer, std::vector<std::string> opts,
                                    const std::string& prog) {
  TempFile out("net");
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out.path()});
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.insert(argv.end(), {"--", prog, std::to_string(tracee_port())});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  return read_lines(out.path());
}

class TraceNetwork : public ptk_test::BitsTest {
 protected:
  std::string prog() const { return tracee_path("network_calls", GetParam()); }
};

TEST_P(TraceNetwork, ExpectedLines) {
  std::vector<std::string> got = section(trace_with(PTK_CLI, {}, prog()), "socket(AF_INET,");
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  const std::string abs = fmt::format("@\"ptk-net-{}\"", tracee_port());
  const std::vector<std::string> expected = {
      "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3",
      "socket(AF_INET6, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_UDP) = 4",
      "socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 5",
      "socket(AF_UNIX, SOCK_STREAM, 0) = 6",
      "socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP))",
      "socket(0x2e /* AF_??? */, 0xf /* SOCK_??? */, 7) = -1 EAFNOSUPPORT",
      "connect(3, {sa_family=AF_INET, sin_port=htons(1), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 ECONNREFUSED",
      "bind(4, {sa_family=AF_INET6, sin6_port=htons(" + std::to_string(tracee_port()) +
          "), sin6_flowinfo=htonl(0), "
          "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
      "bind(5, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0",
      "connect(6, {sa_family=AF_UNIX, sun_path=\"/nonexistent/ptk.sock\"}, 24) = -1 ENOENT",
      "bind(8, {sa_family=AF_UNIX, sun_path=" + abs + "}, 16) = 0",
      "getsockname(8, {sa_family=AF_UNIX, sun_path=" + abs + "}, [110 => 16]) = 0",
      "accept4(8, {sa_family=AF_UNIX}, [110 => 2], SOCK_CLOEXEC) = 10",
      "accept(-1, 0xADDR, [16]) = -1 EBADF",
      "sendto(9, \"hello\", 5, MSG_NOSIGNAL, NULL, 0) = 5",
      "recvfrom(10, \"hello\", 256, MSG_DONTWAIT, NULL, NULL) = 5",
      "sendto(9, \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"..., 100, 0, NULL, 0) = 100",
      "recvfrom(10, \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"..., 256, 0, 0xADDR, [110 => 0]) = 100",
      "socketpair(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0, [11, 12]) = 0",
      "sendmsg(11, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"abc\", iov_len=3}, "
      "{iov_base=\"defgh\", iov_len=5}], msg_iovlen=2, msg_control=[{cmsg_len=" +
          std::string(GetParam() == 64 ? "24" : "20") +
          ", cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}]",
      "cmsg_data=[13, 14]}]",
      "msg_flags=MSG_CMSG_CLOEXEC}, MSG_CMSG_CLOEXEC) = 8",
      "sendmsg(11, {msg_name=NULL, msg_namelen=0, msg_iov=NULL, msg_iovlen=0, "
      "msg_controllen=0, msg_flags=0}, MSG_DONTWAIT) = 0",
      "sendmmsg(11, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"one\", "
      "iov_len=3}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=3}, ",
      "{iov_base=\"two!\", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, "
      "msg_len=4}], 2, MSG_DONTWAIT, NULL) = 2",
      "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
      "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0",
      "setsockopt(4, SOL_IPV6, IPV6_V6ONLY, [1], 4) = -1 EINVAL",
      "setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=5}, 8) = 0",
      "setsockopt(3, SOL_SOCKET, SO_BINDTODEVICE, \"lo\\0\", 3) = 0",
      "getsockopt(3, SOL_SOCKET, SO_TYPE, [1], [4]) = 0",
      "getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0",
      "getsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], [64 => 4]) = 0",
      "getsockopt(3, SOL_SOCKET, 0x270f /* SO_??? */, 0xADDR, [4]) = -1 ENOPROTOOPT",
      "setsockopt(3, 0x270f /* SOL_?? */, 1, [1], 4) = -1 ENOPROTOOPT",
      "shutdown(9, SHUT_WR) = 0",
      "shutdown(9, 0x7 /* SHUT_??? */) = -1 EINVAL",
      "connect(3, {sa_family=0x2e /* AF_??? */, sa_data=\"\\0\\1\\177\\0\\0\\1\\0\\0\\0\\0\\0\\0"
      "\\0\\0\"}, 16) = -1 EAFNOSUPPORT",
      "connect(3, 0xADDR, 1) = -1 EINVAL",
      "connect(3, 0x10, 16) = -1 EFAULT",
      "connect(3, NULL, 0) = -1 EINVAL",
      "sendto(9, 0x10, 2147483648, MSG_OOB|MSG_PEEK|",
      "msg_iov=0x10, msg_iovlen=1073741824, msg_controllen=0, msg_flags=0}, 0) = -1 EMSGSIZE",
      "recvmsg(12, 0x10, 0) = -1 EFAULT",
      "msg_control=0x10, msg_controllen=2147483648, msg_flags=0}, 0) = -1 ENOBUFS",
      "getsockname(8, 0xADDR, 0x10) = -1 EFAULT",
  };
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e));
  // The sockaddr of a length past sockaddr_storage is bounded to 128 bytes.
  for (const std::string& l : got) {
    if (l.ends_with(", 1000) = -1 EINVAL (Invalid argument)")) {
      EXPECT_LT(l.size(), 600u) << l;
    }
  }
}

TEST_P(TraceNetwork, MatchesStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  for (const std::vector<std::string>& opts :
       {std::vector<std::string>{}, {"-s", "4"}, {"-v"}, {"-x"}}) {
    std::vector<std::string> ours = section(trace_with(PTK_CLI, opts, prog()), "socket(AF_INET,");
    std::vector<std::string> theirs = section(trace_with(kStrace, opts, prog()), "socket(AF_INET,");
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
      EXPECT_EQ(ours[i], theirs[i]) << "options: " << fmt::format("{}", fmt::join(opts, " "));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceNetwork, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
