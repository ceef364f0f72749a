// NETLINK_SOCK_DIAG payloads: requests and responses by address family.
#include "nl.h"

namespace ptk::sys::nl {

bool sock_diag_payload(DecodeCtx& ctx, const Msg& m, std::uint64_t addr, std::uint32_t len) {
  if (m.type == 3) return false;  // NLMSG_DONE
  std::uint8_t family;
  if (!read_bytes(ctx, addr, &family, 1)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", family, "AF_???");
  if (len > 1) {
    o.field("data");
    hex_str(ctx, addr + 1, len - 1);
  }
  o.end_struct();
  return true;
}

}  // namespace ptk::sys::nl
