// NETLINK_SOCK_DIAG payloads: requests and responses by address family (AF_UNIX and
// AF_NETLINK here; the others print their family and bytes).
#include "netlink_sock_diag.h"

#include <sys/socket.h>

#include <string>

namespace ptk::sys::nl {

void print_cookie(TokenList& o, const std::uint32_t (&cookie)[2]) {
  o.begin_array();
  o.uint_(cookie[0]);
  o.uint_(cookie[1]);
  o.end_array();
}

void print_shift_flags(TokenList& o, std::string_view table, std::uint32_t value,
                       std::string_view unknown) {
  const Xlat* x = find_xlat(table);
  o.begin_flags();
  std::uint32_t rest = value;
  bool any = false;
  for (unsigned bit = 0; bit < 32 && x != nullptr; ++bit) {
    if ((value & (1u << bit)) == 0) continue;
    std::string_view n = xlat_name(*x, bit);
    if (n.empty()) continue;
    o.name(std::string("1<<").append(n), 1u << bit);
    rest &= ~(1u << bit);
    any = true;
  }
  finish_flags(o, rest, any, unknown);
}

bool read_diag(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, void* out, std::size_t size) {
  if (len < size) {
    ctx.out().raw("...");
    return false;
  }
  if (!read_bytes(ctx, addr + 1, static_cast<char*>(out) + 1, size - 1)) {
    ctx.out().ptr(addr + 1);
    return false;
  }
  return true;
}

bool sock_diag_payload(DecodeCtx& ctx, const Msg& m, std::uint64_t addr, std::uint32_t len) {
  if (m.type == 3) return false;  // NLMSG_DONE
  std::uint8_t family;
  if (!read_bytes(ctx, addr, &family, 1)) {
    ctx.out().ptr(addr);
    return true;
  }
  bool request = (m.flags & 1) != 0;  // NLM_F_REQUEST
  if (len > 1) {
    switch (family) {
      case AF_UNIX:
        request ? unix_diag_req(ctx, addr, len) : unix_diag_msg(ctx, addr, len);
        return true;
      case AF_INET:
      case AF_INET6:
        if (request) {
          inet_diag_req(ctx, m, family, addr, len);
        } else {
          inet_diag_msg(ctx, addr, len);
        }
        return true;
      case AF_SMC:
        request ? smc_diag_req(ctx, addr, len) : smc_diag_msg(ctx, addr, len);
        return true;
      case AF_PACKET:
        request ? packet_diag_req(ctx, addr, len) : packet_diag_msg(ctx, addr, len);
        return true;
      case AF_NETLINK:
        request ? netlink_diag_req(ctx, addr, len) : netlink_diag_msg(ctx, addr, len);
        return true;
      default:
        break;
    }
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
