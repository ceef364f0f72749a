// RTM_*LINK (struct ifinfomsg), RTM_*NEIGH (struct ndmsg) and RTM_*STATS (struct
// if_stats_msg): the structs, and the attributes ptk decodes so far (the rest print as bytes).
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "netlink_route.h"
#include "netlink_sock_diag.h"

namespace ptk::sys::nl {
namespace {

bool neigh_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const ndmsg*>(opaque)->ndm_family);
  return true;
}

bool nda_cacheinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(
      ctx, addr, len, sizeof(struct nda_cacheinfo),
      {{"ndm_confirmed", 'u'}, {"ndm_used", 'u'}, {"ndm_updated", 'u'}, {"ndm_refcnt", 'u'}});
}

constexpr AttrXlat kIpProto{"inet_protocols", "IPPROTO_???", 0};
bool ip_proto(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kIpProto);
}

constexpr AttrXlat kFdbNotify{"fdb_notify_flags", "FDB_NOTIFY_???", 1};
bool fdb_notify(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kFdbNotify);
}

constexpr AttrFn kFdbExt[] = {nullptr, fdb_notify, nullptr};  // NFEA_*

bool fdb_ext(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_neigh_fdb_ext_attrs", "NFEA_???", kFdbExt, opaque});
  return true;
}

constexpr AttrXlat kExtFlags{"neighbor_cache_entry_ext_flags", "NTF_EXT_???", 4};
constexpr AttrXlat kStateMask{"neighbor_cache_entry_states", "NUD_???", 2};
constexpr AttrXlat kFlagsMask{"neighbor_cache_entry_flags", "NTF_???", 1};
bool ext_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kExtFlags);
}
bool state_mask(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kStateMask);
}
bool flags_mask(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kFlagsMask);
}

// By NDA_*.
constexpr AttrFn kNeigh[] = {nullptr,   neigh_addr, attr_hwaddr, nda_cacheinfo, attr_u32,
                             attr_u16,  attr_be16,  attr_u32,    attr_ifindex,  attr_ifindex,
                             attr_u32,  attr_u32,   ip_proto,    attr_u32,      fdb_ext,
                             ext_flags, state_mask, flags_mask};

}  // namespace

void decode_ifinfomsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                      std::uint32_t len) {
  ifinfomsg ifi{};
  ifi.ifi_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ifi_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &ifi, sizeof ifi);
  if (ok) {
    o.field("ifi_type");
    xval(o, "arp_hardware_type", ifi.ifi_type, "ARPHRD_???");
    o.field("ifi_index");
    dec::print_ifindex(o, static_cast<std::uint32_t>(ifi.ifi_index));
    o.field("ifi_flags");
    xflags(o, "iffflags", ifi.ifi_flags, "IFF_???");
    o.field("ifi_change");
    o.hex(ifi.ifi_change);
  }
  o.end_struct();
  if (ok)
    attrs_after(ctx, addr, len, sizeof ifi,
                {"rtnl_link_attrs", "IFLA_???", ifinfomsg_decoders(), &ifi});
}

void decode_ndmsg(DecodeCtx& ctx, const Msg& m, std::uint8_t family, std::uint64_t addr,
                  std::uint32_t len) {
  constexpr std::uint16_t kGetNeigh = 30;
  // A bridge's RTM_GETNEIGH dump request carries an ifinfomsg.
  if (m.type == kGetNeigh && family == AF_BRIDGE) {
    decode_ifinfomsg(ctx, m, family, addr, len);
    return;
  }
  ndmsg nd{};
  nd.ndm_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ndm_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &nd, sizeof nd);
  if (ok) {
    o.field("ndm_ifindex");
    dec::print_ifindex(o, static_cast<std::uint32_t>(nd.ndm_ifindex));
    o.field("ndm_state");
    xflags(o, "neighbor_cache_entry_states", nd.ndm_state, "NUD_???");
    o.field("ndm_flags");
    xflags(o, "neighbor_cache_entry_flags", nd.ndm_flags, "NTF_???");
    o.field("ndm_type");
    xval(o, "routing_types", nd.ndm_type, "RTN_???");
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof nd, {"rtnl_neigh_attrs", "NDA_???", kNeigh, &nd});
}

void decode_ifstatsmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                       std::uint32_t len) {
  if_stats_msg st{};
  st.family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &st, sizeof st);
  if (ok) {
    // The padding shows only when the tracee set it.
    if (st.pad1 != 0) {
      o.field("pad1");
      o.hex(st.pad1);
    }
    if (st.pad2 != 0) {
      o.field("pad2");
      o.hex(st.pad2);
    }
    o.field("ifindex");
    dec::print_ifindex(o, st.ifindex);
    o.field("filter_mask");
    print_shift_flags(o, "ifstats_attrs", st.filter_mask, "1<<IFLA_STATS_???");
  }
  o.end_struct();
  if (ok)
    attrs_after(ctx, addr, len, sizeof st,
                {"ifstats_attrs", "IFLA_STATS_???", ifstats_decoders(), &st});
}

}  // namespace ptk::sys::nl
