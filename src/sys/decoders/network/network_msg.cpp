// struct msghdr, struct mmsghdr and control messages (see network_msg.h).
#include "network_msg.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <span>

#include "decoders/netlink/nl.h"
#include "decoders/time/time_util.h"
#include "network_cmsg.h"
#include "network_sockaddr.h"

namespace ptk::sys::dec {
namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kHavePriv = 1ull << 32;  // priv holds an entry-time length
constexpr std::size_t kIovMax = 1024;            // UIO_MAXIOV: what the kernel accepts

struct Msg {
  std::uint64_t name = 0;
  std::int32_t namelen = 0;
  std::uint64_t iov = 0;
  std::uint64_t iovlen = 0;
  std::uint64_t control = 0;
  std::uint64_t controllen = 0;
  std::uint32_t flags = 0;
};

std::size_t msghdr_size(const DecodeCtx& ctx) { return ctx.word_size() == 8 ? 56 : 28; }

std::uint64_t word_at(const DecodeCtx& ctx, const unsigned char* p) {
  std::int64_t v = read_long(ctx, p);
  return ctx.word_size() == 4 ? static_cast<std::uint32_t>(v) : static_cast<std::uint64_t>(v);
}

Msg parse_msghdr(const DecodeCtx& ctx, const unsigned char* raw) {
  // x86_64: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48;
  // i386: every field 4 bytes in the same order.
  std::size_t w = static_cast<std::size_t>(ctx.word_size());
  Msg m;
  m.name = word_at(ctx, raw);
  std::memcpy(&m.namelen, raw + w, 4);
  m.iov = word_at(ctx, raw + 2 * w);
  m.iovlen = word_at(ctx, raw + 3 * w);
  m.control = word_at(ctx, raw + 4 * w);
  m.controllen = word_at(ctx, raw + 5 * w);
  std::memcpy(&m.flags, raw + 6 * w, 4);
  return m;
}

bool read_msghdr(DecodeCtx& ctx, std::uint64_t addr, Msg& m) {
  unsigned char raw[56];
  if (addr == 0 || !ctx.read(addr, raw, msghdr_size(ctx))) return false;
  m = parse_msghdr(ctx, raw);
  return true;
}

// "128 => 16": a length the kernel changed, as strace shows it.
void changed(TokenList& o, std::int64_t before, std::int64_t after) {
  if (before == after) {
    o.int_(after);
  } else {
    o.raw_number(fmt::format("{} => {}", before, after), after);
  }
}

// The iovec array: each buffer cut at -s and, for received data, at what is left of
// data_size bytes; netlink messages when netlink_protocol is a NETLINK_* protocol.
void print_iov(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count, std::uint64_t data_size,
               int netlink_protocol) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  std::size_t w = static_cast<std::size_t>(ctx.word_size());
  std::size_t elem = 2 * w;
  if (count == 0) {
    o.begin_array();
    o.end_array();
    return;
  }
  unsigned char raw[16];
  if (count > std::numeric_limits<std::uint64_t>::max() / elem || !ctx.read(addr, raw, elem)) {
    o.ptr(addr);
    return;
  }
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().abbrev_array;
  o.begin_array();
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t at = addr + i * elem;
    if (i >= limit || i >= ctx.options().max_array) {
      o.end_array(true);
      return;
    }
    if (i != 0 && !ctx.read(at, raw, elem)) {
      o.raw("...");
      o.comment(fmt::format("{:#x}", at));
      break;
    }
    std::uint64_t base = word_at(ctx, raw);
    std::uint64_t len = word_at(ctx, raw + w);
    std::uint64_t shown = std::min(len, data_size);
    if (data_size != kUnlimited) data_size -= shown;
    o.begin_struct();
    o.field("iov_base");
    if (netlink_protocol >= 0) {
      nl::print_buffer(ctx, netlink_protocol, base, shown);
    } else {
      ctx.buffer(base, shown);
    }
    o.field("iov_len");
    o.uint_(len);
    o.end_struct();
  }
  o.end_array();
}

std::size_t optmem_max() {
  static const std::size_t value = [] {
    std::size_t v = 0;
    if (std::FILE* f = std::fopen("/proc/sys/net/core/optmem_max", "r")) {
      long n = 0;
      if (std::fscanf(f, "%ld", &n) == 1 && n > 0) v = static_cast<std::size_t>(n);
      std::fclose(f);
    }
    if (v == 0) v = sizeof(long long) * (2 * kIovMax + 512);
    // Rounded up to 8 as the kernel's sock_kmalloc does; bounded to keep reads small.
    v = (v + 7) & ~std::size_t{7};
    return std::min<std::size_t>(v, 1 << 20);
  }();
  return value;
}

// msg_control: the control messages as far as the kernel would read them (optmem_max).
void print_control(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t in_len) {
  TokenList& o = ctx.out();
  std::size_t w = static_cast<std::size_t>(ctx.word_size());
  std::size_t hdr = w + 8;  // cmsg_len (a word), cmsg_level, cmsg_type
  std::size_t control_len = static_cast<std::size_t>(std::min<std::uint64_t>(in_len, optmem_max()));
  std::string buf;
  if (control_len >= hdr) {
    buf.resize(control_len);
    if (!ctx.read(addr, buf.data(), control_len)) buf.clear();
  }
  if (buf.empty()) {
    o.ptr(addr);
    return;
  }
  const auto* base = reinterpret_cast<const unsigned char*>(buf.data());
  std::size_t off = 0;
  std::size_t left = control_len;
  o.begin_array();
  while (left >= hdr) {
    const unsigned char* p = base + off;
    std::uint64_t cmsg_len = word_at(ctx, p);
    std::int32_t level, type;
    std::memcpy(&level, p + w, 4);
    std::memcpy(&type, p + w + 4, 4);
    o.begin_struct();
    o.field("cmsg_len");
    o.uint_(cmsg_len);
    o.field("cmsg_level");
    // Here strace's placeholder has three marks, unlike setsockopt's level.
    const Xlat* lv = find_xlat("socket_level");
    std::string_view ln =
        lv != nullptr ? xlat_name(*lv, static_cast<std::uint32_t>(level)) : std::string_view();
    if (!ln.empty()) {
      o.name(ln, static_cast<std::uint32_t>(level));
    } else {
      o.hex(static_cast<std::uint32_t>(level));
      o.comment("SOL_???");
    }
    o.field("cmsg_type");
    std::uint64_t len = std::min<std::uint64_t>(cmsg_len, left);
    print_cmsg_data(ctx, level, type, p + hdr, len > hdr ? static_cast<std::size_t>(len - hdr) : 0,
                    addr + off + hdr);
    o.end_struct();
    if (len < hdr) {
      left -= hdr;
      break;
    }
    std::uint64_t step = (cmsg_len + w - 1) & ~static_cast<std::uint64_t>(w - 1);
    if (step >= left) {
      left = 0;
      break;
    }
    off += static_cast<std::size_t>(step);
    left -= static_cast<std::size_t>(step);
  }
  if (left != 0) {
    o.raw("...");
    o.comment(fmt::format("{:#x}", addr + (control_len - left)));
    o.end_array();
  } else {
    o.end_array(control_len < in_len);
  }
}

void print_msghdr(DecodeCtx& ctx, const Msg& m, const std::int32_t* user_namelen,
                  std::uint64_t data_size) {
  TokenList& o = ctx.out();
  std::int32_t namelen =
      user_namelen != nullptr && m.namelen > *user_namelen ? *user_namelen : m.namelen;
  o.begin_struct();
  o.field("msg_name");
  print_sockaddr(ctx, m.name, namelen);
  o.field("msg_namelen");
  changed(o, user_namelen != nullptr ? *user_namelen : m.namelen, m.namelen);
  o.field("msg_iov");
  // As strace: the buffers are netlink messages when the message is addressed to (or comes
  // from) a netlink address, on a netlink socket (the first argument of every msghdr call).
  int protocol = -1;
  std::uint16_t family = 0;
  constexpr std::uint16_t kAfNetlink = 16;
  if (namelen >= 2 && ctx.options().dereference && ctx.read(m.name, family) &&
      family == kAfNetlink) {
    protocol = nl::socket_protocol(ctx, static_cast<int>(ctx.s(0)));
  }
  print_iov(ctx, m.iov, m.iovlen, data_size, protocol);
  o.field("msg_iovlen");
  o.uint_(m.iovlen);
  if (m.controllen != 0) {
    o.field("msg_control");
    print_control(ctx, m.control, m.controllen);
  }
  o.field("msg_controllen");
  o.uint_(m.controllen);
  o.field("msg_flags");
  xflags(o, "msg_flags", m.flags);
  o.end_struct();
}

void print_flags_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  xflags(ctx, "msg_flags", static_cast<std::uint32_t>(ctx.u(i)));
}

// The mmsghdr array of sendmmsg/recvmmsg: msg_len shown for the first `with_len` entries;
// `user_namelens` (recvmmsg) holds each message's msg_namelen as it was at entry.
void print_mmsgvec(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count, std::uint64_t with_len,
                   bool data_by_len, std::span<const std::int32_t> user_namelens = {}) {
  TokenList& o = ctx.out();
  std::size_t hsize = msghdr_size(ctx);
  std::size_t elem = ctx.word_size() == 8 ? 64 : 32;
  unsigned char raw[64];
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  if (count == 0) {
    o.begin_array();
    o.end_array();
    return;
  }
  if (!ctx.read(addr, raw, elem)) {
    o.ptr(addr);
    return;
  }
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().abbrev_array;
  limit = std::min(limit, kIovMax);
  o.begin_array();
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i >= limit) {
      o.end_array(true);
      return;
    }
    std::uint64_t at = addr + i * elem;
    if (i != 0 && !ctx.read(at, raw, elem)) {
      o.raw("...");
      o.comment(fmt::format("{:#x}", at));
      break;
    }
    Msg m = parse_msghdr(ctx, raw);
    std::uint32_t msg_len;
    std::memcpy(&msg_len, raw + hsize, 4);
    o.begin_struct();
    o.field("msg_hdr");
    const std::int32_t* user_namelen = i < user_namelens.size() ? &user_namelens[i] : nullptr;
    print_msghdr(ctx, m, user_namelen, data_by_len ? msg_len : kUnlimited);
    if (i < with_len) {
      o.field("msg_len");
      o.uint_(msg_len);
    }
    o.end_struct();
  }
  o.end_array();
}

}  // namespace

void decode_sendmsg(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  Msg m;
  if (read_msghdr(ctx, ctx.u(1), m)) {
    print_msghdr(ctx, m, nullptr, kUnlimited);
  } else {
    ctx.out().ptr(ctx.u(1));
  }
  print_flags_arg(ctx, 2);
}

void decode_recvmsg(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    Msg m;
    sc.priv = 0;
    if (read_msghdr(ctx, ctx.u(1), m)) {
      // The kernel overwrites msg_namelen: keep the caller's for "namelen=128 => 16".
      sc.priv = kHavePriv | static_cast<std::uint32_t>(m.namelen);
      sc.more_at_exit = true;
      return;
    }
    ctx.arg(1);
    ctx.out().ptr(ctx.u(1));
    print_flags_arg(ctx, 2);
    return;
  }
  if ((sc.priv & kHavePriv) == 0) return;
  auto user_namelen = static_cast<std::int32_t>(sc.priv & 0xffffffffu);
  ctx.arg(1);
  Msg m;
  if (ctx.failed()) {
    TokenList& o = ctx.out();
    o.begin_struct();
    o.field("msg_namelen");
    o.int_(user_namelen);
    o.end_struct();
  } else if (read_msghdr(ctx, ctx.u(1), m)) {
    print_msghdr(ctx, m, &user_namelen, static_cast<std::uint64_t>(ctx.ret()));
  } else {
    ctx.out().ptr(ctx.u(1));
  }
  print_flags_arg(ctx, 2);
}

void decode_sendmmsg(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  // The vector is shown at exit, with the msg_len the kernel filled in for the sent ones.
  std::uint64_t sent = ctx.failed() ? 0 : static_cast<std::uint64_t>(ctx.ret());
  auto vlen = static_cast<std::uint32_t>(ctx.u(2));
  ctx.arg(1);
  if (ctx.options().dereference) {
    print_mmsgvec(ctx, ctx.u(1), vlen, sent, false);
  } else {
    ctx.out().ptr(ctx.u(1));  // -e verbose=none (mmsg-silent.test)
  }
  ctx.arg(2);
  ctx.out().uint_(vlen);
  print_flags_arg(ctx, 3);
}

// recvmmsg's timeout is shown as it was at entry; the kernel rewrites it. priv packs it:
// bit 63 says a value is kept, bits 0-31 the nanoseconds, 32-62 the seconds (a timeout past
// 2^30 s is shown as the kernel left it).
void decode_recvmmsg(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  bool wide = sc.spec->name.ends_with("64");
  auto timeout = [&]() -> std::pair<bool, std::pair<std::int64_t, std::int64_t>> {
    std::int64_t ts[2] = {0, 0};
    if (wide || ctx.word_size() == 8) {
      if (!ctx.read(ctx.u(4), ts)) return {false, {}};
    } else {
      std::int32_t t32[2];
      if (!ctx.read(ctx.u(4), t32)) return {false, {}};
      ts[0] = t32[0];
      ts[1] = t32[1];
    }
    return {true, {ts[0], ts[1]}};
  };
  auto emit_ts = [&](TokenList& o, std::int64_t sec, std::int64_t nsec) {
    o.begin_struct();
    o.field("tv_sec");
    o.int_(sec);
    o.field("tv_nsec");
    o.int_(nsec);
    o.end_struct();
  };
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    sc.priv = 0;
    // The kernel overwrites each msg_namelen: keep the callers' for "msg_namelen=0 => 38".
    std::size_t elem = ctx.word_size() == 8 ? 64 : 32;
    std::size_t namelen_at = static_cast<std::size_t>(ctx.word_size());  // after msg_name
    auto vlen = std::min<std::uint64_t>(static_cast<std::uint32_t>(ctx.u(2)), kIovMax);
    for (std::uint64_t i = 0; i < vlen && ctx.options().dereference; ++i) {
      std::int32_t namelen = 0;
      if (!ctx.read(ctx.u(1) + i * elem + namelen_at, namelen)) break;
      sc.priv_list.push_back(namelen);
    }
    auto [ok, ts] = timeout();
    if (ok && ts.first >= 0 && ts.first < (1ll << 30) && ts.second >= 0 &&
        ts.second < (1ll << 31)) {
      sc.priv = (1ull << 63) | (static_cast<std::uint64_t>(ts.first) << 32) |
                static_cast<std::uint64_t>(ts.second);
    }
    sc.more_at_exit = true;
    return;
  }
  std::uint64_t got = ctx.failed() ? 0 : static_cast<std::uint64_t>(ctx.ret());
  ctx.arg(1);
  if (ctx.failed() || !ctx.options().dereference) {
    ctx.out().ptr(ctx.u(1));
  } else {
    print_mmsgvec(ctx, ctx.u(1), got, got, true, sc.priv_list);
  }
  ctx.arg(2);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(2)));
  print_flags_arg(ctx, 3);
  ctx.arg(4);
  if (!ctx.options().dereference) {
    ctx.out().ptr(ctx.u(4));  // -e verbose=none: no timeout, no time left
    return;
  }
  if (sc.priv >> 63) {
    emit_ts(ctx.out(), static_cast<std::int64_t>((sc.priv >> 32) & 0x7fffffff),
            static_cast<std::int64_t>(sc.priv & 0xffffffffu));
  } else {
    print_timespec(ctx, ctx.u(4), wide);
  }
  if (ctx.failed()) return;
  if (got == 0) {
    sc.ret_aux.raw("Timeout");
  } else if (ctx.u(4) != 0) {
    auto [ok, ts] = timeout();
    if (ok) {
      sc.ret_aux.raw(fmt::format("left {{tv_sec={}, tv_nsec={}}}", ts.first, ts.second));
    }
  }
}

}  // namespace ptk::sys::dec
