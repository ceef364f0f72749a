// RTM_{NEW,GET,SET}NEIGHTBL: struct ndtmsg and NDTA_* (linux/neighbour.h).
#include <linux/neighbour.h>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool config(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(ndt_config),
                       {{"ndtc_key_len", 'S'},
                        {"ndtc_entry_size", 'S'},
                        {"ndtc_entries", 'u'},
                        {"ndtc_last_flush", 'u'},
                        {"ndtc_last_rand", 'u'},
                        {"ndtc_hash_rnd", 'u'},
                        {"ndtc_hash_mask", 'X'},
                        {"ndtc_hash_chain_gc", 'u'},
                        {"ndtc_proxy_qlen", 'u'}});
}

// By NDTPA_*.
constexpr AttrFn kParms[] = {nullptr,  attr_ifindex, attr_u32, attr_u64, attr_u64,
                             attr_u64, attr_u64,     attr_u64, attr_u32, attr_u32,
                             attr_u32, attr_u32,     attr_u64, attr_u64, attr_u32,
                             attr_u64, attr_u32,     attr_u32, nullptr,  attr_u64};

bool parms(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_attrs(ctx, addr, len, {"rtnl_neightbl_parms_attrs", "NDTPA_???", kParms, opaque});
  return true;
}

bool stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // ndts_table_fulls came later (Linux 4.20): the struct without it is accepted too.
  constexpr std::size_t kMin = 80, kFull = sizeof(ndt_stats);
  if (len >= kFull) {
    return struct_fields(ctx, addr, len, kFull,
                         {{"ndts_allocs", 'U'},
                          {"ndts_destroys", 'U'},
                          {"ndts_hash_grows", 'U'},
                          {"ndts_res_failed", 'U'},
                          {"ndts_lookups", 'U'},
                          {"ndts_hits", 'U'},
                          {"ndts_rcv_probes_mcast", 'U'},
                          {"ndts_rcv_probes_ucast", 'U'},
                          {"ndts_periodic_gc_runs", 'U'},
                          {"ndts_forced_gc_runs", 'U'},
                          {"ndts_table_fulls", 'U'}});
  }
  if (len != kMin) return false;
  return struct_fields(ctx, addr, len, kMin,
                       {{"ndts_allocs", 'U'},
                        {"ndts_destroys", 'U'},
                        {"ndts_hash_grows", 'U'},
                        {"ndts_res_failed", 'U'},
                        {"ndts_lookups", 'U'},
                        {"ndts_hits", 'U'},
                        {"ndts_rcv_probes_mcast", 'U'},
                        {"ndts_rcv_probes_ucast", 'U'},
                        {"ndts_periodic_gc_runs", 'U'},
                        {"ndts_forced_gc_runs", 'U'}});
}

// By NDTA_*.
constexpr AttrFn kNeightbl[] = {nullptr, attr_str, attr_u32, attr_u32, attr_u32,
                                config,  parms,    stats,    attr_u64};

}  // namespace

void decode_ndtmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                   std::uint32_t len) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ndtm_family");
  xval(o, "address_family", family, "AF_???");
  o.end_struct();
  attrs_after(ctx, addr, len, sizeof(ndtmsg), {"rtnl_neightbl_attrs", "NDTA_???", kNeightbl});
}

}  // namespace ptk::sys::nl
