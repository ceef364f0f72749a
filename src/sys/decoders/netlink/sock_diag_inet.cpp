// AF_INET/AF_INET6 sock_diag requests (struct inet_diag_req of TCPDIAG_GETSOCK/DCCPDIAG_GETSOCK,
// struct inet_diag_req_v2 otherwise) with their bytecode filters (linux/inet_diag.h). The
// responses print their family and bytes for now.
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/packet_diag.h>
#include <linux/smc_diag.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "decoders/network/network_sockaddr.h"
#include "decoders/time/time_util.h"
#include "netlink_sock_diag.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::nl {
namespace {

// idiag_ext: bit N-1 asks for attribute N, spelled 1<<(INET_DIAG_TOS-1).
void ext_flags(TokenList& o, std::uint32_t value, std::string_view table = "inet_diag_attrs",
               std::string_view unknown = "1<<INET_DIAG_\?\?\?-1") {
  const Xlat* x = find_xlat(table);
  o.begin_flags();
  std::uint32_t rest = value;
  bool any = false;
  for (unsigned bit = 0; bit < 32 && x != nullptr; ++bit) {
    if ((value & (1u << bit)) == 0) continue;
    std::string_view n = xlat_name(*x, bit + 1);
    if (n.empty()) continue;
    o.name(fmt::format("1<<({}-1)", n), 1u << bit);
    rest &= ~(1u << bit);
    any = true;
  }
  finish_flags(o, rest, any, unknown);
}

// An address field of the sockid: name=inet_addr(...), inet_pton(AF_INET6, ..., &name), or
// the bytes for another family.
void addr_field(DecodeCtx& ctx, std::string_view name, const __be32 (&a)[4], int family) {
  TokenList& o = ctx.out();
  char text[INET6_ADDRSTRLEN] = {};
  std::string_view bytes(reinterpret_cast<const char*>(a), family == AF_INET ? 4 : 16);
  if ((family == AF_INET || family == AF_INET6) &&
      ::inet_ntop(family, a, text, sizeof text) != nullptr) {
    std::string s = family == AF_INET ? "inet_addr(" : "inet_pton(AF_INET6, ";
    append_quoted(s, text, ctx.options().xlevel, false);
    if (family == AF_INET6) s.append(", &").append(name);
    s += ')';
    if (family == AF_INET) o.field(name);
    o.styled(dec::hex_quoted(bytes, false), s);
    return;
  }
  o.field(name);
  o.raw(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(a), sizeof a), false));
}

void print_sockid(DecodeCtx& ctx, const inet_diag_sockid& id, int family) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("idiag_sport");
  o.raw_number(fmt::format("htons({})", ntohs(id.idiag_sport)), ntohs(id.idiag_sport));
  o.field("idiag_dport");
  o.raw_number(fmt::format("htons({})", ntohs(id.idiag_dport)), ntohs(id.idiag_dport));
  addr_field(ctx, "idiag_src", id.idiag_src, family);
  addr_field(ctx, "idiag_dst", id.idiag_dst, family);
  o.field("idiag_if");
  dec::print_ifindex(o, id.idiag_if);
  o.field("idiag_cookie");
  print_cookie(o, id.idiag_cookie);
  o.end_struct();
}

void bc_op(TokenList& o, const inet_diag_bc_op& op) {
  o.begin_struct();
  o.field("code");
  xval(o, "inet_diag_bytecodes", op.code, "INET_DIAG_BC_???");
  o.field("yes");
  o.uint_(op.yes);
  o.field("no");
  o.uint_(op.no);
  o.end_struct();
}

void hostcond(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  inet_diag_hostcond c;
  if (len < sizeof c) {
    hex_str(ctx, addr, len);
    return;
  }
  if (!read_bytes(ctx, addr, &c, sizeof c)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", c.family, "AF_???");
  o.field("prefix_len");
  o.uint_(c.prefix_len);
  o.field("port");
  o.int_(c.port);
  if (len > sizeof c) {
    std::uint32_t size = c.family == AF_INET ? 4 : c.family == AF_INET6 ? 16 : 0;
    unsigned char probe[16];
    // An unreadable address is named too: addr=0x7ffe...
    bool unreadable =
        size != 0 && len - sizeof c >= size && !read_bytes(ctx, addr + sizeof c, probe, size);
    if (size == 0 || len - sizeof c < size || c.family == AF_INET || unreadable) o.field("addr");
    print_inet_addr(ctx, addr + sizeof c, len - sizeof c, c.family, "addr");
  }
  o.end_struct();
}

void bc_data(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, unsigned code) {
  TokenList& o = ctx.out();
  switch (code) {
    case INET_DIAG_BC_S_COND:
    case INET_DIAG_BC_D_COND:
      hostcond(ctx, addr, len);
      return;
    case INET_DIAG_BC_DEV_COND: {
      std::uint32_t ifindex;
      if (len < sizeof ifindex) {
        hex_str(ctx, addr, len);
      } else if (!read_bytes(ctx, addr, &ifindex, sizeof ifindex)) {
        o.ptr(addr);
      } else {
        dec::print_ifindex(o, ifindex);
      }
      return;
    }
    case INET_DIAG_BC_S_GE:
    case INET_DIAG_BC_S_LE:
    case INET_DIAG_BC_D_GE:
    case INET_DIAG_BC_D_LE: {
      inet_diag_bc_op op;
      if (len < sizeof op) {
        hex_str(ctx, addr, len);
      } else if (!read_bytes(ctx, addr, &op, sizeof op)) {
        o.ptr(addr);
      } else {
        bc_op(o, op);
      }
      return;
    }
    case INET_DIAG_BC_MARK_COND: {
      inet_diag_markcond m;
      if (len < sizeof m) {
        hex_str(ctx, addr, len);
      } else if (!read_bytes(ctx, addr, &m, sizeof m)) {
        o.ptr(addr);
      } else {
        o.begin_struct();
        o.field("mark");
        o.uint_(m.mark);
        o.field("mask");
        o.uint_(m.mask);
        o.end_struct();
      }
      return;
    }
    default:
      hex_str(ctx, addr, len);
      return;
  }
}

bool bytecode(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  inet_diag_bc_op op;
  if (len < sizeof op) return false;
  if (!read_bytes(ctx, addr, &op, sizeof op)) {
    ctx.out().ptr(addr);
    return true;
  }
  bc_op(ctx.out(), op);
  if (len > sizeof op) bc_data(ctx, addr + sizeof op, len - sizeof op, op.code);
  return true;
}

constexpr AttrXlat kIpProto{"inet_protocols", "IPPROTO_???", 0};
bool ip_proto(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kIpProto);
}

// By INET_DIAG_REQ_*.
constexpr AttrFn kReq[] = {nullptr, bytecode, nullptr, ip_proto};

void req_attrs(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t size) {
  auto offset = static_cast<std::uint32_t>((size + 3) & ~std::size_t{3});
  if (len > offset) {
    print_attrs(ctx, addr + offset, len - offset,
                {"inet_diag_req_attrs", "INET_DIAG_REQ_???", kReq});
  }
}

}  // namespace

void inet_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct inet_diag_msg m {};
  m.idiag_family = AF_INET;
  (void)read_bytes(ctx, addr, &m.idiag_family, 1);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("idiag_family");
  xval(o, "address_family", m.idiag_family, "AF_???");
  bool ok = read_diag(ctx, addr, len, &m, sizeof m);
  if (ok) {
    o.field("idiag_state");
    xval(o, "tcp_states", m.idiag_state, "TCP_???");
    o.field("idiag_timer");
    o.uint_(m.idiag_timer);
    o.field("idiag_retrans");
    o.uint_(m.idiag_retrans);
    o.field("id");
    print_sockid(ctx, m.id, m.idiag_family);
    o.field("idiag_expires");
    o.uint_(m.idiag_expires);
    o.field("idiag_rqueue");
    o.uint_(m.idiag_rqueue);
    o.field("idiag_wqueue");
    o.uint_(m.idiag_wqueue);
    o.field("idiag_uid");
    o.uint_(m.idiag_uid);
    o.field("idiag_inode");
    o.uint_(m.idiag_inode);
  }
  o.end_struct();
  // The attributes (INET_DIAG_*) print as bytes for now.
  if (ok && len > sizeof m) {
    print_attrs(ctx, addr + sizeof m, len - static_cast<std::uint32_t>(sizeof m),
                {"inet_diag_attrs", "INET_DIAG_???"});
  }
}

void smc_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct smc_diag_req r {};
  r.diag_family = AF_SMC;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("diag_family");
  xval(o, "address_family", AF_SMC, "AF_???");
  if (read_diag(ctx, addr, len, &r, sizeof r)) {
    o.field("diag_ext");
    ext_flags(o, r.diag_ext, "smc_diag_attrs", "1<<SMC_DIAG_\?\?\?-1");
    // AF_SMC sockets keep an AF_INET address.
    o.field("id");
    print_sockid(ctx, r.id, AF_INET);
  }
  o.end_struct();
}

void smc_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct smc_diag_msg m {};
  m.diag_family = AF_SMC;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("diag_family");
  xval(o, "address_family", AF_SMC, "AF_???");
  bool ok = read_diag(ctx, addr, len, &m, sizeof m);
  if (ok) {
    o.field("diag_state");
    xval(o, "smc_states", m.diag_state, "SMC_???");
    o.field("diag_fallback");
    xval(o, "smc_diag_mode", m.diag_fallback, "SMC_DIAG_MODE_???");
    o.field("diag_shutdown");
    o.uint_(m.diag_shutdown);
    o.field("id");
    print_sockid(ctx, m.id, AF_INET);
    o.field("diag_uid");
    o.uint_(m.diag_uid);
    o.field("diag_inode");
    o.uint_(m.diag_inode);
  }
  o.end_struct();
  constexpr std::uint32_t kOffset = (sizeof m + 3) & ~3u;
  if (ok && len > kOffset) {
    print_attrs(ctx, addr + kOffset, len - kOffset,
                {"smc_diag_attrs", "SMC_DIAG_???", smc_diag_decoders()});
  }
}

void packet_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct packet_diag_req r {};
  r.sdiag_family = AF_PACKET;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("sdiag_family");
  xval(o, "address_family", AF_PACKET, "AF_???");
  if (read_diag(ctx, addr, len, &r, sizeof r)) {
    // AF_PACKET takes no protocol other than 0 (Linux 6.1): shown as a number.
    o.field("sdiag_protocol");
    o.hex(r.sdiag_protocol);
    o.field("pdiag_ino");
    o.uint_(r.pdiag_ino);
    o.field("pdiag_show");
    xflags(o, "packet_diag_show", r.pdiag_show, "PACKET_SHOW_???");
    o.field("pdiag_cookie");
    print_cookie(o, r.pdiag_cookie);
  }
  o.end_struct();
}

void packet_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct packet_diag_msg m {};
  m.pdiag_family = AF_PACKET;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("pdiag_family");
  xval(o, "address_family", AF_PACKET, "AF_???");
  bool ok = read_diag(ctx, addr, len, &m, sizeof m);
  if (ok) {
    o.field("pdiag_type");
    xval(o, "socket_type", m.pdiag_type, "SOCK_???");
    o.field("pdiag_num");
    xval(o, "ethernet_protocols", m.pdiag_num, "ETH_P_???");
    o.field("pdiag_ino");
    o.uint_(m.pdiag_ino);
    o.field("pdiag_cookie");
    print_cookie(o, m.pdiag_cookie);
  }
  o.end_struct();
  // The attributes (PACKET_DIAG_*) print as bytes for now.
  if (ok && len > sizeof m) {
    print_attrs(ctx, addr + sizeof m, len - static_cast<std::uint32_t>(sizeof m),
                {"packet_diag_attrs", "PACKET_DIAG_???"});
  }
}

void inet_diag_req(DecodeCtx& ctx, const Msg& m, std::uint8_t family, std::uint64_t addr,
                   std::uint32_t len) {
  constexpr std::uint16_t kTcpDiag = 18, kDccpDiag = 19;  // TCPDIAG_GETSOCK, DCCPDIAG_GETSOCK
  TokenList& o = ctx.out();
  if (m.type == kTcpDiag || m.type == kDccpDiag) {
    struct inet_diag_req r {};
    r.idiag_family = family;
    o.begin_struct();
    o.field("idiag_family");
    xval(o, "address_family", family, "AF_???");
    bool ok = read_diag(ctx, addr, len, &r, sizeof r);
    if (ok) {
      o.field("idiag_src_len");
      o.uint_(r.idiag_src_len);
      o.field("idiag_dst_len");
      o.uint_(r.idiag_dst_len);
      o.field("idiag_ext");
      ext_flags(o, r.idiag_ext);
      o.field("id");
      print_sockid(ctx, r.id, family);
      o.field("idiag_states");
      print_shift_flags(o, "tcp_states", r.idiag_states, "1<<TCP_???");
      o.field("idiag_dbs");
      o.uint_(r.idiag_dbs);
    }
    o.end_struct();
    if (ok) req_attrs(ctx, addr, len, sizeof r);
    return;
  }
  inet_diag_req_v2 r{};
  r.sdiag_family = family;
  o.begin_struct();
  o.field("sdiag_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_diag(ctx, addr, len, &r, sizeof r);
  if (ok) {
    o.field("sdiag_protocol");
    xval(o, "inet_protocols", r.sdiag_protocol, "IPPROTO_???");
    o.field("idiag_ext");
    ext_flags(o, r.idiag_ext);
    o.field("idiag_states");
    print_shift_flags(o, "tcp_states", r.idiag_states, "1<<TCP_???");
    o.field("id");
    print_sockid(ctx, r.id, family);
  }
  o.end_struct();
  if (ok) req_attrs(ctx, addr, len, sizeof r);
}

}  // namespace ptk::sys::nl
