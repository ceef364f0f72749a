// IFLA_PROTINFO by the ifinfomsg's family: the bridge port attributes (IFLA_BRPORT_*) of
// AF_BRIDGE and the IPv6 ones (IFLA_INET6_*) of AF_INET6.
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "decoders/time/time_util.h"
#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool bridge_id(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_bridge_id id;
  if (len < sizeof id) return false;
  if (!read_bytes(ctx, addr, &id, sizeof id)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("prio");
  o.begin_array();
  for (auto p : id.prio) o.uint_(p);
  o.end_array();
  o.field("addr");
  std::string mac;
  for (std::size_t i = 0; i < sizeof id.addr; ++i) {
    if (i != 0) mac += ':';
    mac += fmt::format("{:02x}", id.addr[i]);
  }
  o.styled(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(id.addr), sizeof id.addr),
                           false),
           mac);
  o.end_struct();
  return true;
}

bool x16(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint16_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    ctx.out().hex(v);
  }
  return true;
}

// By IFLA_BRPORT_*.
constexpr AttrFn kBrport[] = {
    nullptr,  attr_u8,  attr_u16,     attr_u32, attr_u8, attr_u8,      attr_u8,      attr_u8,
    attr_u8,  attr_u8,  attr_u8,      attr_u8,  attr_u8, bridge_id,    bridge_id,    attr_u16,
    attr_u16, attr_u16, attr_u16,     attr_u8,  attr_u8, attr_clock_t, attr_clock_t, attr_clock_t,
    nullptr,  attr_u8,  nullptr,      attr_u8,  attr_u8, attr_u8,      attr_u8,      x16,
    attr_u8,  attr_u8,  attr_ifindex, attr_u8,  attr_u8, attr_u32,     attr_u32,     attr_u8};

constexpr AttrXlat kInet6Flags{"inet6_if_flags", "IF_???", 4};
bool inet6_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kInet6Flags);
}

bool inet6_conf(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 4) return false;
  print_indexed(ctx, addr, len / 4, 4, true, "inet6_devconf_indices", "DEVCONF_???");
  return true;
}

bool inet6_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 8) return false;
  print_indexed(ctx, addr, len / 8, 8, false, "snmp_ip_stats", "IPSTATS_MIB_???");
  return true;
}

bool inet6_icmp6(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 8) return false;
  print_indexed(ctx, addr, len / 8, 8, false, "snmp_icmp6_stats", "ICMP6_MIB_???");
  return true;
}

bool inet6_cacheinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(
      ctx, addr, len, sizeof(ifla_cacheinfo),
      {{"max_reasm_len", 'u'}, {"tstamp", 'u'}, {"reachable_time", 'u'}, {"retrans_time", 'u'}});
}

constexpr AttrXlat kAgm{"in6_addr_gen_mode", "IN6_ADDR_GEN_MODE_???", 1};
bool inet6_agm(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kAgm);
}

}  // namespace

// By IFLA_INET6_*.
constexpr AttrFn kInet6[] = {nullptr,         inet6_flags, inet6_conf,    inet6_stats, nullptr,
                             inet6_cacheinfo, inet6_icmp6, attr_in6_addr, inet6_agm,   attr_u32};

const AttrSpec& inet6_attrs() {
  static const AttrSpec spec{"rtnl_ifla_af_spec_inet6_attrs", "IFLA_INET6_???", kInet6};
  return spec;
}

bool attr_protinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  std::uint8_t family = static_cast<const ifinfomsg*>(opaque)->ifi_family;
  if (family == AF_BRIDGE) {
    print_attrs(ctx, addr, len, {"rtnl_ifla_brport_attrs", "IFLA_BRPORT_???", kBrport});
  } else if (family == AF_INET6) {
    print_attrs(ctx, addr, len, inet6_attrs());
  } else {
    hex_str(ctx, addr, len);
  }
  return true;
}

}  // namespace ptk::sys::nl
