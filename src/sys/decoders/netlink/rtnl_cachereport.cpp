// RTM_NEWCACHEREPORT: the multicast routing daemons' cache reports, by RTNL_FAMILY_IP{,6}MR.
#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

constexpr std::uint8_t kIpmr = 128, kIp6mr = 129;  // RTNL_FAMILY_IPMR, RTNL_FAMILY_IP6MR

constexpr AttrXlat kIpmraType{"rtnl_ipmra_msg_types", "IGMPMSG_???", 1};
constexpr AttrXlat kIp6mraType{"rtnl_ip6mra_msg_types", "MRT6MSG_???", 1};
bool ipmra_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kIpmraType);
}
bool ip6mra_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kIp6mraType);
}

// By IPMRA_CREPORT_* and IP6MRA_CREPORT_* (the packet itself stays bytes).
constexpr AttrFn kIpmra[] = {nullptr,      ipmra_type, attr_u32, attr_in_addr,
                             attr_in_addr, nullptr,    attr_u32};
constexpr AttrFn kIp6mra[] = {nullptr, ip6mra_type, attr_u32, attr_in6_addr, attr_in6_addr};

}  // namespace

void decode_cachereport(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                        std::uint32_t len) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("rtgen_family");
  const Xlat* x = find_xlat("rtnl_family");
  std::string_view n = x != nullptr ? xlat_name(*x, family) : std::string_view();
  if (!n.empty()) {
    o.begin_flags();
    o.name(n, family);
    o.end_flags();
  } else {
    xval(o, "address_family", family, "RTNL_FAMILY_???");
  }
  o.end_struct();
  constexpr std::uint32_t kOffset = 4;  // NLMSG_ALIGN(sizeof(struct rtgenmsg))
  if (len <= kOffset) return;
  if (family == kIpmr) {
    print_attrs(ctx, addr + kOffset, len - kOffset,
                {"rtnl_ipmra_creport_attr", "IPMRA_CREPORT_???", kIpmra});
  } else if (family == kIp6mr) {
    print_attrs(ctx, addr + kOffset, len - kOffset,
                {"rtnl_ip6mra_creport_attr", "IP6MRA_CREPORT_???", kIp6mra});
  } else {
    hex_str(ctx, addr + kOffset, len - kOffset);
  }
}

}  // namespace ptk::sys::nl
