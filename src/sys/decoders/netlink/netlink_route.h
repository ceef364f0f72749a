// NETLINK_ROUTE: the decoders of each RTM_* message's payload.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

#include "decoders/network/network_sockaddr.h"
#include "nl.h"

namespace ptk::sys::nl {

// Decodes the payload of an RTM_* message whose first byte (the family) is `family`.
using RouteFn = void (*)(DecodeCtx& ctx, const Msg& msg, std::uint8_t family, std::uint64_t addr,
                         std::uint32_t len);

// By type - RTM_BASE; nullptr where strace 6.1 prints only the family.
inline constexpr std::size_t kRouteTypes = 91;  // through RTM_GETNEXTHOP (106)
const std::array<RouteFn, kRouteTypes>& route_decoders();

// {family=AF_INET, data="\x..."}: a payload no decoder knows.
void print_family(DecodeCtx& ctx, std::uint8_t family, std::uint64_t addr, std::uint32_t len);

// TCA_STATS2 and TCA_ACT_STATS: the TCA_STATS_* nest.
bool attr_tc_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// RT_TABLE_* u32 and RTPROT_* u8 (RTA_TABLE, FRA_TABLE, FRA_PROTOCOL).
bool attr_rt_class(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_rt_proto(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// struct rtnl_link_stats64 (IFLA_STATS64, IFLA_STATS_LINK_64) and the IFLA_STATS_* decoders.
bool attr_link_stats64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
std::span<const AttrFn> ifstats_decoders();
// IFLA_PROTINFO by the ifinfomsg's family (opaque), and the IFLA_INET6_* attributes.
bool attr_protinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
const AttrSpec& inet6_attrs();
// IFLA_VFINFO_LIST.
bool attr_vfinfo_list(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
// The IFLA_* decoders of struct ifinfomsg.
std::span<const AttrFn> ifinfomsg_decoders();

// A LWTUNNEL_ENCAP_* u16 (RTA_ENCAP_TYPE, NHA_ENCAP_TYPE).
bool attr_lwt_encap_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// A struct of naturally aligned fields printed as {name=value, ...} when len holds `need`
// bytes (else false); kinds: U u64, u u32, d s32, x u32 as %#x, y u64 as %#x, X u32 as 0x%08x, S
// u16, T s16, s u8, t s8.
struct Field {
  std::string_view name;
  char kind;
};
bool struct_fields(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t need,
                   std::initializer_list<Field> list);

// The rest of a route struct of `size` bytes after its first byte (the family, in `out`
// already): false when len is short (prints "...") or the bytes are unreadable (prints the
// address), as strace does after the family field.
bool read_rest(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, void* out, std::size_t size,
               std::size_t first = 1);

// The attributes after a struct of `size` bytes (aligned to 4), if any.
void attrs_after(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t size,
                 const AttrSpec& spec);

// The RTM_* decoders (rtnl_*.cpp).
#define PTK_RTNL_DECODER(name)                                                     \
  void name(DecodeCtx& ctx, const Msg& m, std::uint8_t family, std::uint64_t addr, \
            std::uint32_t len)
PTK_RTNL_DECODER(decode_ifaddrmsg);
PTK_RTNL_DECODER(decode_nsid);
PTK_RTNL_DECODER(decode_netconfmsg);
PTK_RTNL_DECODER(decode_tcamsg);
PTK_RTNL_DECODER(decode_dcbmsg);
PTK_RTNL_DECODER(decode_ifaddrlblmsg);
PTK_RTNL_DECODER(decode_br_port_msg);
PTK_RTNL_DECODER(decode_tcmsg);
PTK_RTNL_DECODER(decode_nhmsg);
PTK_RTNL_DECODER(decode_cachereport);
PTK_RTNL_DECODER(decode_ndtmsg);
PTK_RTNL_DECODER(decode_fib_rule_hdr);
PTK_RTNL_DECODER(decode_rtmsg);
PTK_RTNL_DECODER(decode_ifinfomsg);
PTK_RTNL_DECODER(decode_ndmsg);
PTK_RTNL_DECODER(decode_ifstatsmsg);
#undef PTK_RTNL_DECODER

}  // namespace ptk::sys::nl
