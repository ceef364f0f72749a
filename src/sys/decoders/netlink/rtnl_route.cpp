// RTM_{NEW,DEL,GET}ROUTE: struct rtmsg and RTA_* (linux/rtnetlink.h), with the nexthops of
// RTA_MULTIPATH and the metrics nest.
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool route_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const rtmsg*>(opaque)->rtm_family);
  return true;
}

// By RTAX_* (RTAX_CC_ALGO is a string).
constexpr AttrFn kMetrics[] = {nullptr,  attr_u32, attr_u32, attr_u32, attr_u32, attr_u32,
                               attr_u32, attr_u32, attr_u32, attr_u32, attr_u32, attr_u32,
                               attr_u32, attr_u32, attr_u32, attr_u32, attr_str};

bool metrics(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_rta_metrics_attrs", "RTAX_???", kMetrics, opaque});
  return true;
}

bool cacheinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(rta_cacheinfo),
                       {{"rta_clntref", 'u'},
                        {"rta_lastuse", 'u'},
                        {"rta_expires", 'u'},
                        {"rta_error", 'u'},
                        {"rta_used", 'u'},
                        {"rta_id", 'x'},
                        {"rta_ts", 'u'},
                        {"rta_tsage", 'u'}});
}

bool mfc_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(rta_mfc_stats),
                       {{"mfcs_packets", 'U'}, {"mfcs_bytes", 'U'}, {"mfcs_wrong_if", 'U'}});
}

bool via(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  rtvia v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("rtvia_family");
  xval(o, "address_family", v.rtvia_family, "AF_???");
  constexpr std::uint32_t kOffset = sizeof v.rtvia_family;
  if (len > kOffset) {
    std::uint32_t size = v.rtvia_family == AF_INET ? 4 : v.rtvia_family == AF_INET6 ? 16 : 0;
    // IPv6 names its variable inside the call; the others as a field.
    unsigned char probe[16];
    // An unreadable address is named too: rtvia_addr=0x7ffe...
    bool unreadable =
        size != 0 && len - kOffset >= size && !read_bytes(ctx, addr + kOffset, probe, size);
    if (size == 0 || len - kOffset < size || v.rtvia_family == AF_INET || unreadable) {
      o.field("rtvia_addr");
    }
    print_inet_addr(ctx, addr + kOffset, len - kOffset, v.rtvia_family, "rtvia_addr");
  }
  o.end_struct();
  return true;
}

bool multipath(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// By RTA_*.
constexpr AttrFn kRoute[] = {nullptr,      route_addr,
                             route_addr,   attr_ifindex,
                             attr_ifindex, route_addr,
                             attr_u32,     route_addr,
                             metrics,      multipath,
                             attr_u32,     attr_u32,
                             cacheinfo,    nullptr,
                             attr_u32,     attr_rt_class,
                             attr_u32,     mfc_stats,
                             via,          route_addr,
                             attr_u8,      attr_lwt_encap_type,
                             nullptr,      attr_u64,
                             nullptr,      attr_u32,
                             attr_u8,      attr_u8,
                             attr_u16,     attr_u16};

bool multipath(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  rtnexthop nh;
  if (len < sizeof nh) return false;
  TokenList& o = ctx.out();
  bool in_array = false;
  std::uint64_t cur = addr;
  std::uint32_t left = len;
  constexpr std::uint32_t kOffset = (sizeof nh + 3) & ~3u;
  for (int n = 0; n < 1024; ++n) {  // bounded: each step consumes at least 4 bytes anyway
    if (!read_bytes(ctx, cur, &nh, sizeof nh)) {
      o.ptr(cur);
      break;
    }
    std::uint32_t nh_len = std::min<std::uint32_t>(left, nh.rtnh_len);
    if (cur == addr && nh.rtnh_len < len) {
      o.begin_array();
      in_array = true;
    }
    if (nh_len > kOffset) o.begin_array();
    o.begin_struct();
    o.field("rtnh_len");
    o.uint_(nh.rtnh_len);
    o.field("rtnh_flags");
    xflags(o, "route_nexthop_flags", nh.rtnh_flags, "RTNH_F_???");
    o.field("rtnh_hops");
    o.uint_(nh.rtnh_hops);
    o.field("rtnh_ifindex");
    dec::print_ifindex(o, static_cast<std::uint32_t>(nh.rtnh_ifindex));
    o.end_struct();
    if (nh_len > kOffset) {
      print_attrs(ctx, cur + kOffset, nh_len - kOffset,
                  {"rtnl_route_attrs", "RTA_???", kRoute, opaque});
      o.end_array();
    }
    std::uint32_t step = (nh_len + 3) & ~3u;
    if (step >= left || step == 0) break;
    cur += step;
    left -= step;
  }
  if (in_array) o.end_array();
  return true;
}

}  // namespace

void decode_rtmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                  std::uint32_t len) {
  rtmsg rt{};
  rt.rtm_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("rtm_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &rt, sizeof rt);
  if (ok) {
    o.field("rtm_dst_len");
    o.uint_(rt.rtm_dst_len);
    o.field("rtm_src_len");
    o.uint_(rt.rtm_src_len);
    o.field("rtm_tos");
    xflags(o, "ip_type_of_services", rt.rtm_tos, "IPTOS_TOS_???");
    o.field("rtm_table");
    xval(o, "routing_table_ids", rt.rtm_table, "");
    o.field("rtm_protocol");
    xval(o, "routing_protocols", rt.rtm_protocol, "RTPROT_???");
    o.field("rtm_scope");
    xval(o, "routing_scopes", rt.rtm_scope, "");
    o.field("rtm_type");
    xval(o, "routing_types", rt.rtm_type, "RTN_???");
    o.field("rtm_flags");
    xflags(o, "routing_flags", rt.rtm_flags, "RTM_F_???");
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof rt, {"rtnl_route_attrs", "RTA_???", kRoute, &rt});
}

}  // namespace ptk::sys::nl
