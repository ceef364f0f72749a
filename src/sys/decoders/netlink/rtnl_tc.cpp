// RTM_*QDISC, RTM_*TCLASS, RTM_*TFILTER, RTM_*CHAIN: struct tcmsg and the TCA_* attributes;
// the TCA_STATS2 nest that tcamsg's TCA_ACT_STATS shares.
#include <linux/gen_stats.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <initializer_list>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool tc_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  // Only through backlog: the kernel's struct tc_stats has padding after it.
  return struct_fields(ctx, addr, len, 36,
                       {{"bytes", 'U'},
                        {"packets", 'u'},
                        {"drops", 'u'},
                        {"overlimits", 'u'},
                        {"bps", 'u'},
                        {"pps", 'u'},
                        {"qlen", 'u'},
                        {"backlog", 'u'}});
}

bool estimator(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(tc_estimator),
                       {{"interval", 't'}, {"ewma_log", 's'}});
}

bool stats_basic(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, 12, {{"bytes", 'U'}, {"packets", 'u'}});
}

bool rate_est(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(gnet_stats_rate_est), {{"bps", 'u'}, {"pps", 'u'}});
}

bool stats_queue(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(
      ctx, addr, len, sizeof(gnet_stats_queue),
      {{"qlen", 'u'}, {"backlog", 'u'}, {"drops", 'u'}, {"requeues", 'u'}, {"overlimits", 'u'}});
}

bool rate_est64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(gnet_stats_rate_est64), {{"bps", 'U'}, {"pps", 'U'}});
}

// By TCA_STATS_* (linux/gen_stats.h).
constexpr AttrFn kStats[] = {nullptr,    stats_basic, rate_est,    stats_queue, nullptr,
                             rate_est64, nullptr,     stats_basic, attr_u64};

bool sizespec(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(tc_sizespec),
                       {{"cell_log", 's'},
                        {"size_log", 's'},
                        {"cell_align", 'T'},
                        {"overhead", 'd'},
                        {"linklayer", 'u'},
                        {"mpu", 'u'},
                        {"mtu", 'u'},
                        {"tsize", 'u'}});
}

bool stab_data(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t n = len / 2;
  if (n == 0) return false;
  TokenList& o = ctx.out();
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().abbrev_array;
  o.begin_array();
  std::size_t i = 0;
  for (; i < n && i < limit; ++i) {
    std::uint16_t v;
    if (!read_bytes(ctx, addr + 2 * i, &v, 2)) {
      if (i == 0) {
        o.truncate(o.size() - 1);
        o.ptr(addr);
        return true;
      }
      o.raw("...");
      o.comment(hexnum(addr + 2 * i));
      o.end_array();
      return true;
    }
    o.uint_(v);
  }
  o.end_array(i < n);
  return true;
}

constexpr AttrFn kStab[] = {nullptr, sizespec, stab_data};  // TCA_STAB_*

bool stab(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_tca_stab_attrs", "TCA_STAB_???", kStab});
  return true;
}

// By TCA_* (linux/rtnetlink.h).
constexpr AttrFn kTc[] = {nullptr,  attr_str,      nullptr,  tc_stats, nullptr, estimator,
                          attr_u32, attr_tc_stats, stab,     nullptr,  nullptr, attr_u32,
                          attr_u8,  attr_u32,      attr_u32, attr_u32};

}  // namespace

// A struct of unsigned fields (u = 32-bit, U = 64-bit, d = signed 32-bit, s/S 8/16-bit
// unsigned, t/T 8/16-bit signed) printed as {name=value, ...} when len holds `need` bytes.
bool struct_fields(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t need,
                   std::initializer_list<Field> list) {
  if (len < need) return false;
  std::array<unsigned char, 256> buf{};
  if (need > buf.size() || !read_bytes(ctx, addr, buf.data(), need)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  std::size_t off = 0;
  for (const Field& f : list) {
    std::size_t size = (f.kind == 'U' || f.kind == 'y')                                     ? 8
                       : (f.kind == 'u' || f.kind == 'd' || f.kind == 'X' || f.kind == 'x') ? 4
                       : (f.kind == 'S' || f.kind == 'T')                                   ? 2
                                                                                            : 1;
    off = (off + size - 1) / size * size;  // natural alignment
    std::uint64_t v = 0;
    std::memcpy(&v, buf.data() + off, size);
    o.field(f.name);
    switch (f.kind) {
      case 'd':
        o.int_(static_cast<std::int32_t>(v));
        break;
      case 't':
        o.int_(static_cast<std::int8_t>(v));
        break;
      case 'T':
        o.int_(static_cast<std::int16_t>(v));
        break;
      case 'x':
      case 'y':
        o.hex(v);
        break;
      case 'X':
        o.raw(fmt::format("{:#010x}", v));
        break;
      default:
        o.uint_(v);
        break;
    }
    off += size;
  }
  o.end_struct();
  return true;
}

bool attr_tc_stats(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_tca_stats_attrs", "TCA_STATS_???", kStats});
  return true;
}

void decode_tcmsg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                  std::uint32_t len) {
  tcmsg tcm{};
  tcm.tcm_family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("tcm_family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &tcm, sizeof tcm);
  if (ok) {
    o.field("tcm_ifindex");
    dec::print_ifindex(o, static_cast<std::uint32_t>(tcm.tcm_ifindex));
    o.field("tcm_handle");
    o.uint_(tcm.tcm_handle);
    o.field("tcm_parent");
    o.uint_(tcm.tcm_parent);
    o.field("tcm_info");
    o.uint_(tcm.tcm_info);
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof tcm, {"rtnl_tc_attrs", "TCA_???", kTc});
}

}  // namespace ptk::sys::nl
