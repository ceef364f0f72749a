// IFLA_* attributes of struct ifinfomsg (RTM_*LINK): the flat ones, IFLA_STATS, IFLA_MAP,
// IFLA_XDP, IFLA_VF_PORTS/IFLA_PORT_SELF, IFLA_PROP_LIST, IFLA_PROTO_DOWN_REASON and
// IFLA_LINKINFO's kind. Hardware addresses, IFLA_PROTINFO, IFLA_AF_SPEC, IFLA_VFINFO_LIST and
// the kind-specific IFLA_INFO_DATA print as bytes for now.
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstring>
#include <string>

#include "decoders/time/time_util.h"
#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool link_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // rx_nohandler (Linux 4.6) is accepted missing, at exactly the older size.
  constexpr std::size_t kMin = 23 * 4, kFull = sizeof(rtnl_link_stats);
  std::size_t size = len >= kFull ? kFull : len == kMin ? kMin : 0;
  if (size == 0) return false;
  std::array<std::uint32_t, kFull / 4> v{};
  if (!read_bytes(ctx, addr, v.data(), size)) {
    ctx.out().ptr(addr);
    return true;
  }
  static constexpr std::string_view kNames[] = {
      "rx_packets",        "tx_packets",        "rx_bytes",         "tx_bytes",
      "rx_errors",         "tx_errors",         "rx_dropped",       "tx_dropped",
      "multicast",         "collisions",        "rx_length_errors", "rx_over_errors",
      "rx_crc_errors",     "rx_frame_errors",   "rx_fifo_errors",   "rx_missed_errors",
      "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",   "tx_heartbeat_errors",
      "tx_window_errors",  "rx_compressed",     "tx_compressed",    "rx_nohandler"};
  TokenList& o = ctx.out();
  o.begin_struct();
  for (std::size_t i = 0; i < size / 4 && i < std::size(kNames); ++i) {
    o.field(kNames[i]);
    o.uint_(v[i]);
  }
  o.end_struct();
  return true;
}

bool ifmap(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // Through port: the kernel's struct has tail padding.
  return struct_fields(ctx, addr, len, 28,
                       {{"mem_start", 'y'},
                        {"mem_end", 'y'},
                        {"base_addr", 'y'},
                        {"irq", 'S'},
                        {"dma", 's'},
                        {"port", 's'}});
}

constexpr AttrXlat kExtMask{"rtnl_ifla_ext_filter_flags", "RTEXT_FILTER_???", 4};
bool ext_mask(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kExtMask);
}

constexpr AttrXlat kXdpAttached{"rtnl_ifla_xdp_attached_mode", "XDP_ATTACHED_???", 1};
bool xdp_attached(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kXdpAttached);
}

bool xdp_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xflags(ctx.out(), "xdp_flags", v, "XDP_FLAGS_???");
  }
  return true;
}

// By IFLA_XDP_*.
constexpr AttrFn kXdp[] = {nullptr,  attr_fd,  xdp_attached, xdp_flags, attr_u32,
                           attr_u32, attr_u32, attr_u32,     attr_fd};

bool xdp(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_xdp_attrs", "IFLA_XDP_???", kXdp, opaque});
  return true;
}

bool event(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), "rtnl_ifla_events", v, "IFLA_EVENT_???");
  }
  return true;
}

bool port_vsi(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ifla_port_vsi vsi;
  if (len < sizeof vsi) return false;
  if (!read_bytes(ctx, addr, &vsi, sizeof vsi)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("vsi_mgr_id");
  o.uint_(vsi.vsi_mgr_id);
  o.field("vsi_type_id");
  o.raw(dec::hex_quoted(
      std::string_view(reinterpret_cast<const char*>(vsi.vsi_type_id), sizeof vsi.vsi_type_id),
      false));
  o.field("vsi_type_version");
  o.uint_(vsi.vsi_type_version);
  bool pad = false;
  for (auto b : vsi.pad) pad = pad || b != 0;
  if (pad) {
    o.field("pad");
    o.raw(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(vsi.pad), sizeof vsi.pad),
                          false));
  }
  o.end_struct();
  return true;
}

// By IFLA_PORT_*.
constexpr AttrFn kPort[] = {nullptr, attr_u32, attr_str, port_vsi,
                            nullptr, nullptr,  attr_u8,  attr_u16};

bool port(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_port_attrs", "IFLA_VF_PORT_???", kPort, opaque});
  return true;
}

constexpr AttrFn kVfPorts[] = {nullptr, port};  // IFLA_VF_PORT

bool vf_ports(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_vf_port_attrs", "IFLA_VF_PORT_???", kVfPorts, opaque});
  return true;
}

// IFLA_PROP_LIST holds IFLA_ALT_IFNAME only (so far): any other type prints as bytes.
bool prop(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  auto type = reinterpret_cast<std::uintptr_t>(opaque) & 0x3fff;
  if (type != IFLA_ALT_IFNAME) return false;
  return attr_str(ctx, addr, len, nullptr);
}

constexpr AttrFn kProp[] = {prop};

bool prop_list(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_link_attrs", "IFLA_???", kProp, nullptr, true});
  return true;
}

constexpr AttrFn kDownReason[] = {nullptr, attr_x32, attr_x32};  // IFLA_PROTO_DOWN_REASON_*

bool down_reason(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(
      ctx, addr, len,
      {"rtnl_ifla_proto_down_reason_attrs", "IFLA_PROTO_DOWN_REASON_???", kDownReason, opaque});
  return true;
}

constexpr AttrFn kInfo[] = {nullptr, attr_str, nullptr, nullptr, attr_str};  // IFLA_INFO_*

bool linkinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_ifla_info_attrs", "IFLA_INFO_???", kInfo});
  return true;
}

// By IFLA_*.
constexpr AttrFn kLink[] = {
    nullptr,       nullptr,      nullptr,  attr_str, attr_u32,         attr_u32,
    attr_str,      link_stats,   nullptr,  nullptr,  attr_u32,         nullptr,
    attr_protinfo, attr_u32,     ifmap,    attr_u32, attr_u8,          attr_u8,
    linkinfo,      attr_u32,     attr_str, attr_u32, attr_vfinfo_list, attr_link_stats64,
    vf_ports,      port,         nullptr,  attr_u32, attr_fd,          ext_mask,
    attr_u32,      attr_u32,     attr_u32, attr_u8,  nullptr,          attr_u32,
    nullptr,       attr_s32,     attr_str, attr_u8,  attr_u32,         attr_u32,
    nullptr,       xdp,          event,    attr_s32, attr_s32,         attr_u32,
    attr_u32,      attr_ifindex, attr_u32, attr_u32, prop_list,        attr_str,
    nullptr,       down_reason,  attr_str, attr_str, attr_u32,         attr_u32,
    attr_u32,      attr_u32};

}  // namespace

std::span<const AttrFn> ifinfomsg_decoders() { return kLink; }

}  // namespace ptk::sys::nl
