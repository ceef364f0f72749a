// A socket's addresses by its inode, from the kernel's sock_diag netlink interface, as strace
// 6.1 prints them with -yy: inet_diag for TCP, UDP and the other inet protocols (a dump of
// the protocol's sockets, picked by inode), unix_diag (one socket by inode, with its name and
// peer) and netlink_diag. Each call opens its own NETLINK_SOCK_DIAG socket and asks afresh.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <optional>

#include "ptk/sys/escape.h"
#include "ptk/sys/fd_details.h"
#include "ptk/sys/xlat.h"

namespace ptk::sys {
namespace {

constexpr int kIpprotoL2tp = 115;  // IPPROTO_L2TP (linux/l2tp.h), not in glibc's netinet/in.h

enum class Diag { Inet, Unix, Netlink };

struct Proto {
  std::string_view name;  // the sockprotoname, as strace 6.1 knows it
  Diag diag;
  int family;
  int protocol;
};

// strace 6.1's table of protocols: a socket of another one prints its socket:[inode] path.
constexpr Proto kProtos[] = {
    {"UNIX", Diag::Unix, AF_UNIX, 0},
    {"UNIX-STREAM", Diag::Unix, AF_UNIX, 0},
    {"TCP", Diag::Inet, AF_INET, IPPROTO_TCP},
    {"UDP", Diag::Inet, AF_INET, IPPROTO_UDP},
    {"UDPLITE", Diag::Inet, AF_INET, IPPROTO_UDPLITE},
    {"DCCP", Diag::Inet, AF_INET, IPPROTO_DCCP},
    {"SCTP", Diag::Inet, AF_INET, IPPROTO_SCTP},
    {"L2TP/IP", Diag::Inet, AF_INET, kIpprotoL2tp},
    {"PING", Diag::Inet, AF_INET, IPPROTO_ICMP},
    {"RAW", Diag::Inet, AF_INET, IPPROTO_RAW},
    {"TCPv6", Diag::Inet, AF_INET6, IPPROTO_TCP},
    {"UDPv6", Diag::Inet, AF_INET6, IPPROTO_UDP},
    {"UDPLITEv6", Diag::Inet, AF_INET6, IPPROTO_UDPLITE},
    {"DCCPv6", Diag::Inet, AF_INET6, IPPROTO_DCCP},
    {"SCTPv6", Diag::Inet, AF_INET6, IPPROTO_SCTP},
    {"L2TP/IPv6", Diag::Inet, AF_INET6, kIpprotoL2tp},
    {"PINGv6", Diag::Inet, AF_INET6, IPPROTO_ICMP},
    {"RAWv6", Diag::Inet, AF_INET6, IPPROTO_RAW},
    {"NETLINK", Diag::Netlink, AF_NETLINK, 0},
};

class DiagSocket {
 public:
  DiagSocket() : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) {}
  ~DiagSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  DiagSocket(const DiagSocket&) = delete;
  DiagSocket& operator=(const DiagSocket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A parser sees one SOCK_DIAG_BY_FAMILY message's payload and its length; it returns the
// details when the message is the socket's, nullopt to read on.
using Parser = std::function<std::optional<std::string>(const void* data, std::size_t len)>;

// Sends the request and reads the answers until one describes the socket, the dump ends
// (NLMSG_DONE), the kernel reports an error (NLMSG_ERROR: no such socket), or nothing more is
// queued. Later reads do not wait: a dump's next part is made by the read itself.
std::string query(const void* req, std::size_t req_len, const Parser& parse) {
  DiagSocket sock;
  if (sock.fd() < 0) return {};
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  iovec iov{const_cast<void*>(req), req_len};
  msghdr msg{};
  msg.msg_name = &kernel;
  msg.msg_namelen = sizeof kernel;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  ssize_t sent;
  do {
    sent = ::sendmsg(sock.fd(), &msg, 0);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return {};
  // A dump's parts are at most 32 KiB (the kernel's largest netlink dump skb).
  alignas(nlmsghdr) static thread_local char buf[32768];
  int flags = 0;
  for (;;) {
    ssize_t n = ::recv(sock.fd(), buf, sizeof buf, flags);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    auto left = static_cast<unsigned>(n);
    for (auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) return {};
      if (h->nlmsg_len < NLMSG_LENGTH(0)) return {};
      if (auto found = parse(NLMSG_DATA(h), h->nlmsg_len - NLMSG_LENGTH(0))) return *found;
    }
    flags = MSG_DONTWAIT;
  }
}

std::string inet_details(const Proto& p, std::uint64_t inode) {
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } r{};
  r.nlh.nlmsg_len = sizeof r;
  r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.req.sdiag_family = static_cast<std::uint8_t>(p.family);
  r.req.sdiag_protocol = static_cast<std::uint8_t>(p.protocol);
  r.req.idiag_states = ~0U;  // every state: listening, connected, closed
  return query(&r, sizeof r, [&](const void* data, std::size_t len) -> std::optional<std::string> {
    if (len < sizeof(inet_diag_msg)) return std::string();
    inet_diag_msg m;
    std::memcpy(&m, data, sizeof m);
    if (m.idiag_inode != inode) return std::nullopt;
    if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6) return std::string();
    bool v6 = m.idiag_family == AF_INET6;
    auto addr = [&](const __be32* a, __be16 port) {
      char text[INET6_ADDRSTRLEN] = {};
      ::inet_ntop(m.idiag_family, a, text, sizeof text);
      return v6 ? fmt::format("[{}]:{}", text, ntohs(port))
                : fmt::format("{}:{}", text, ntohs(port));
    };
    static constexpr std::uint32_t kZero[4] = {};
    std::size_t addr_len = v6 ? 16 : 4;
    // A socket with no peer yet (bound, listening) shows its own address only.
    if (m.id.idiag_dport == 0 && std::memcmp(m.id.idiag_dst, kZero, addr_len) == 0) {
      return fmt::format("{}:[{}]", p.name, addr(m.id.idiag_src, m.id.idiag_sport));
    }
    return fmt::format("{}:[{}->{}]", p.name, addr(m.id.idiag_src, m.id.idiag_sport),
                       addr(m.id.idiag_dst, m.id.idiag_dport));
  });
}

std::string unix_details(const Proto& p, std::uint64_t inode, int xlevel) {
  struct {
    nlmsghdr nlh;
    unix_diag_req req;
  } r{};
  r.nlh.nlmsg_len = sizeof r;
  r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  r.nlh.nlmsg_flags = NLM_F_REQUEST;  // one socket, by inode (Linux 4.4.4 and later)
  r.req.sdiag_family = AF_UNIX;
  r.req.udiag_ino = static_cast<std::uint32_t>(inode);
  r.req.udiag_states = ~0U;
  r.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
  r.req.udiag_cookie[0] = INET_DIAG_NOCOOKIE;
  r.req.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
  return query(&r, sizeof r, [&](const void* data, std::size_t len) -> std::optional<std::string> {
    if (len < sizeof(unix_diag_msg)) return std::string();
    unix_diag_msg m;
    std::memcpy(&m, data, sizeof m);
    if (m.udiag_ino != inode) return std::nullopt;
    if (m.udiag_family != AF_UNIX) return std::string();
    std::uint32_t peer = 0;
    std::string_view name;
    bool named = false;
    const char* attrs = static_cast<const char*>(data) + NLMSG_ALIGN(sizeof m);
    int left = static_cast<int>(len) - static_cast<int>(NLMSG_ALIGN(sizeof m));
    for (auto* a = reinterpret_cast<const rtattr*>(attrs); left > 0 && RTA_OK(a, left);
         a = RTA_NEXT(a, left)) {
      auto payload = static_cast<std::size_t>(RTA_PAYLOAD(a));
      if (a->rta_type == UNIX_DIAG_NAME && !named) {
        named = payload > 0;
        name = std::string_view(static_cast<const char*>(RTA_DATA(a)),
                                std::min<std::size_t>(payload, 108));
      } else if (a->rta_type == UNIX_DIAG_PEER && payload >= 4) {
        std::memcpy(&peer, RTA_DATA(a), 4);
      }
    }
    // Neither peer nor name: strace prints it as a socket it knows nothing of, PROTO:[inode].
    if (peer == 0 && !named) return std::string();
    std::string out = fmt::format("{}:[{}", p.name, inode);
    if (peer != 0) fmt::format_to(std::back_inserter(out), "->{}", peer);
    if (named) {
      // A path, or an abstract name (its first byte NUL) as @name; either ends at a NUL.
      out += ',';
      if (name.front() == '\0') {
        out += '@';
        name.remove_prefix(1);
      }
      name = name.substr(0, name.find('\0'));
      append_quoted(out, name, xlevel, false);
    }
    out += ']';
    return out;
  });
}

std::string netlink_details(const Proto& p, std::uint64_t inode) {
  struct {
    nlmsghdr nlh;
    netlink_diag_req req;
  } r{};
  r.nlh.nlmsg_len = sizeof r;
  r.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.req.sdiag_family = AF_NETLINK;
  r.req.sdiag_protocol = NDIAG_PROTO_ALL;
  return query(&r, sizeof r, [&](const void* data, std::size_t len) -> std::optional<std::string> {
    if (len < sizeof(netlink_diag_msg)) return std::string();
    netlink_diag_msg m;
    std::memcpy(&m, data, sizeof m);
    if (m.ndiag_ino != inode) return std::nullopt;
    if (m.ndiag_family != AF_NETLINK) return std::string();
    std::string_view proto;
    if (const Xlat* table = find_xlat("netlink_protocol")) {
      proto = xlat_name(*table, m.ndiag_protocol);
    }
    if (proto.starts_with("NETLINK_")) proto.remove_prefix(8);
    if (proto.empty()) return fmt::format("{}:[{}]", p.name, m.ndiag_protocol);
    return fmt::format("{}:[{}:{}]", p.name, proto, m.ndiag_portid);
  });
}

}  // namespace

const std::string* SocketDetailsCache::find(std::uint64_t inode) const {
  const Slot& slot = slots_[inode % kSlots];
  return slot.inode == inode && !slot.details.empty() ? &slot.details : nullptr;
}

void SocketDetailsCache::store(std::uint64_t inode, std::string details) {
  Slot& slot = slots_[inode % kSlots];
  slot.inode = inode;
  slot.details = std::move(details);
}

std::string socket_details(std::string_view proto, std::uint64_t inode, int xlevel,
                           SocketDetailsCache* cache) {
  if (cache != nullptr) {
    if (const std::string* known = cache->find(inode)) return *known;
  }
  for (const Proto& p : kProtos) {
    if (p.name != proto) continue;
    std::string details;
    switch (p.diag) {
      case Diag::Inet:
        details = inet_details(p, inode);
        break;
      case Diag::Unix:
        details = unix_details(p, inode, xlevel);
        break;
      case Diag::Netlink:
        details = netlink_details(p, inode);
        break;
    }
    if (details.empty()) return fmt::format("{}:[{}]", p.name, inode);
    if (cache != nullptr) cache->store(inode, details);
    return details;
  }
  return {};
}

}  // namespace ptk::sys
