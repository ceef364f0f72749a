// RTM_{NEW,DEL,GET}ADDR, RTM_GETMULTICAST, RTM_GETANYCAST: struct ifaddrmsg and IFA_*.
#include <linux/if_addr.h>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool ifa_address(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const ifaddrmsg*>(opaque)->ifa_family);
  return true;
}

bool ifa_cacheinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  struct ifa_cacheinfo ci;
  if (len < sizeof ci) return false;
  if (!read_bytes(ctx, addr, &ci, sizeof ci)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ifa_prefered");
  o.uint_(ci.ifa_prefered);
  o.field("ifa_valid");
  o.uint_(ci.ifa_valid);
  o.field("cstamp");
  o.uint_(ci.cstamp);
  o.field("tstamp");
  o.uint_(ci.tstamp);
  o.end_struct();
  return true;
}

bool ifa_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xflags(ctx.out(), "ifaddrflags", v, "IFA_F_???");
  }
  return true;
}

// By IFA_* (linux/if_addr.h).
constexpr AttrFn kDecoders[] = {
    nullptr,       ifa_address, ifa_address, attr_str, ifa_address, ifa_address,
    ifa_cacheinfo, ifa_address, ifa_flags,   attr_u32, attr_s32,
};

}  // namespace

void decode_ifaddrmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                      std::uint32_t len) {
  ifaddrmsg ifa{};
  ifa.ifa_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ifa_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &ifa, sizeof ifa);
  if (ok) {
    o.field("ifa_prefixlen");
    o.uint_(ifa.ifa_prefixlen);
    o.field("ifa_flags");
    xflags(o, "ifaddrflags", ifa.ifa_flags, "IFA_F_???");
    o.field("ifa_scope");
    xval(o, "routing_scopes", ifa.ifa_scope, "");
    o.field("ifa_index");
    dec::print_ifindex(o, ifa.ifa_index);
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof ifa, {"rtnl_addr_attrs", "IFA_???", kDecoders, &ifa});
}

}  // namespace ptk::sys::nl
