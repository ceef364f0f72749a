// RTM_{NEW,GET}STATS attributes (IFLA_STATS_*: link stats, bridge and bond xstats, offload
// stats, per-family stats) and the struct rtnl_link_stats64 that IFLA_STATS64 shares.
#include <linux/if_bonding.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/mpls.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

// Extra bytes after a struct that has them: `, "\x.."` within the attribute.
void trailing(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t size) {
  if (len > size) hex_str(ctx, addr + size, len - size);
}

bool bridge_vlan(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  bridge_vlan_xstats st;
  if (len < sizeof st) return false;
  if (!read_bytes(ctx, addr, &st, sizeof st)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("rx_bytes");
  o.uint_(st.rx_bytes);
  o.field("rx_packets");
  o.uint_(st.rx_packets);
  o.field("tx_bytes");
  o.uint_(st.tx_bytes);
  o.field("tx_packets");
  o.uint_(st.tx_packets);
  o.field("vid");
  o.uint_(st.vid);
  o.field("flags");
  xflags(o, "nl_bridge_vlan_flags", st.flags, "BRIDGE_VLAN_INFO_???");
  if (st.pad2 != 0) {
    o.field("pad2");
    o.hex(st.pad2);
  }
  o.end_struct();
  trailing(ctx, addr, len, sizeof st);
  return true;
}

bool bridge_mcast(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  br_mcast_stats st;
  if (len < sizeof st) return false;
  if (!read_bytes(ctx, addr, &st, sizeof st)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  const Xlat* dirs = find_xlat("ifstats_xstats_bridge_mcast_indices");
  auto pair = [&](std::string_view name, const __u64(&v)[BR_MCAST_DIR_SIZE]) {
    o.field(name);
    o.begin_array();
    for (std::size_t i = 0; i < BR_MCAST_DIR_SIZE; ++i) {
      print_index(o, dirs != nullptr ? xlat_name(*dirs, i) : std::string_view(), i, "",
                  std::to_string(v[i]));
    }
    o.end_array();
  };
  o.begin_struct();
  pair("igmp_v1queries", st.igmp_v1queries);
  pair("igmp_v2queries", st.igmp_v2queries);
  pair("igmp_v3queries", st.igmp_v3queries);
  pair("igmp_leaves", st.igmp_leaves);
  pair("igmp_v1reports", st.igmp_v1reports);
  pair("igmp_v2reports", st.igmp_v2reports);
  pair("igmp_v3reports", st.igmp_v3reports);
  o.field("igmp_parse_errors");
  o.uint_(st.igmp_parse_errors);
  pair("mld_v1queries", st.mld_v1queries);
  pair("mld_v2queries", st.mld_v2queries);
  pair("mld_leaves", st.mld_leaves);
  pair("mld_v1reports", st.mld_v1reports);
  pair("mld_v2reports", st.mld_v2reports);
  o.field("mld_parse_errors");
  o.uint_(st.mld_parse_errors);
  pair("mcast_bytes", st.mcast_bytes);
  pair("mcast_packets", st.mcast_packets);
  o.end_struct();
  trailing(ctx, addr, len, sizeof st);
  return true;
}

bool bridge_stp(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (!struct_fields(ctx, addr, len, sizeof(bridge_stp_xstats),
                     {{"transition_blk", 'U'},
                      {"transition_fwd", 'U'},
                      {"rx_bpdu", 'U'},
                      {"tx_bpdu", 'U'},
                      {"rx_tcn", 'U'},
                      {"tx_tcn", 'U'}})) {
    return false;
  }
  trailing(ctx, addr, len, sizeof(bridge_stp_xstats));
  return true;
}

// By BRIDGE_XSTATS_*, BOND_3AD_STAT_*, BOND_XSTATS_*.
constexpr AttrFn kBridge[] = {nullptr, bridge_vlan, bridge_mcast, nullptr, bridge_stp};
constexpr AttrFn kBond3ad[] = {attr_u64, attr_u64, attr_u64, attr_u64, attr_u64,
                               attr_u64, attr_u64, attr_u64, attr_u64, nullptr};

bool bridge(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"ifstats_xstats_bridge_attrs", "BRIDGE_XSTATS_???", kBridge, opaque});
  return true;
}

bool bond_3ad(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"ifstats_xstats_bond_3ad_attrs", "BOND_XSTATS_???", kBond3ad, opaque});
  return true;
}

constexpr AttrFn kBond[] = {nullptr, bond_3ad};

bool bond(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"ifstats_xstats_bond_attrs", "BOND_XSTATS_???", kBond, opaque});
  return true;
}

// By LINK_XSTATS_TYPE_*.
constexpr AttrFn kXstats[] = {nullptr, bridge, bond};

bool link_xstats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"ifstats_xstats_type_attrs", "LINK_XSTATS_TYPE_???", kXstats, opaque});
  return true;
}

constexpr AttrFn kOffload[] = {nullptr, attr_link_stats64};  // IFLA_OFFLOAD_XSTATS_*

bool offload(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len,
              {"ifstats_offload_attrs", "IFLA_OFFLOAD_XSTATS_???", kOffload, opaque});
  return true;
}

bool mpls_link(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (!struct_fields(ctx, addr, len, sizeof(mpls_link_stats),
                     {{"rx_packets", 'U'},
                      {"tx_packets", 'U'},
                      {"rx_bytes", 'U'},
                      {"tx_bytes", 'U'},
                      {"rx_errors", 'U'},
                      {"tx_errors", 'U'},
                      {"rx_dropped", 'U'},
                      {"tx_dropped", 'U'},
                      {"rx_noroute", 'U'}})) {
    return false;
  }
  trailing(ctx, addr, len, sizeof(mpls_link_stats));
  return true;
}

constexpr AttrFn kMpls[] = {nullptr, mpls_link};  // MPLS_STATS_*

// One family's stats: the attribute's type is the AF_*.
bool af_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  auto family = static_cast<std::uintptr_t>(reinterpret_cast<std::uintptr_t>(opaque)) & 0x3fff;
  if (family == AF_MPLS) {
    print_attrs(ctx, addr, len, {"ifstats_af_spec_mpls_attrs", "MPLS_STATS_???", kMpls});
  } else {
    hex_str(ctx, addr, len);
  }
  return true;
}

constexpr AttrFn kAfStats[] = {af_stats};

bool af_spec(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"address_family", "AF_???", kAfStats, nullptr, true});
  return true;
}

}  // namespace

// By IFLA_STATS_*.
constexpr AttrFn kIfstats[] = {nullptr,     attr_link_stats64, link_xstats,
                               link_xstats, offload,           af_spec};
std::span<const AttrFn> ifstats_decoders() { return kIfstats; }

bool attr_link_stats64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // rx_nohandler (Linux 4.6) and rx_otherhost_dropped (5.19) came later: the shorter structs
  // are accepted at exactly their size.
  constexpr std::size_t kMin = 23 * 8, kNohandler = 24 * 8, kFull = sizeof(rtnl_link_stats64);
  std::size_t size = len >= kFull ? kFull : len == kNohandler ? kNohandler : len == kMin ? kMin : 0;
  if (size == 0) return false;
  std::array<std::uint64_t, kFull / 8> v{};
  if (!read_bytes(ctx, addr, v.data(), size)) {
    ctx.out().ptr(addr);
    return true;
  }
  static constexpr std::string_view kNames[] = {
      "rx_packets",          "tx_packets",        "rx_bytes",         "tx_bytes",
      "rx_errors",           "tx_errors",         "rx_dropped",       "tx_dropped",
      "multicast",           "collisions",        "rx_length_errors", "rx_over_errors",
      "rx_crc_errors",       "rx_frame_errors",   "rx_fifo_errors",   "rx_missed_errors",
      "tx_aborted_errors",   "tx_carrier_errors", "tx_fifo_errors",   "tx_heartbeat_errors",
      "tx_window_errors",    "rx_compressed",     "tx_compressed",    "rx_nohandler",
      "rx_otherhost_dropped"};
  TokenList& o = ctx.out();
  o.begin_struct();
  for (std::size_t i = 0; i < size / 8 && i < std::size(kNames); ++i) {
    o.field(kNames[i]);
    o.uint_(v[i]);
  }
  o.end_struct();
  return true;
}

}  // namespace ptk::sys::nl
