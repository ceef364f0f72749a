// RTM_{NEW,DEL,GET}NEXTHOP: struct nhmsg and NHA_* (linux/nexthop.h).
#include <linux/nexthop.h>

#include <cstdint>
#include <cstring>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

// struct nexthop_grp as Linux 6.1's uapi header and strace 6.1 name its bytes. Later headers
// (linux-libc-dev 6.1.192, from Linux 6.12) call byte 5 weight_high instead of resvd1, so the
// decoder keeps its own copy of the layout rather than build differently on each.
struct NexthopGrp {
  std::uint32_t id;
  std::uint8_t weight;
  std::uint8_t resvd1;
  std::uint16_t resvd2;
};
static_assert(sizeof(NexthopGrp) == sizeof(nexthop_grp));

void nh_grp(DecodeCtx& ctx, const unsigned char* elem, const void*) {
  NexthopGrp g;
  std::memcpy(&g, elem, sizeof g);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("id");
  o.uint_(g.id);
  o.field("weight");
  o.uint_(g.weight);
  // The reserved fields show only when the tracee set them.
  if (g.resvd1 != 0) {
    o.field("resvd1");
    o.hex(g.resvd1);
  }
  if (g.resvd2 != 0) {
    o.field("resvd2");
    o.hex(g.resvd2);
  }
  o.end_struct();
}

bool group(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / sizeof(NexthopGrp);
  if (n == 0) return false;
  print_array(ctx, addr, n, sizeof(NexthopGrp), nh_grp);
  return true;
}

constexpr AttrXlat kGrpType{"rtnl_nexthop_grp_types", "NEXTHOP_GRP_TYPE_???", 2};
bool group_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kGrpType);
}

bool gateway(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const nhmsg*>(opaque)->nh_family);
  return true;
}

// By NHA_RES_GROUP_* and NHA_RES_BUCKET_*.
constexpr AttrFn kResGroup[] = {nullptr, attr_u16, attr_clock_t, attr_clock_t, attr_clock_t};
constexpr AttrFn kResBucket[] = {nullptr, attr_u16, attr_clock_t, attr_u32};

bool res_group(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_nha_res_group_attrs", "NHA_RES_GROUP_???", kResGroup, opaque});
  return true;
}

bool res_bucket(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"rtnl_nha_res_bucket_attrs", "NHA_RES_BUCKET_???", kResBucket, opaque});
  return true;
}

// By NHA_*.
constexpr AttrFn kNexthop[] = {nullptr,   attr_u32,     group,        group_type,
                               attr_u32,  attr_ifindex, gateway,      attr_lwt_encap_type,
                               nullptr,   attr_u32,     attr_ifindex, attr_u32,
                               res_group, res_bucket};

}  // namespace

bool attr_lwt_encap_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint16_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), "lwtunnel_encap_types", v, "LWTUNNEL_ENCAP_???");
  }
  return true;
}

void decode_nhmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                  std::uint32_t len) {
  nhmsg nh{};
  nh.nh_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("nh_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &nh, sizeof nh);
  if (ok) {
    o.field("nh_scope");
    xval(o, "routing_scopes", nh.nh_scope, "");
    o.field("nh_protocol");
    xval(o, "routing_protocols", nh.nh_protocol, "RTPROT_???");
    if (nh.resvd != 0) {
      o.field("resvd");
      o.hex(nh.resvd);
    }
    o.field("nh_flags");
    xflags(o, "route_nexthop_flags", nh.nh_flags, "RTNH_F_???");
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof nh, {"rtnl_nexthop_attrs", "NHA_???", kNexthop, &nh});
}

}  // namespace ptk::sys::nl
