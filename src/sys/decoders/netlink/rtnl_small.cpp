// The RTM_* messages whose struct is one or a few fields: rtgenmsg (NSID), netconfmsg,
// dcbmsg, ifaddrlblmsg, tcamsg.
#include <linux/dcbnl.h>
#include <linux/if_addrlabel.h>
#include <linux/netconf.h>
#include <linux/rtnetlink.h>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

// {FIELD=AF_...} then the attributes: the structs that are their family alone (or a family
// and padding).
void family_only(DecodeCtx& ctx, std::string_view field, std::uint8_t family, std::uint64_t addr,
                 std::uint32_t len, std::size_t size, const AttrSpec& spec) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field(field);
  xval(o, "address_family", family, "AF_???");
  o.end_struct();
  attrs_after(ctx, addr, len, size, spec);
}

// By NETNSA_* (linux/net_namespace.h).
constexpr AttrFn kNsid[] = {nullptr, attr_s32, attr_u32, attr_fd, attr_s32, attr_s32};
// By NETCONFA_* (linux/netconf.h).
constexpr AttrFn kNetconf[] = {nullptr,  attr_ifindex, attr_s32, attr_s32, attr_s32,
                               attr_s32, attr_s32,     attr_s32, attr_s32};

bool ifal_address(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const ifaddrlblmsg*>(opaque)->ifal_family);
  return true;
}
// By IFAL_* (linux/if_addrlabel.h).
constexpr AttrFn kAddrlabel[] = {nullptr, ifal_address, attr_u32};

constexpr AttrXlat kActFlags{"rtnl_tca_act_flags", "TCA_ACT_FLAGS_???", 4};
constexpr AttrXlat kActHwStats{"rtnl_tca_act_hw_stats", "TCA_ACT_HW_STATS_???", 4};
bool act_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kActFlags);
}
bool act_hw_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kActHwStats);
}
// By TCA_ACT_* (linux/pkt_cls.h); TCA_ACT_STATS is printed as bytes by ptk for now.
constexpr AttrFn kTcAction[] = {nullptr, attr_str,  nullptr,      attr_u32,     nullptr, nullptr,
                                nullptr, act_flags, act_hw_stats, act_hw_stats, attr_u32};

}  // namespace

void decode_nsid(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                 std::uint32_t len) {
  family_only(ctx, "rtgen_family", family, addr, len, sizeof(rtgenmsg),
              {"rtnl_nsid_attrs", "NETNSA_???", kNsid});
}

void decode_netconfmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                       std::uint32_t len) {
  family_only(ctx, "ncm_family", family, addr, len, sizeof(netconfmsg),
              {"rtnl_netconf_attrs", "NETCONFA_???", kNetconf});
}

void decode_tcamsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                   std::uint32_t len) {
  family_only(ctx, "tca_family", family, addr, len, sizeof(tcamsg),
              {"rtnl_tc_action_attrs", "TCA_ACT_???", kTcAction});
}

void decode_dcbmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                   std::uint32_t len) {
  dcbmsg dcb{};
  dcb.dcb_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("dcb_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &dcb, sizeof dcb);
  if (ok) {
    o.field("cmd");
    xval(o, "dcb_commands", dcb.cmd, "DCB_CMD_???");
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof dcb, {"rtnl_dcb_attrs", "DCB_ATTR_???"});
}

void decode_ifaddrlblmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                         std::uint32_t len) {
  ifaddrlblmsg ifal{};
  ifal.ifal_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ifal_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &ifal, sizeof ifal);
  if (ok) {
    o.field("ifal_prefixlen");
    o.uint_(ifal.ifal_prefixlen);
    o.field("ifal_flags");
    o.uint_(ifal.ifal_flags);
    o.field("ifal_index");
    dec::print_ifindex(o, ifal.ifal_index);
    o.field("ifal_seq");
    o.uint_(ifal.ifal_seq);
  }
  o.end_struct();
  if (ok) {
    attrs_after(ctx, addr, len, sizeof ifal,
                {"rtnl_addrlabel_attrs", "IFAL_???", kAddrlabel, &ifal});
  }
}

}  // namespace ptk::sys::nl
