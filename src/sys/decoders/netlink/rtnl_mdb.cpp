// RTM_{NEW,DEL,GET}MDB: struct br_port_msg and the bridge's multicast database attributes.
#include <arpa/inet.h>
#include <linux/if_bridge.h>

#include <string>

#include "decoders/time/time_util.h"
#include "netlink_route.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::nl {
namespace {

constexpr AttrFn kEattr[] = {nullptr, attr_clock_t};  // MDBA_MDB_EATTR_*

// br_mdb_entry.addr: the group address by its protocol, then the protocol.
void print_group(DecodeCtx& ctx, const br_mdb_entry& e) {
  TokenList& o = ctx.out();
  int proto = ntohs(e.addr.proto);
  o.begin_struct();
  char text[INET6_ADDRSTRLEN] = {};
  const void* u = &e.addr.u;
  if ((proto == AF_INET || proto == AF_INET6) &&
      ::inet_ntop(proto, u, text, sizeof text) != nullptr) {
    std::string s;
    if (proto == AF_INET) {
      o.field("u");
      s = "inet_addr(";
      append_quoted(s, text, ctx.options().xlevel, false);
      s += ')';
    } else {
      s = "inet_pton(AF_INET6, ";
      append_quoted(s, text, ctx.options().xlevel, false);
      s += ", &u)";
    }
    o.raw(s);
  } else {
    o.field("u");
    o.raw(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(u), sizeof e.addr.u),
                          false));
  }
  o.field("proto");
  std::string p = "htons(";
  const Xlat* x = find_xlat("address_family");
  std::string_view n = x != nullptr ? xlat_name(*x, proto) : std::string_view();
  p += n.empty() ? hexnum(proto) + " /* AF_??? */" : std::string(n);
  p += ')';
  o.raw_number(p, proto);
  o.end_struct();
}

bool entry_info(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  br_mdb_entry e;
  if (len < sizeof e) return false;
  TokenList& o = ctx.out();
  if (!read_bytes(ctx, addr, &e, sizeof e)) {
    o.ptr(addr);
  } else {
    o.begin_struct();
    o.field("ifindex");
    dec::print_ifindex(o, e.ifindex);
    o.field("state");
    xval(o, "mdb_states", e.state, "MDB_???");
    o.field("flags");
    xflags(o, "mdb_flags", e.flags, "MDB_FLAGS_???");
    o.field("vid");
    o.uint_(e.vid);
    o.field("addr");
    print_group(ctx, e);
    o.end_struct();
  }
  constexpr std::uint32_t kOffset = (sizeof e + 3) & ~3u;
  if (len > kOffset) {
    print_attrs(ctx, addr + kOffset, len - kOffset,
                {"rtnl_mdba_mdb_eattr_attrs", "MDBA_MDB_EATTR_???", kEattr});
  }
  return true;
}

constexpr AttrFn kEntry[] = {nullptr, entry_info};  // MDBA_MDB_ENTRY_*

bool mdb_entry(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_mdba_mdb_entry_attrs", "MDBA_MDB_ENTRY_???", kEntry});
  return true;
}

constexpr AttrFn kMdb[] = {nullptr, mdb_entry};  // MDBA_MDB_*

bool mdba_mdb(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_mdba_mdb_attrs", "MDBA_MDB_???", kMdb});
  return true;
}

bool router_type(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t, const void*) {
  std::uint8_t type;
  if (!read_bytes(ctx, addr, &type, 1)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), "multicast_router_types", type, "MDB_RTR_TYPE_???");
  }
  return true;
}

// MDBA_ROUTER_PATTR_*
constexpr AttrFn kPattr[] = {nullptr, attr_clock_t, router_type, attr_clock_t, attr_clock_t};

bool router_port(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t ifindex;
  if (len < sizeof ifindex) return false;
  if (!read_bytes(ctx, addr, &ifindex, sizeof ifindex)) {
    ctx.out().ptr(addr);
  } else {
    dec::print_ifindex(ctx.out(), ifindex);
  }
  if (len > sizeof ifindex) {
    print_attrs(ctx, addr + sizeof ifindex, len - 4,
                {"rtnl_mdba_router_pattr_attrs", "MDBA_ROUTER_PATTR_???", kPattr});
  }
  return true;
}

constexpr AttrFn kRouter[] = {nullptr, router_port};  // MDBA_ROUTER_*

bool mdba_router(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  print_attrs(ctx, addr, len, {"rtnl_mdba_router_attrs", "MDBA_ROUTER_???", kRouter});
  return true;
}

constexpr AttrFn kPortMsg[] = {nullptr, mdba_mdb, mdba_router};  // MDBA_*

}  // namespace

void decode_br_port_msg(DecodeCtx& ctx, const Msg&, std::uint8_t family, std::uint64_t addr,
                        std::uint32_t len) {
  br_port_msg bpm{};
  bpm.family = family;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", family, "AF_???");
  bool ok = read_rest(ctx, addr, len, &bpm, sizeof bpm);
  if (ok) {
    o.field("ifindex");
    dec::print_ifindex(o, bpm.ifindex);
  }
  o.end_struct();
  if (ok) attrs_after(ctx, addr, len, sizeof bpm, {"rtnl_mdb_attrs", "MDBA_???", kPortMsg});
}

}  // namespace ptk::sys::nl
