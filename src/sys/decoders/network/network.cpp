// Decoders of the network family: sockets, socket addresses, options and messages.
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "decoders/netlink/nl.h"
#include "decoders/time/time_util.h"
#include "network_msg.h"
#include "network_sockaddr.h"
#include "network_sockopt.h"

namespace ptk::sys {
namespace {

using dec::xflags;
using dec::xval;

constexpr std::uint64_t kHavePriv = 1ull << 32;  // priv holds an entry-time length
constexpr int kSockTypeMask = 0xf;

// socket()'s type: the type proper, then the flags (SOCK_STREAM|SOCK_CLOEXEC).
void sock_type(DecodeCtx& ctx, std::uint32_t type) {
  const Xlat* x = find_xlat("socket_type");
  std::string_view n = x != nullptr ? xlat_name(*x, type & kSockTypeMask) : std::string_view();
  TokenList& o = ctx.out();
  if (n.empty()) {
    // With no type name, strace shows the whole value as flags.
    xflags(o, "sock_flags", type);
    return;
  }
  std::uint32_t rest = type & ~static_cast<std::uint32_t>(kSockTypeMask);
  if (rest == 0) {
    o.name(n, type);
    return;
  }
  o.begin_flags();
  o.name(n, type & kSockTypeMask);
  xflags(o, "sock_flags", rest);
  o.end_flags();
}

// socket()'s protocol is shown by family, as strace does.
void sock_protocol(DecodeCtx& ctx, std::uint32_t family, std::uint32_t proto) {
  TokenList& o = ctx.out();
  switch (family) {
    case AF_INET:
    case AF_INET6:
      xval(o, "socket_protocol", proto);
      break;
    case AF_NETLINK:
      xval(o, "netlink_protocol", proto);
      break;
    case AF_PACKET: {
      std::uint16_t p = ntohs(static_cast<std::uint16_t>(proto));
      const Xlat* x = find_xlat("ethernet_protocol");
      std::string_view n = x != nullptr ? xlat_name(*x, p) : std::string_view();
      o.raw_number(
          n.empty() ? fmt::format("htons({:#x} /* ETH_P_??? */)", p) : fmt::format("htons({})", n),
          proto);
      break;
    }
    case AF_RXRPC:
      xval(o, "address_family", proto);
      break;
    default:
      o.uint_(proto);
      break;
  }
}

void decode_socket(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto family = static_cast<std::uint32_t>(ctx.u(0));
  ctx.arg(0);
  xval(ctx, "address_family", family);
  ctx.arg(1);
  sock_type(ctx, static_cast<std::uint32_t>(ctx.u(1)));
  ctx.arg(2);
  sock_protocol(ctx, family, static_cast<std::uint32_t>(ctx.u(2)));
}

void decode_socketpair(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    xval(ctx, "address_family", static_cast<std::uint32_t>(ctx.u(0)));
    ctx.arg(1);
    sock_type(ctx, static_cast<std::uint32_t>(ctx.u(1)));
    ctx.arg(2);
    ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(2)));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(3);
  std::int32_t fds[2];
  if (ctx.failed() || !ctx.read(ctx.u(3), fds)) {
    ctx.out().ptr(ctx.u(3));
    return;
  }
  ctx.out().begin_array();
  ctx.fd(fds[0]);
  ctx.fd(fds[1]);
  ctx.out().end_array();
}

// connect(fd, addr, len), bind(fd, addr, len).
void decode_connect(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto len = static_cast<std::int32_t>(ctx.u(2));
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  dec::print_sockaddr(ctx, ctx.u(1), len);
  ctx.arg(2);
  ctx.out().int_(len);
}

// accept, accept4, getsockname, getpeername: the address the kernel wrote and its length as
// [caller's => kernel's]. priv keeps the caller's length from entry.
void decode_sockname(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  bool has_flags = sc.spec->name == "accept4";
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    std::int32_t ulen = 0;
    sc.priv = 0;
    if (ctx.u(1) != 0 && ctx.u(2) != 0 && ctx.read(ctx.u(2), ulen)) {
      sc.priv = kHavePriv | static_cast<std::uint32_t>(ulen);
      sc.more_at_exit = true;
      return;
    }
    ctx.arg(1);
    o.ptr(ctx.u(1));
    ctx.arg(2);
    o.ptr(ctx.u(2));
    if (has_flags) {
      ctx.arg(3);
      xflags(ctx, "sock_flags", static_cast<std::uint32_t>(ctx.u(3)));
    }
    return;
  }
  if ((sc.priv & kHavePriv) == 0) return;
  auto ulen = static_cast<std::int32_t>(sc.priv & 0xffffffffu);
  std::int32_t rlen = 0;
  if (ctx.failed() || !ctx.read(ctx.u(2), rlen)) {
    ctx.arg(1);
    o.ptr(ctx.u(1));
    ctx.arg(2);
    o.begin_array();
    o.int_(ulen);
    o.end_array();
  } else {
    ctx.arg(1);
    dec::print_sockaddr(ctx, ctx.u(1), ulen > rlen ? rlen : ulen);
    ctx.arg(2);
    o.begin_array();
    if (ulen != rlen) {
      o.raw_number(fmt::format("{} => {}", ulen, rlen), rlen);
    } else {
      o.int_(rlen);
    }
    o.end_array();
  }
  if (has_flags) {
    ctx.arg(3);
    xflags(ctx, "sock_flags", static_cast<std::uint32_t>(ctx.u(3)));
  }
}

// The data of sendto/recvfrom: netlink messages on a netlink socket, else bytes.
void socket_buffer(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  int protocol =
      ctx.options().dereference ? nl::socket_protocol(ctx, static_cast<int>(ctx.s(0))) : -1;
  if (protocol >= 0) {
    nl::print_buffer(ctx, protocol, addr, len);
  } else {
    ctx.buffer(addr, len);
  }
}

void decode_sendto(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  socket_buffer(ctx, ctx.u(1), ctx.u(2));
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  xflags(ctx, "msg_flags", static_cast<std::uint32_t>(ctx.u(3)));
  auto len = static_cast<std::int32_t>(ctx.u(5));
  ctx.arg(4);
  dec::print_sockaddr(ctx, ctx.u(4), len);
  ctx.arg(5);
  ctx.out().int_(len);
}

// recvfrom(fd, buf, size, flags, addr, addrlen): all but the descriptor at exit.
void decode_recvfrom(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    std::int32_t ulen = 0;
    sc.priv = 0;
    if (ctx.u(4) != 0 && ctx.u(5) != 0 && ctx.read(ctx.u(5), ulen)) {
      sc.priv = kHavePriv | static_cast<std::uint32_t>(ulen);
    }
    sc.more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.failed()) {
    o.ptr(ctx.u(1));
  } else {
    socket_buffer(ctx, ctx.u(1),
                  std::min<std::uint64_t>(static_cast<std::uint64_t>(ctx.ret()), ctx.u(2)));
  }
  ctx.arg(2);
  o.uint_(ctx.u(2));
  ctx.arg(3);
  xflags(ctx, "msg_flags", static_cast<std::uint32_t>(ctx.u(3)));
  std::int32_t rlen = 0;
  if (ctx.u(4) == 0 || ctx.u(5) == 0 || !ctx.read(ctx.u(5), rlen)) {
    ctx.arg(4);
    o.ptr(ctx.u(4));
    ctx.arg(5);
    o.ptr(ctx.u(5));
    return;
  }
  auto ulen = static_cast<std::int32_t>(sc.priv & 0xffffffffu);
  ctx.arg(4);
  if (ctx.failed()) {
    o.ptr(ctx.u(4));
    ctx.arg(5);
    o.begin_array();
    o.int_(ulen);
    o.end_array();
    return;
  }
  dec::print_sockaddr(ctx, ctx.u(4), ulen > rlen ? rlen : ulen);
  ctx.arg(5);
  o.begin_array();
  if (ulen != rlen) {
    o.raw_number(fmt::format("{} => {}", ulen, rlen), rlen);
  } else {
    o.int_(rlen);
  }
  o.end_array();
}

constexpr DecoderEntry kDecoders[] = {
    {"accept", decode_sockname},
    {"accept4", decode_sockname},
    {"bind", decode_connect},
    {"connect", decode_connect},
    {"getpeername", decode_sockname},
    {"getsockname", decode_sockname},
    {"getsockopt", dec::decode_getsockopt},
    {"recvfrom", decode_recvfrom},
    {"recvmmsg", dec::decode_recvmmsg},
    {"recvmmsg_time64", dec::decode_recvmmsg},
    {"recvmsg", dec::decode_recvmsg},
    {"sendmmsg", dec::decode_sendmmsg},
    {"sendmsg", dec::decode_sendmsg},
    {"sendto", decode_sendto},
    {"setsockopt", dec::decode_setsockopt},
    {"shutdown", dec::generic_commented},
    {"socket", decode_socket},
    {"socketpair", decode_socketpair},
};

}  // namespace

Family network_family() { return {std::span(kDecoders), {}}; }

}  // namespace ptk::sys
