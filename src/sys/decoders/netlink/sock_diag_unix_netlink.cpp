// AF_UNIX and AF_NETLINK sock_diag requests and responses (linux/unix_diag.h,
// linux/netlink_diag.h).
#include <linux/netlink_diag.h>
#include <linux/unix_diag.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>

#include <fmt/format.h>

#include <cstring>
#include <string>

#include "netlink_sock_diag.h"

namespace ptk::sys::nl {
namespace {

bool unix_vfs(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  unix_diag_vfs v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("udiag_vfs_dev");
  o.raw(fmt::format("makedev({}, {})", hexnum(major(v.udiag_vfs_dev)),
                    hexnum(minor(v.udiag_vfs_dev))));
  o.field("udiag_vfs_ino");
  o.uint_(v.udiag_vfs_ino);
  o.end_struct();
  return true;
}

void u32_elem(DecodeCtx& ctx, const unsigned char* elem, const void*) {
  std::uint32_t v;
  std::memcpy(&v, elem, 4);
  ctx.out().uint_(v);
}

bool unix_icons(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 4) return false;
  print_array(ctx, addr, len / 4, 4, u32_elem);
  return true;
}

bool unix_rqlen(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  unix_diag_rqlen r;
  if (len < sizeof r) return false;
  if (!read_bytes(ctx, addr, &r, sizeof r)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("udiag_rqueue");
  o.uint_(r.udiag_rqueue);
  o.field("udiag_wqueue");
  o.uint_(r.udiag_wqueue);
  o.end_struct();
  return true;
}

bool uid(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else if (v == 0xffffffffu) {
    ctx.out().int_(-1);
  } else {
    ctx.out().uint_(v);
  }
  return true;
}

// By UNIX_DIAG_*.
constexpr AttrFn kUnix[] = {attr_str,   unix_vfs,     attr_u32, unix_icons,
                            unix_rqlen, attr_meminfo, attr_u8,  uid};

void word_hex(DecodeCtx& ctx, const unsigned char* elem, const void* opaque) {
  std::uint64_t v = 0;
  std::memcpy(&v, elem, *static_cast<const std::size_t*>(opaque));
  // strace's PRINT_VAL_0X: 0x-prefixed, zero-padded to the word's width.
  ctx.out().raw(fmt::format("{:#0{}x}", v, 2 + 2 * *static_cast<const std::size_t*>(opaque)));
}

bool nl_groups(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  static const std::size_t word[2] = {4, 8};
  const std::size_t* w = &word[ctx.word_size() == 8 ? 1 : 0];
  if (len < *w) return false;
  print_array(ctx, addr, len / *w, *w, word_hex, w);
  return true;
}

bool nl_ring(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  netlink_diag_ring r;
  if (len < sizeof r) return false;
  if (!read_bytes(ctx, addr, &r, sizeof r)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ndr_block_size");
  o.uint_(r.ndr_block_size);
  o.field("ndr_block_nr");
  o.uint_(r.ndr_block_nr);
  o.field("ndr_frame_size");
  o.uint_(r.ndr_frame_size);
  o.field("ndr_frame_nr");
  o.uint_(r.ndr_frame_nr);
  o.end_struct();
  return true;
}

bool nl_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xflags(ctx.out(), "netlink_socket_flags", v, "NDIAG_FLAG_???");
  }
  return true;
}

// By NETLINK_DIAG_*.
constexpr AttrFn kNetlink[] = {attr_meminfo, nl_groups, nl_ring, nl_ring, nl_flags};

}  // namespace

bool attr_meminfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / 4;
  if (n == 0) return false;
  TokenList& o = ctx.out();
  const Xlat* x = find_xlat("netlink_sk_meminfo_indices");
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().string_limit;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t v;
    if (!read_bytes(ctx, addr + 4 * i, &v, 4)) {
      if (i == 0) {
        o.ptr(addr);
        return true;
      }
      o.raw("...");
      o.comment(hexnum(addr + 4 * i));
      break;
    }
    if (i == 0) o.begin_array();
    if (i == limit) {
      o.end_array(true);
      return true;
    }
    print_index(o, x != nullptr ? xlat_name(*x, i) : std::string_view(), i, "SK_MEMINFO_???",
                std::to_string(v));
  }
  o.end_array();
  return true;
}

void unix_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct unix_diag_req r {};
  r.sdiag_family = AF_UNIX;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("sdiag_family");
  xval(o, "address_family", AF_UNIX, "AF_???");
  if (read_diag(ctx, addr, len, &r, sizeof r)) {
    o.field("sdiag_protocol");
    o.uint_(r.sdiag_protocol);
    o.field("udiag_states");
    print_shift_flags(o, "tcp_states", r.udiag_states, "1<<TCP_???");
    o.field("udiag_ino");
    o.uint_(r.udiag_ino);
    o.field("udiag_show");
    xflags(o, "unix_diag_show", r.udiag_show, "UDIAG_SHOW_???");
    o.field("udiag_cookie");
    print_cookie(o, r.udiag_cookie);
  }
  o.end_struct();
}

void unix_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct unix_diag_msg m {};
  m.udiag_family = AF_UNIX;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("udiag_family");
  xval(o, "address_family", AF_UNIX, "AF_???");
  bool ok = read_diag(ctx, addr, len, &m, sizeof m);
  if (ok) {
    o.field("udiag_type");
    xval(o, "socket_type", m.udiag_type, "SOCK_???");
    o.field("udiag_state");
    xval(o, "tcp_states", m.udiag_state, "TCP_???");
    o.field("udiag_ino");
    o.uint_(m.udiag_ino);
    o.field("udiag_cookie");
    print_cookie(o, m.udiag_cookie);
  }
  o.end_struct();
  constexpr std::uint32_t kOffset = sizeof m;  // a multiple of 4
  if (ok && len > kOffset) {
    print_attrs(ctx, addr + kOffset, len - kOffset, {"unix_diag_attrs", "UNIX_DIAG_???", kUnix});
  }
}

void netlink_diag_req(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct netlink_diag_req r {};
  r.sdiag_family = AF_NETLINK;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("sdiag_family");
  xval(o, "address_family", AF_NETLINK, "AF_???");
  if (read_diag(ctx, addr, len, &r, sizeof r)) {
    o.field("sdiag_protocol");
    if (r.sdiag_protocol == NDIAG_PROTO_ALL) {
      o.begin_flags();
      o.name("NDIAG_PROTO_ALL", NDIAG_PROTO_ALL);
      o.end_flags();
    } else {
      xval(o, "netlink_protocol", r.sdiag_protocol, "NETLINK_???");
    }
    o.field("ndiag_ino");
    o.uint_(r.ndiag_ino);
    o.field("ndiag_show");
    xflags(o, "netlink_diag_show", r.ndiag_show, "NDIAG_SHOW_???");
    o.field("ndiag_cookie");
    print_cookie(o, r.ndiag_cookie);
  }
  o.end_struct();
}

void netlink_diag_msg(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len) {
  struct netlink_diag_msg m {};
  m.ndiag_family = AF_NETLINK;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ndiag_family");
  xval(o, "address_family", AF_NETLINK, "AF_???");
  bool ok = read_diag(ctx, addr, len, &m, sizeof m);
  if (ok) {
    o.field("ndiag_type");
    xval(o, "socket_type", m.ndiag_type, "SOCK_???");
    o.field("ndiag_protocol");
    xval(o, "netlink_protocol", m.ndiag_protocol, "NETLINK_???");
    o.field("ndiag_state");
    xval(o, "netlink_states", m.ndiag_state, "NETLINK_???");
    o.field("ndiag_portid");
    o.uint_(m.ndiag_portid);
    o.field("ndiag_dst_portid");
    o.uint_(m.ndiag_dst_portid);
    o.field("ndiag_dst_group");
    o.uint_(m.ndiag_dst_group);
    o.field("ndiag_ino");
    o.uint_(m.ndiag_ino);
    o.field("ndiag_cookie");
    print_cookie(o, m.ndiag_cookie);
  }
  o.end_struct();
  constexpr std::uint32_t kOffset = sizeof m;
  if (ok && len > kOffset) {
    print_attrs(ctx, addr + kOffset, len - kOffset,
                {"netlink_diag_attrs", "NETLINK_DIAG_???", kNetlink});
  }
}

}  // namespace ptk::sys::nl
