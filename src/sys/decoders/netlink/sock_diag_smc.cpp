// AF_SMC sock_diag response attributes (SMC_DIAG_*, linux/smc_diag.h).
#include <linux/smc_diag.h>

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "netlink_sock_diag.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::nl {
namespace {

void cursor(TokenList& o, std::string_view name, const smc_diag_cursor& c) {
  o.field(name);
  o.begin_struct();
  o.field("reserved");
  o.uint_(c.reserved);
  o.field("wrap");
  o.uint_(c.wrap);
  o.field("count");
  o.uint_(c.count);
  o.end_struct();
}

// A u8 as strace's %#0*x: 0x00, 0xff.
void byte_0x(TokenList& o, std::string_view name, std::uint8_t v) {
  o.field(name);
  o.raw(fmt::format("{:#04x}", v));
}

bool conninfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_conninfo c;
  if (len < sizeof c) return false;
  if (!read_bytes(ctx, addr, &c, sizeof c)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("token");
  o.uint_(c.token);
  o.field("sndbuf_size");
  o.uint_(c.sndbuf_size);
  o.field("rmbe_size");
  o.uint_(c.rmbe_size);
  o.field("peer_rmbe_size");
  o.uint_(c.peer_rmbe_size);
  cursor(o, "rx_prod", c.rx_prod);
  cursor(o, "rx_cons", c.rx_cons);
  cursor(o, "tx_prod", c.tx_prod);
  cursor(o, "tx_cons", c.tx_cons);
  byte_0x(o, "rx_prod_flags", c.rx_prod_flags);
  byte_0x(o, "rx_conn_state_flags", c.rx_conn_state_flags);
  byte_0x(o, "tx_prod_flags", c.tx_prod_flags);
  byte_0x(o, "tx_conn_state_flags", c.tx_conn_state_flags);
  cursor(o, "tx_prep", c.tx_prep);
  cursor(o, "tx_sent", c.tx_sent);
  cursor(o, "tx_fin", c.tx_fin);
  o.end_struct();
  return true;
}

// A char array up to its first NUL (or its end), quoted.
void cstring(DecodeCtx& ctx, std::string_view name, const unsigned char* s, std::size_t n) {
  std::size_t len = 0;
  while (len < n && s[len] != 0) ++len;
  std::string q;
  append_quoted(q, std::string_view(reinterpret_cast<const char*>(s), len), ctx.options().xlevel,
                false);
  ctx.out().field(name);
  ctx.out().raw(q);
}

bool lgrinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_lgrinfo l;
  if (len < sizeof l) return false;
  if (!read_bytes(ctx, addr, &l, sizeof l)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("lnk");
  o.begin_array();
  for (const smc_diag_linkinfo& k : l.lnk) {
    o.begin_struct();
    o.field("link_id");
    o.uint_(k.link_id);
    cstring(ctx, "ibname", k.ibname, sizeof k.ibname);
    o.field("ibport");
    o.uint_(k.ibport);
    cstring(ctx, "gid", k.gid, sizeof k.gid);
    cstring(ctx, "peer_gid", k.peer_gid, sizeof k.peer_gid);
    o.end_struct();
  }
  o.end_array();
  o.field("role");
  xval(o, "smc_link_group_roles", l.role, "SMC_???");
  o.end_struct();
  return true;
}

constexpr AttrXlat kShutdown{"sock_shutdown_flags", "???_SHUTDOWN", 1};
bool shutdown(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  return attr_flags(ctx, addr, len, &kShutdown);
}

bool dmbinfo(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  smcd_diag_dmbinfo d;
  if (len < sizeof d) return false;
  if (!read_bytes(ctx, addr, &d, sizeof d)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("linkid");
  o.uint_(d.linkid);
  o.field("peer_gid");
  o.hex(d.peer_gid);
  o.field("my_gid");
  o.hex(d.my_gid);
  o.field("token");
  o.hex(d.token);
  o.field("peer_token");
  o.hex(d.peer_token);
  o.end_struct();
  return true;
}

// The decline codes come from a kernel-internal header (net/smc/smc_clc.h): strace prints
// them with the number always, as NUM /* NAME */.
void decl_code(TokenList& o, std::string_view name, std::uint32_t v) {
  const Xlat* x = find_xlat("smc_decl_codes");
  std::string_view n = x != nullptr ? xlat_name(*x, v) : std::string_view();
  o.field(name);
  o.raw(fmt::format("{} /* {} */", hexnum(v), n.empty() ? "SMC_CLC_DECL_???" : n));
}

bool fallback(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  smc_diag_fallback f;
  if (len < sizeof f) return false;
  if (!read_bytes(ctx, addr, &f, sizeof f)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  decl_code(o, "reason", f.reason);
  decl_code(o, "peer_diagnosis", f.peer_diagnosis);
  o.end_struct();
  return true;
}

}  // namespace

// By SMC_DIAG_*.
constexpr AttrFn kSmc[] = {nullptr, conninfo, lgrinfo, shutdown, dmbinfo, fallback};
std::span<const AttrFn> smc_diag_decoders() { return kSmc; }

}  // namespace ptk::sys::nl
