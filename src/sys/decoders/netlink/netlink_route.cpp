// NETLINK_ROUTE payloads: the fixed struct of each RTM_* message, then its attributes.
#include "netlink_route.h"

#include <array>

#include "nl.h"

namespace ptk::sys::nl {

void print_family(DecodeCtx& ctx, std::uint8_t family, std::uint64_t addr, std::uint32_t len) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("family");
  xval(o, "address_family", family, "AF_???");
  if (len > 1) {
    o.field("data");
    hex_str(ctx, addr + 1, len - 1);
  }
  o.end_struct();
}

bool read_rest(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, void* out, std::size_t size,
               std::size_t first) {
  if (len < size) {
    ctx.out().raw("...");
    return false;
  }
  if (!read_bytes(ctx, addr + first, static_cast<char*>(out) + first, size - first)) {
    ctx.out().ptr(addr + first);
    return false;
  }
  return true;
}

void attrs_after(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::size_t size,
                 const AttrSpec& spec) {
  auto offset = static_cast<std::uint32_t>((size + 3) & ~std::size_t{3});
  if (len > offset) print_attrs(ctx, addr + offset, len - offset, spec);
}

namespace {

constexpr std::uint16_t kRtmBase = 16;

// The decoder of each RTM_* type, RTM_BASE on (linux/rtnetlink.h numbering).
RouteFn route_decoder(std::uint16_t type) {
  if (type < kRtmBase) return nullptr;
  std::size_t i = type - kRtmBase;
  const auto& table = route_decoders();
  return i < table.size() ? table[i] : nullptr;
}

}  // namespace

bool route_payload(DecodeCtx& ctx, const Msg& m, std::uint64_t addr, std::uint32_t len) {
  if (m.type == 3) return false;  // NLMSG_DONE
  std::uint8_t family;
  if (!read_bytes(ctx, addr, &family, 1)) {
    ctx.out().ptr(addr);
    return true;
  }
  if (RouteFn fn = route_decoder(m.type)) {
    fn(ctx, m, family, addr, len);
  } else {
    print_family(ctx, family, addr, len);
  }
  return true;
}

}  // namespace ptk::sys::nl
