// getsockopt/setsockopt: the option's value is shown by level and option name, the way
// strace 6.1 does: ints as [N], a few structs field by field (a field the length cuts short as
// its bytes in hex), anything else as bytes.
#include "network_sockopt.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "decoders/bpf/bpf_filter.h"
#include "decoders/time/time_util.h"
#include "network_sockaddr.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::dec {

void hex_name(TokenList& o, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (n.empty()) {
    o.hex(value);
    o.xlat_note(unknown_name(table));
    return;
  }
  o.begin_flags();
  o.name(n, value);
  o.end_flags();
}

namespace {

constexpr std::uint64_t kHavePriv = 1ull << 32;  // priv holds the entry-time optlen
constexpr std::uint32_t kSolNetlink = 270;
constexpr std::uint32_t kSolPacket = 263;
constexpr int kSoGetFilter = 26;  // SO_ATTACH_FILTER on set, SO_GET_FILTER on get
constexpr int kSoTxrehash = 74;
constexpr int kSoAttachReuseportCbpf = 51;
constexpr std::uint32_t kSolRaw = 255, kIcmpFilter = 1;
// SOL_PACKET options (linux/if_packet.h).
constexpr std::uint32_t kPacketAddMembership = 1, kPacketDropMembership = 2;
constexpr std::uint32_t kPacketRxRing = 5, kPacketStatistics = 6, kPacketTxRing = 13;  // Linux 5.19

// The option name table of a level.
std::string_view option_table(std::uint32_t level) {
  switch (level) {
    case SOL_SOCKET:
      return "sockopt_name";
    case SOL_IP:
      return "sockopt_ip";
    case SOL_IPV6:
      return "sockopt_ipv6";
    case IPPROTO_TCP:
      return "sockopt_tcp";
    case IPPROTO_UDP:
      return "sockopt_udp";
    case kSolNetlink:
      return "sockopt_netlink";
    case kSolPacket:
      return "sockopt_packet";
    case kSolRaw:
      return "sockopt_raw";
    default:
      return {};
  }
}

// The SOL_SOCKET options whose value is one int (asm-generic/socket.h numbers, which x86
// uses); strace 6.1 prints these as [N] and others by their own rules.
bool int_option(std::uint32_t name) {
  static constexpr std::array<std::uint8_t, 43> kInts = {
      1,  2,  5,  6,  7,  8,  9,  10, 11, 12, 14, 15, 16, 18, 19, 27, 29, 30, 32, 33, 34, 35,
      36, 37, 40, 41, 42, 43, 44, 45, 46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 75};
  return std::find(kInts.begin(), kInts.end(), name) != kInts.end();
}

void sockopt_head(DecodeCtx& ctx, bool get) {
  auto level = static_cast<std::uint32_t>(ctx.u(1));
  auto name = static_cast<std::uint32_t>(ctx.u(2));
  TokenList& o = ctx.out();
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  hex_name(o, "socket_level", level);
  ctx.arg(2);
  std::string_view table = option_table(level);
  if (level == SOL_SOCKET && name == kSoGetFilter) {
    o.begin_flags();
    o.name(get ? "SO_GET_FILTER" : "SO_ATTACH_FILTER", name);
    o.end_flags();
  } else if (table.empty()) {
    o.uint_(name);
  } else {
    hex_name(o, table, name);
  }
}

// [N]: an int at addr, or the address when unreadable.
void int_at(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t v;
  if (!ctx.read(addr, v)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  ctx.out().int_(v);
  ctx.out().end_array();
}

// len bytes as \x escapes, or the address when unreadable.
void hex_bytes(DecodeCtx& ctx, std::uint64_t addr, std::size_t len) {
  std::array<char, 64> buf{};
  len = std::min(len, buf.size());
  if (!ctx.read(addr, buf.data(), len)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().raw(hex_quoted(std::string_view(buf.data(), len), false));
}

// A struct of 32-bit fields, each printed by `kinds` ('d' signed, 'u' unsigned, 'p' a pid) as far
// as len covers it; a field cut short shows its bytes in hex; one not reached is left out.
void int_fields(DecodeCtx& ctx, std::uint64_t addr, std::size_t len,
                std::span<const std::string_view> names, std::string_view kinds) {
  std::array<std::int32_t, 4> v{};
  len = std::min(len, names.size() * 4);
  if (!ctx.read(addr, v.data(), len)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  for (std::size_t i = 0; i < names.size() && i * 4 < len; ++i) {
    o.field(names[i]);
    if ((i + 1) * 4 > len) {
      const char* p = reinterpret_cast<const char*>(&v[i]);
      o.raw(hex_quoted(std::string_view(p, len - i * 4), false));
    } else if (kinds[i] == 'p') {
      ctx.pid(v[i], PidKind::Tgid);  // -Y names it, pidns translates
    } else if (kinds[i] == 'd') {
      o.int_(v[i]);
    } else {
      o.uint_(static_cast<std::uint32_t>(v[i]));
    }
  }
  o.end_struct();
}

// SO_TXREHASH's int as its name, in decimal when raw: [SOCK_TXREHASH_ENABLED]. A short
// length shows the address on set and the bytes on get.
void txrehash(DecodeCtx& ctx, std::uint64_t addr, std::int32_t len, bool get) {
  if (len < 4) {
    if (get) {
      hex_bytes(ctx, addr, static_cast<std::size_t>(len));
    } else {
      ctx.out().ptr(addr);
    }
    return;
  }
  std::int32_t v;
  if (!ctx.read(addr, v)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_array();
  const Xlat* x = find_xlat("sockopt_txrehash");
  std::string_view n =
      x != nullptr ? xlat_name(*x, static_cast<std::uint32_t>(v)) : std::string_view();
  if (n.empty()) {
    o.int_(v);
    o.xlat_note("SOCK_TXREHASH_???");
  } else {
    o.name(n, static_cast<std::uint32_t>(v));
  }
  o.end_array();
}

// struct packet_mreq: the address as a MAC of mr_alen bytes (at most 8).
void print_packet_mreq(DecodeCtx& ctx, std::uint64_t addr, std::int32_t len) {
  struct {
    std::int32_t mr_ifindex;
    std::uint16_t mr_type, mr_alen;
    unsigned char mr_address[8];
  } m;
  TokenList& o = ctx.out();
  if (len != static_cast<std::int32_t>(sizeof m) || !ctx.read(addr, m)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("mr_ifindex");
  print_ifindex(o, static_cast<std::uint32_t>(m.mr_ifindex));
  o.field("mr_type");
  const Xlat* x = find_xlat("packet_mreq_type");
  std::string_view n = x != nullptr ? xlat_name(*x, m.mr_type) : std::string_view();
  if (n.empty()) {
    o.hex(m.mr_type);
    o.xlat_note("PACKET_MR_???");
  } else {
    o.begin_flags();
    o.name(n, m.mr_type);
    o.end_flags();
  }
  o.field("mr_alen");
  o.uint_(m.mr_alen);
  o.field("mr_address");
  std::size_t alen = std::min<std::size_t>(m.mr_alen, sizeof m.mr_address);
  std::string mac;
  for (std::size_t i = 0; i < alen; ++i) {
    if (i != 0) mac += ':';
    mac += fmt::format("{:02x}", m.mr_address[i]);
  }
  o.styled(hex_quoted(std::string_view(reinterpret_cast<const char*>(m.mr_address), alen), false),
           mac);
  o.end_struct();
}

// struct icmp_filter: the ICMP types it filters out as a set, or (when more than half of the
// bits are set) the ones it lets through as ~[...].
void print_icmp_filter(DecodeCtx& ctx, std::uint64_t addr, std::int32_t len) {
  TokenList& o = ctx.out();
  if (len <= 0) {
    o.ptr(addr);
    return;
  }
  std::uint32_t data = ~0u;
  if (!ctx.read(addr, &data, std::min<std::size_t>(static_cast<std::size_t>(len), 4))) {
    o.ptr(addr);
    return;
  }
  bool negated = std::popcount(data) > 16;
  if (negated) data = ~data;
  const Xlat* x = find_xlat("icmp_filter_flags");
  o.begin_set(negated);
  for (unsigned bit = 0; bit < 32; ++bit) {
    if ((data & (1u << bit)) == 0) continue;
    std::string_view n = x != nullptr ? xlat_name(*x, bit) : std::string_view();
    if (n.empty()) {
      o.hex(bit);
      o.xlat_note("ICMP_???");
    } else {
      o.name(n, bit);
    }
  }
  o.end_set();
}

constexpr std::string_view kTpStats[] = {"tp_packets", "tp_drops", "tp_freeze_q_cnt"};
constexpr std::string_view kLinger[] = {"l_onoff", "l_linger"};
constexpr std::string_view kUcred[] = {"pid", "uid", "gid"};

void print_set_value(DecodeCtx& ctx, std::uint32_t level, std::uint32_t name, std::uint64_t addr,
                     std::int32_t len) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(addr);
    return;
  }
  if (level == SOL_SOCKET && name == SO_LINGER) {
    if (len < 8) {
      o.ptr(addr);
    } else {
      int_fields(ctx, addr, 8, kLinger, "dd");
    }
    return;
  }
  if (level == SOL_SOCKET && name == kSoTxrehash) {
    txrehash(ctx, addr, len, false);
    return;
  }
  if (level == SOL_SOCKET && (name == kSoGetFilter || name == kSoAttachReuseportCbpf) &&
      ctx.options().verbose) {
    // struct sock_fprog: an unsigned short and a pointer.
    if (len == 2 * ctx.word_size()) {
      bpf::print_sock_fprog_struct(ctx, addr, bpf::FilterKind::Socket);
    } else {
      o.ptr(addr);
    }
    return;
  }
  if ((level == SOL_SOCKET && int_option(name)) || level == kSolNetlink) {
    if (len < 4) {
      o.ptr(addr);
    } else {
      int_at(ctx, addr);
    }
    return;
  }
  if (level == SOL_IP && (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP)) {
    unsigned char mreq[8];
    if (len < 8 || !ctx.read(addr, mreq, sizeof mreq)) {
      o.ptr(addr);
      return;
    }
    o.begin_struct();
    o.field("imr_multiaddr");
    print_inet_addr(o, AF_INET, mreq, ctx.options().xlevel);
    o.field("imr_interface");
    print_inet_addr(o, AF_INET, mreq + 4, ctx.options().xlevel);
    o.end_struct();
    return;
  }
  // MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP (linux/in.h): struct group_req, an interface index
  // and a sockaddr_storage aligned as the tracee's long.
  constexpr int kMcastJoinGroup = 42, kMcastLeaveGroup = 45;
  if ((level == SOL_IP || level == SOL_IPV6) &&
      (name == kMcastJoinGroup || name == kMcastLeaveGroup)) {
    constexpr std::int32_t kStorage = 128;
    std::int32_t group_at = ctx.word_size();
    unsigned char whole[8 + kStorage];
    std::uint32_t ifindex = 0;
    // All of it readable, or the address (strace's umove of the whole struct).
    if (len < group_at + kStorage || !ctx.read(addr, whole, group_at + kStorage)) {
      o.ptr(addr);
      return;
    }
    std::memcpy(&ifindex, whole, 4);
    o.begin_struct();
    o.field("gr_interface");
    print_ifindex(o, ifindex);
    o.field("gr_group");
    print_sockaddr(ctx, addr + static_cast<std::uint64_t>(group_at), kStorage);
    o.end_struct();
    return;
  }
  if (level == kSolRaw && name == kIcmpFilter) {
    print_icmp_filter(ctx, addr, len);
    return;
  }
  if (level == kSolPacket && (name == kPacketRxRing || name == kPacketTxRing)) {
    std::uint32_t req[4];
    if (len != static_cast<std::int32_t>(sizeof req) || !ctx.read(addr, req)) {
      o.ptr(addr);
      return;
    }
    static constexpr std::string_view kNames[] = {"tp_block_size", "tp_block_nr", "tp_frame_size",
                                                  "tp_frame_nr"};
    o.begin_struct();
    for (std::size_t i = 0; i < 4; ++i) {
      o.field(kNames[i]);
      o.uint_(req[i]);
    }
    o.end_struct();
    return;
  }
  if (level == kSolPacket && (name == kPacketAddMembership || name == kPacketDropMembership)) {
    print_packet_mreq(ctx, addr, len);
    return;
  }
  // IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST
  // (linux/in6.h numbers): struct ipv6_mreq.
  if (level == SOL_IPV6 && (name == 20 || name == 21 || name == 27 || name == 28)) {
    ipv6_mreq mreq;
    if (len < static_cast<std::int32_t>(sizeof mreq) || !ctx.read(addr, mreq)) {
      o.ptr(addr);
      return;
    }
    char text[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &mreq.ipv6mr_multiaddr, text, sizeof text);
    std::string a = "inet_pton(AF_INET6, ";
    append_quoted(a, text, ctx.options().xlevel, false);
    a += ", &ipv6mr_multiaddr)";
    o.begin_struct();
    o.raw(a);
    o.field("ipv6mr_interface");
    print_ifindex(o, mreq.ipv6mr_interface);
    o.end_struct();
    return;
  }
  if (len == 4) {
    int_at(ctx, addr);
  } else {
    ctx.buffer(addr, static_cast<std::uint32_t>(len));
  }
}

void print_get_value(DecodeCtx& ctx, std::uint32_t level, std::uint32_t name, std::uint64_t addr,
                     std::int32_t ulen, std::int32_t rlen) {
  TokenList& o = ctx.out();
  // The kernel never returns a negative length: such a one was forged by the tracee.
  if (ulen <= 0 || rlen <= 0 || addr == 0) {
    o.ptr(addr);
    return;
  }
  auto len = static_cast<std::size_t>(rlen);
  if (level == SOL_SOCKET) {
    if (name == SO_LINGER) {
      int_fields(ctx, addr, len, kLinger, "dd");
      return;
    }
    if (name == SO_PEERCRED) {
      int_fields(ctx, addr, len, kUcred, "puu");
      return;
    }
    if (name == SO_ERROR) {
      if (len < 4) {
        hex_bytes(ctx, addr, len);
        return;
      }
      std::uint32_t err = 0;
      if (!ctx.read(addr, err)) {
        o.ptr(addr);
        return;
      }
      o.begin_array();
      std::string_view en = err != 0 ? errno_name(static_cast<int>(err)) : std::string_view();
      if (!en.empty()) {
        o.name(en, err);
      } else {
        o.uint_(err);
      }
      o.end_array();
      return;
    }
    if (name == kSoTxrehash) {
      txrehash(ctx, addr, rlen, true);
      return;
    }
    if (name == kSoGetFilter && ctx.options().verbose) {
      // The kernel returns the number of instructions, an unsigned short; a larger length
      // was forged by the tracee.
      if (static_cast<std::uint32_t>(rlen) <= UINT16_MAX) {
        bpf::print_fprog_filter(ctx, addr, static_cast<std::uint32_t>(rlen),
                                bpf::FilterKind::Socket);
      } else {
        o.ptr(addr);
      }
      return;
    }
    if (int_option(name)) {
      if (len >= 4) {
        int_at(ctx, addr);
      } else {
        hex_bytes(ctx, addr, len);
      }
      return;
    }
  }
  if (level == kSolNetlink) {
    int_at(ctx, addr);
    return;
  }
  if (level == kSolRaw && name == kIcmpFilter) {
    print_icmp_filter(ctx, addr, rlen);
    return;
  }
  if (level == kSolPacket && name == kPacketStatistics) {
    // struct tpacket_stats; a kernel may return the longer tpacket_stats_v3.
    int_fields(ctx, addr, len, kTpStats, "uuu");
    return;
  }
  if (len == 4) {
    int_at(ctx, addr);
  } else {
    ctx.buffer(addr, len);
  }
}

}  // namespace

void decode_setsockopt(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  sockopt_head(ctx, false);
  auto len = static_cast<std::int32_t>(ctx.u(4));
  ctx.arg(3);
  print_set_value(ctx, static_cast<std::uint32_t>(ctx.u(1)), static_cast<std::uint32_t>(ctx.u(2)),
                  ctx.u(3), len);
  ctx.arg(4);
  ctx.out().int_(len);
}

// getsockopt: optlen is read at entry (the caller's) and at exit (the kernel's), shown as
// [caller's => kernel's] when they differ.
void decode_getsockopt(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    sockopt_head(ctx, true);
    std::int32_t ulen = 0;
    sc.priv = 0;
    if (ctx.u(4) != 0 && ctx.read(ctx.u(4), ulen)) {
      sc.priv = kHavePriv | static_cast<std::uint32_t>(ulen);
      sc.more_at_exit = true;
      return;
    }
    ctx.arg(3);
    o.ptr(ctx.u(3));
    ctx.arg(4);
    o.ptr(ctx.u(4));
    return;
  }
  if ((sc.priv & kHavePriv) == 0) return;
  auto ulen = static_cast<std::int32_t>(sc.priv & 0xffffffffu);
  std::int32_t rlen = 0;
  ctx.arg(3);
  if (ctx.failed() || !ctx.read(ctx.u(4), rlen)) {
    o.ptr(ctx.u(3));
    ctx.arg(4);
    o.begin_array();
    o.int_(ulen);
    o.end_array();
    return;
  }
  print_get_value(ctx, static_cast<std::uint32_t>(ctx.u(1)), static_cast<std::uint32_t>(ctx.u(2)),
                  ctx.u(3), ulen, rlen);
  ctx.arg(4);
  o.begin_array();
  if (ulen != rlen) {
    o.raw_number(fmt::format("{} => {}", ulen, rlen), rlen);
  } else {
    o.int_(rlen);
  }
  o.end_array();
}

}  // namespace ptk::sys::dec
