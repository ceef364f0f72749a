// RTM_{NEW,DEL,GET}RULE: struct fib_rule_hdr and FRA_* (linux/fib_rules.h).
#include <linux/fib_rules.h>

#include "netlink_route.h"

namespace ptk::sys::nl {
namespace {

bool rule_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  print_inet_addr(ctx, addr, len, static_cast<const fib_rule_hdr*>(opaque)->family);
  return true;
}

bool uid_range(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(fib_rule_uid_range), {{"start", 'u'}, {"end", 'u'}});
}

bool port_range(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return struct_fields(ctx, addr, len, sizeof(fib_rule_port_range), {{"start", 'S'}, {"end", 'S'}});
}

constexpr AttrXlat kIpProto{"inet_protocols", "IPPROTO_???", 0};
bool ip_proto(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_xval(ctx, addr, len, &kIpProto);
}

// By FRA_*.
constexpr AttrFn kRule[] = {nullptr,       rule_addr,     rule_addr, attr_str,   attr_u32,
                            nullptr,       attr_u32,      nullptr,   nullptr,    nullptr,
                            attr_u32,      attr_u32,      attr_be64, attr_u32,   attr_u32,
                            attr_rt_class, attr_u32,      attr_str,  nullptr,    attr_u8,
                            uid_range,     attr_rt_proto, ip_proto,  port_range, port_range};

}  // namespace

bool attr_rt_class(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), "routing_table_ids", v, "");
  }
  return true;
}

bool attr_rt_proto(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint8_t v;
  if (len < sizeof v) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), "routing_protocols", v, "RTPROT_???");
  }
  return true;
}

void decode_fib_rule_hdr(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                         std::uint32_t len) {
  fib_rule_hdr h{};
  h.family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &h, sizeof h);
  if (ok) {
    o.field("dst_len");
    o.uint_(h.dst_len);
    o.field("src_len");
    o.uint_(h.src_len);
    o.field("tos");
    xflags(o, "ip_type_of_services", h.tos, "IPTOS_TOS_???");
    o.field("table");
    xval(o, "routing_table_ids", h.table, "RT_TABLE_???");
    o.field("action");
    xval(o, "fib_rule_actions", h.action, "FR_ACT_???");
    o.field("flags");
    xflags(o, "fib_rule_flags", h.flags, "FIB_RULE_???");
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof h, {"rtnl_rule_attrs", "FRA_???", kRule, &h});
}

}  // namespace ptk::sys::nl
