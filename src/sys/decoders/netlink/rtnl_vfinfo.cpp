// IFLA_VFINFO_LIST: the virtual functions of a device (IFLA_VF_INFO nests, linux/if_link.h).
#include <arpa/inet.h>
#include <linux/if_link.h>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "decoders/time/time_util.h"
#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

// A MAC field: colon-separated hex, the bytes under -X raw, both under -X verbose.
void mac_field(TokenList& o, std::string_view name, const unsigned char* bytes, std::size_t n) {
  std::string mac;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) mac += ':';
    mac += fmt::format("{:02x}", bytes[i]);
  }
  o.field(name);
  o.styled(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(bytes), n), false), mac);
}

bool vf_mac(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_vf_mac v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("vf");
  o.uint_(v.vf);
  mac_field(o, "mac", v.mac, sizeof v.mac);
  o.end_struct();
  return true;
}

bool vf_vlan(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(ifla_vf_vlan),
                       {{"vf", 'u'}, {"vlan", 'u'}, {"qos", 'u'}});
}

bool vf_tx_rate(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(ifla_vf_tx_rate), {{"vf", 'u'}, {"rate", 'u'}});
}

bool vf_setting(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // ifla_vf_spoofchk, ifla_vf_rss_query_en and ifla_vf_trust: {vf, setting}.
  return struct_fields(ctx, addr, len, 8, {{"vf", 'u'}, {"setting", 'u'}});
}

bool vf_link_state(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_vf_link_state v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("vf");
  o.uint_(v.vf);
  o.field("link_state");
  xval(o, "rtnl_ifla_vf_link_states", v.link_state, "IFLA_VF_LINK_STATE_???");
  o.end_struct();
  return true;
}

bool vf_rate(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(ifla_vf_rate),
                       {{"vf", 'u'}, {"min_tx_rate", 'u'}, {"max_tx_rate", 'u'}});
}

// By IFLA_VF_STATS_*.
constexpr AttrFn kStats[] = {attr_u64, attr_u64, attr_u64, attr_u64, attr_u64,
                             attr_u64, nullptr,  attr_u64, attr_u64};

bool vf_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_vf_stats_attrs", "IFLA_VF_STATS_???", kStats, opaque});
  return true;
}

// struct ifla_vf_guid's guid is not naturally aligned on every ABI: both the packed (12
// bytes) and the padded (16 bytes) layouts are accepted.
bool vf_guid(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len != 12 && len != 16) return false;
  unsigned char buf[16];
  if (!read_bytes(ctx, addr, buf, len)) {
    ctx.out().ptr(addr);
    return true;
  }
  std::uint32_t vf;
  std::uint64_t guid;
  std::memcpy(&vf, buf, 4);
  std::memcpy(&guid, buf + (len == 12 ? 4 : 8), 8);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("vf");
  o.uint_(vf);
  o.field("guid");
  o.hex(guid);
  o.end_struct();
  return true;
}

bool vf_vlan_info(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_vf_vlan_info v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("vf");
  o.uint_(v.vf);
  o.field("vlan");
  o.uint_(v.vlan);
  o.field("qos");
  o.uint_(v.qos);
  o.field("vlan_proto");
  std::uint16_t proto = ntohs(v.vlan_proto);
  const Xlat* x = find_xlat("ethernet_protocols");
  std::string_view n = x != nullptr ? xlat_name(*x, proto) : std::string_view();
  std::string raw = fmt::format("htons({})", hexnum(proto));
  if (n.empty()) {
    std::string unknown = fmt::format("htons({} /* ETH_P_??? */)", hexnum(proto));
    o.styled(raw, unknown, unknown);
  } else {
    o.styled(raw, fmt::format("htons({})", n), fmt::format("htons({} /* {} */)", hexnum(proto), n));
  }
  o.end_struct();
  return true;
}

constexpr AttrFn kVlanList[] = {nullptr, vf_vlan_info};  // IFLA_VF_VLAN_INFO*

bool vf_vlan_list(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"rtnl_ifla_vf_vlan_list_attrs", "IFLA_VF_VLAN_INFO_???", kVlanList, opaque});
  return true;
}

bool vf_broadcast(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_vf_broadcast v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  mac_field(o, "broadcast", v.broadcast, sizeof v.broadcast);
  o.end_struct();
  return true;
}

// By IFLA_VF_*.
constexpr AttrFn kVfInfo[] = {nullptr,       vf_mac,  vf_vlan,      vf_tx_rate,  vf_setting,
                              vf_link_state, vf_rate, vf_setting,   vf_stats,    vf_setting,
                              vf_guid,       vf_guid, vf_vlan_list, vf_broadcast};

bool vf_info(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_vf_info_attrs", "IFLA_VF_???", kVfInfo, opaque});
  return true;
}

constexpr AttrFn kList[] = {nullptr, vf_info};  // IFLA_VF_INFO*

}  // namespace

bool attr_vfinfo_list(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_vfinfo_list_attrs", "IFLA_VF_INFO_???", kList, opaque});
  return true;
}

}  // namespace ptk::sys::nl
