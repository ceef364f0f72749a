// Socket address printers by family (see network_sockaddr.h).
#include "network_sockaddr.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstdio>
#include <cstring>

#include "decoders/time/time_util.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::dec {

// An interface index as strace shows it: if_nametoindex("lo") when the tracer knows the name.
void print_ifindex(TokenList& o, std::uint32_t index) {
  char name[IF_NAMESIZE + 1] = {};
  if (index != 0 && ::if_indextoname(index, name) != nullptr) {
    std::string s = "if_nametoindex(";
    append_quoted(s, name, 0, false);
    s += ')';
    // A name: -X raw prints the number, -X verbose both (1 /* if_nametoindex("lo") */).
    o.name(s, index);
  } else {
    o.uint_(index);
  }
}

namespace {

constexpr std::size_t kFamilySize = sizeof(sa_family_t);
constexpr std::size_t kStorage = sizeof(sockaddr_storage);

std::uint16_t load16(const unsigned char* p) {
  std::uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::uint32_t load32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string quoted(const DecodeCtx& ctx, std::string_view bytes) {
  std::string s;
  append_quoted(s, bytes, ctx.options().xlevel, false);
  return s;
}

void print_un(DecodeCtx& ctx, const unsigned char* buf, std::size_t len) {
  std::size_t un_len = std::min(len, sizeof(sockaddr_un));
  std::size_t path_len = un_len - kFamilySize;
  const char* path = reinterpret_cast<const char*>(buf + kFamilySize);
  TokenList& o = ctx.out();
  o.field("sun_path");
  if (path[0] != '\0') {
    // Up to the first NUL; the buffer is zero-padded past the length.
    o.str(std::string_view(path, ::strnlen(path, path_len)));
  } else {
    // An abstract name: every byte of the length counts, NULs included.
    o.raw("@" + quoted(ctx, std::string_view(path + 1, path_len - 1)));
  }
}

std::string_view bytes_of(const unsigned char* p, std::size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}

}  // namespace

void print_net_port(TokenList& o, const unsigned char* bytes) {
  std::uint16_t port = ntohs(load16(bytes));
  o.styled(hex_quoted(bytes_of(bytes, 2), false), fmt::format("htons({})", port));
}

void print_sockaddr_in(DecodeCtx& ctx, TokenList& o, const unsigned char* buf) {
  o.field("sin_port");
  print_net_port(o, buf + offsetof(sockaddr_in, sin_port));
  o.field("sin_addr");
  print_inet_addr(o, AF_INET, buf + offsetof(sockaddr_in, sin_addr), ctx.options().xlevel);
}

void print_sockaddr_in6(DecodeCtx& ctx, TokenList& o, const unsigned char* buf, std::size_t len) {
  o.field("sin6_port");
  print_net_port(o, buf + offsetof(sockaddr_in6, sin6_port));
  o.field("sin6_flowinfo");
  const unsigned char* flow_bytes = buf + offsetof(sockaddr_in6, sin6_flowinfo);
  o.styled(hex_quoted(bytes_of(flow_bytes, 4), false),
           fmt::format("htonl({})", ntohl(load32(flow_bytes))));
  // No field name by default: strace shows the address as the call that fills it.
  print_inet_addr(o, AF_INET6, buf + offsetof(sockaddr_in6, sin6_addr), ctx.options().xlevel);
  if (len <= offsetof(sockaddr_in6, sin6_scope_id)) return;
  o.field("sin6_scope_id");
  in6_addr a;
  std::memcpy(&a, buf + offsetof(sockaddr_in6, sin6_addr), sizeof a);
  std::uint32_t scope = load32(buf + offsetof(sockaddr_in6, sin6_scope_id));
  if (IN6_IS_ADDR_LINKLOCAL(&a) || IN6_IS_ADDR_MC_LINKLOCAL(&a)) {
    print_ifindex(o, scope);
  } else {
    o.uint_(scope);
  }
}

namespace {

void print_nl(DecodeCtx& ctx, TokenList& o, const unsigned char* buf) {
  sockaddr_nl nl;
  std::memcpy(&nl, buf, sizeof nl);
  if (nl.nl_pad != 0) {
    o.field("nl_pad");
    o.hex(nl.nl_pad);
  }
  o.field("nl_pid");
  // A port id is most often its process's pid: -Y names it and --decode-pids=pidns translates
  // it, as strace does (nl_pid=12<sh>).
  ctx.pid(static_cast<std::int32_t>(nl.nl_pid), PidKind::Tgid);
  o.field("nl_groups");
  // printf's %#08x: zero has no 0x prefix.
  char text[16];
  std::snprintf(text, sizeof text, "%#08x", nl.nl_groups);
  o.raw_number(text, nl.nl_groups);
}

void print_ll(TokenList& o, const unsigned char* buf, std::size_t len) {
  sockaddr_ll ll;
  std::memcpy(&ll, buf, sizeof ll);
  o.field("sll_protocol");
  std::uint16_t proto = ntohs(ll.sll_protocol);
  const Xlat* x = find_xlat("ethernet_protocol");
  std::string_view n = x != nullptr ? xlat_name(*x, proto) : std::string_view();
  // The bytes as they are (network order) with -X raw; htons(NAME) by default.
  o.styled(
      hex_quoted(bytes_of(buf + offsetof(sockaddr_ll, sll_protocol), 2), false),
      n.empty() ? fmt::format("htons({:#x} /* ETH_P_??? */)", proto) : fmt::format("htons({})", n));
  o.field("sll_ifindex");
  print_ifindex(o, static_cast<std::uint32_t>(ll.sll_ifindex));
  o.field("sll_hatype");
  xval(o, "arp_hardware_type", ll.sll_hatype);
  o.field("sll_pkttype");
  xval(o, "packet_type", ll.sll_pkttype);
  o.field("sll_halen");
  o.uint_(ll.sll_halen);
  if (ll.sll_halen == 0) return;
  o.field("sll_addr");
  o.begin_array();
  std::size_t in_buf = len - offsetof(sockaddr_ll, sll_addr);
  bool cut = false;
  for (std::size_t i = 0; i < ll.sll_halen; ++i) {
    if (i >= in_buf || i >= sizeof ll.sll_addr) {
      cut = true;
      break;
    }
    o.raw_number(fmt::format("{:#04x}", ll.sll_addr[i]), ll.sll_addr[i]);
  }
  o.end_array(cut);
}

}  // namespace

void print_inet_addr(TokenList& o, int family, const unsigned char* bytes, int xlevel,
                     std::string_view var) {
  std::size_t size = family == AF_INET ? 4 : 16;
  std::string raw = hex_quoted(bytes_of(bytes, size), false);
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, bytes, text, sizeof text) == nullptr) {
    o.raw(raw);
    return;
  }
  std::string quoted_text;
  append_quoted(quoted_text, text, xlevel, false);
  if (family == AF_INET) {
    // The caller printed the field name, the same in every -X style.
    o.styled(raw, fmt::format("inet_addr({})", quoted_text));
    return;
  }
  // An IPv6 address names its field only when -X shows the bytes: by default it is the
  // inet_pton call that fills the field.
  std::string field = fmt::format("{}={}", var, raw);
  o.styled(field, fmt::format("inet_pton(AF_INET6, {}, &{})", quoted_text, var),
           fmt::format("{} /* inet_pton(AF_INET6, {}) */", field, quoted_text));
}

void print_sockaddr_data(TokenList& o, const unsigned char* buf, std::size_t len) {
  o.field("sa_data");
  o.str(bytes_of(buf + kFamilySize, len - kFamilySize));
}

int print_sockaddr(DecodeCtx& ctx, std::uint64_t addr, std::int64_t len) {
  TokenList& o = ctx.out();
  if (len < static_cast<std::int64_t>(kFamilySize) || addr == 0) {
    o.ptr(addr);
    return -1;
  }
  std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len), kStorage);
  // One byte past the storage stays zero: sun_path of a full-length name ends there.
  unsigned char buf[kStorage + 1] = {};
  if (!ctx.read(addr, buf, n)) {
    o.ptr(addr);
    return -1;
  }
  int family = load16(buf);
  o.begin_struct();
  o.field("sa_family");
  xval(o, "address_family", static_cast<std::uint64_t>(family));
  if (n > kFamilySize) {
    // A family printer needs its whole struct; a shorter one shows the raw sa_data.
    bool done = true;
    if (family == AF_UNIX) {
      print_un(ctx, buf, n);
    } else if (family == AF_INET && n >= sizeof(sockaddr_in)) {
      print_sockaddr_in(ctx, o, buf);
    } else if (family == AF_INET6 && n >= offsetof(sockaddr_in6, sin6_scope_id)) {
      print_sockaddr_in6(ctx, o, buf, n);
    } else if (family == AF_NETLINK && n >= sizeof(sockaddr_nl)) {
      print_nl(ctx, o, buf);
    } else if (family == AF_PACKET && n >= sizeof(sockaddr_ll)) {
      print_ll(o, buf, n);
    } else {
      done = print_sockaddr_more(ctx, family, buf, n) || print_sockaddr_legacy(ctx, family, buf, n);
    }
    if (!done) print_sockaddr_data(o, buf, n);
  }
  o.end_struct();
  return family;
}

}  // namespace ptk::sys::dec
