// Netlink attributes (struct nlattr and its value), the way strace 6.1's decode_nlattr walks
// them: a lone attribute as [{nla_len, nla_type}, value], several as an array of those.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "decoders/network/network_sockaddr.h"
#include "decoders/time/time_util.h"
#include "nl.h"
#include "ptk/sys/escape.h"

namespace ptk::sys::nl {
namespace {

constexpr std::uint16_t kNested = 0x8000, kNetByteorder = 0x4000;
constexpr std::uint16_t kTypeMask = 0x3fff;

// Nesting depth of print_attrs on this thread: decoders recurse through it.
thread_local int g_depth = 0;

struct DepthGuard {
  DepthGuard() { ++g_depth; }
  ~DepthGuard() { --g_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

void print_attr_header(TokenList& o, std::uint16_t len, std::uint16_t type, const AttrSpec& spec) {
  o.begin_struct();
  o.field("nla_len");
  o.uint_(len);
  o.field("nla_type");
  if ((type & (kNested | kNetByteorder)) != 0) {
    // The two high bits print as names before the type: NLA_F_NESTED|IFLA_...
    o.begin_flags();
    if (type & kNested) o.name("NLA_F_NESTED", kNested);
    if (type & kNetByteorder) o.name("NLA_F_NET_BYTEORDER", kNetByteorder);
    const Xlat* x = spec.table.empty() ? nullptr : find_xlat(spec.table);
    std::string_view n = x != nullptr ? xlat_name(*x, type & kTypeMask) : std::string_view();
    if (!n.empty()) {
      o.name(n, type & kTypeMask);
      o.end_flags();
    } else {
      o.hex(type & kTypeMask);
      o.end_flags();
      o.xlat_note(spec.unknown);
    }
  } else {
    xval(o, spec.table, type & kTypeMask, spec.unknown);
  }
  o.end_struct();
}

void print_one(DecodeCtx& ctx, std::uint16_t nla_len, std::uint16_t type, std::uint64_t addr,
               std::uint32_t len, const AttrSpec& spec) {
  std::uint32_t shown = std::min<std::uint32_t>(nla_len, len);
  TokenList& o = ctx.out();
  if (shown > kAttrHdrLen) o.begin_array();
  print_attr_header(o, nla_len, type, spec);
  if (shown > kAttrHdrLen) {
    std::uint32_t idx = type & kTypeMask;
    AttrFn fn = spec.any_type && !spec.decoders.empty() ? spec.decoders[0]
                : idx < spec.decoders.size()            ? spec.decoders[idx]
                                                        : nullptr;
    const void* opaque = spec.any_type
                             ? reinterpret_cast<const void*>(static_cast<std::uintptr_t>(type))
                             : spec.opaque;
    std::uint64_t vaddr = addr + kAttrHdrLen;
    std::uint32_t vlen = shown - kAttrHdrLen;
    if (fn == nullptr || g_depth >= kMaxDepth || !fn(ctx, vaddr, vlen, opaque)) {
      hex_str(ctx, vaddr, vlen);
    }
    o.end_array();
  }
}

// Reads a value of at most 8 bytes into a number (host order); false when unreadable.
bool read_uint(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, std::uint64_t& v) {
  unsigned char buf[8] = {};
  if (len > 8 || !read_bytes(ctx, addr, buf, len)) return false;
  v = 0;
  for (std::uint32_t i = len; i-- > 0;) v = (v << 8) | buf[i];  // little-endian hosts only
  return true;
}

template <typename T>
bool fixed(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, T& v) {
  if (len < sizeof(T)) return false;
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

}  // namespace

void print_attrs(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const AttrSpec& spec) {
  DepthGuard guard;
  TokenList& o = ctx.out();
  bool in_array = false;
  for (std::size_t elt = 0;; ++elt) {
    struct {
      std::uint16_t len, type;
    } nla{};
    if (len < kAttrHdrLen) {
      hex_str(ctx, addr, len);
      break;
    }
    if (!read_bytes(ctx, addr, &nla, sizeof nla)) {
      if (in_array) {
        o.raw("...");
        o.comment(fmt::format("{:#x}", addr));
      } else {
        o.ptr(addr);
      }
      break;
    }
    if (!ctx.options().verbose && elt == ctx.options().string_limit) {
      o.raw("...");
      break;
    }
    std::uint32_t aligned = (nla.len + 3u) & ~3u;
    std::uint64_t next_addr = 0;
    std::uint32_t next_len = 0;
    if (nla.len >= kAttrHdrLen) {
      next_len = len >= aligned ? len - aligned : 0;
      if (next_len != 0 && addr + aligned > addr) next_addr = addr + aligned;
    }
    if (!in_array && next_addr != 0) {
      o.begin_array();
      in_array = true;
    }
    print_one(ctx, nla.len, nla.type, addr, len, spec);
    if (next_addr == 0) break;
    addr = next_addr;
    len = next_len;
  }
  if (in_array) o.end_array();
}

// A string the kernel NUL-terminates: the NUL is left out; its absence is shown as "...".
bool attr_str(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::size_t limit = ctx.options().string_limit;
  std::size_t size = std::min<std::size_t>(len, limit + 1);
  std::string bytes(size, '\0');
  if (!read_bytes(ctx, addr, bytes.data(), size)) {
    ctx.out().ptr(addr);
    return true;
  }
  if (size > limit) bytes.resize(limit);
  if (!bytes.empty() && bytes.back() == '\0') {
    bytes.pop_back();
    ctx.out().str(bytes);
  } else {
    ctx.out().str(bytes, len != 0 ? kTruncated : 0);
  }
  return true;
}

bool attr_strn(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  ctx.buffer(addr, len);
  return true;
}

#define PTK_NL_INT(name, type, emit)                                                     \
  bool attr_##name(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) { \
    type v;                                                                              \
    if (len < sizeof v) return false;                                                    \
    if (fixed(ctx, addr, len, v)) ctx.out().emit;                                        \
    return true;                                                                         \
  }
PTK_NL_INT(u8, std::uint8_t, uint_(v))
PTK_NL_INT(u16, std::uint16_t, uint_(v))
PTK_NL_INT(u32, std::uint32_t, uint_(v))
PTK_NL_INT(u64, std::uint64_t, uint_(v))
PTK_NL_INT(s8, std::int8_t, int_(v))
PTK_NL_INT(s16, std::int16_t, int_(v))
PTK_NL_INT(s32, std::int32_t, int_(v))
PTK_NL_INT(s64, std::int64_t, int_(v))
PTK_NL_INT(x32, std::uint32_t, hex(v))
#undef PTK_NL_INT

bool attr_fd(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::int32_t v;
  if (len < sizeof v) return false;
  if (fixed(ctx, addr, len, v)) ctx.fd(v);
  return true;
}

bool attr_ifindex(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint32_t v;
  if (len < sizeof v) return false;
  if (fixed(ctx, addr, len, v)) dec::print_ifindex(ctx.out(), v);
  return true;
}

bool attr_in_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 4) return false;
  print_inet_addr(ctx, addr, len, AF_INET);
  return true;
}

bool attr_in6_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  if (len < 16) return false;
  print_inet_addr(ctx, addr, len, AF_INET6);
  return true;
}

bool attr_inet_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  std::uint8_t family = opaque != nullptr ? *static_cast<const std::uint8_t*>(opaque) : 0;
  print_inet_addr(ctx, addr, len, family);
  return true;
}

void print_inet_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, int family,
                     std::string_view var) {
  std::uint32_t size = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
  if (size == 0 || len < size) {
    hex_str(ctx, addr, len);
    return;
  }
  unsigned char a[16];
  if (!read_bytes(ctx, addr, a, size)) {
    ctx.out().ptr(addr);
    return;
  }
  // Unlike a sockaddr's, strace names no variable after an attribute's IPv6 address.
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, a, text, sizeof text) == nullptr) {
    hex_str(ctx, addr, size);
    return;
  }
  std::string s = family == AF_INET ? "inet_addr(" : "inet_pton(AF_INET6, ";
  append_quoted(s, text, ctx.options().xlevel, false);
  if (family == AF_INET6 && !var.empty()) s.append(", &").append(var);
  s += ')';
  // -X raw shows the bytes, -X verbose the bytes and the address.
  ctx.out().styled(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(a), size), false),
                   s);
}

void print_array(DecodeCtx& ctx, std::uint64_t addr, std::size_t n, std::size_t elem_size,
                 ElemFn fn, const void* opaque) {
  TokenList& o = ctx.out();
  std::array<unsigned char, 64> buf{};
  if (elem_size == 0 || elem_size > buf.size()) return;
  // strace cuts arrays at -s elements unless -v.
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().string_limit;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t a = addr + i * elem_size;
    if (!read_bytes(ctx, a, buf.data(), elem_size)) {
      if (i == 0) {
        o.ptr(addr);
        return;
      }
      o.raw("...");
      o.comment(hexnum(a));
      o.end_array();
      return;
    }
    if (i == 0) o.begin_array();
    if (i == limit) {
      o.end_array(true);
      return;
    }
    fn(ctx, buf.data(), opaque);
  }
  if (n != 0) o.end_array();
}

void print_indexed(DecodeCtx& ctx, std::uint64_t addr, std::size_t n, std::size_t elem_size,
                   bool is_signed, std::string_view table, std::string_view unknown) {
  TokenList& o = ctx.out();
  const Xlat* x = find_xlat(table);
  std::size_t limit = ctx.options().verbose ? ctx.options().max_array : ctx.options().string_limit;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t v = 0;
    if (!read_bytes(ctx, addr + elem_size * i, &v, elem_size)) {
      if (i == 0) {
        o.ptr(addr);
        return;
      }
      o.raw("...");
      o.comment(hexnum(addr + elem_size * i));
      break;
    }
    if (i == 0) o.begin_array();
    if (i == limit) {
      o.end_array(true);
      return;
    }
    std::string value;
    if (is_signed) {
      value = elem_size == 4 ? std::to_string(static_cast<std::int32_t>(v))
                             : std::to_string(static_cast<std::int64_t>(v));
    } else {
      value = std::to_string(v);
    }
    print_index(o, x != nullptr ? xlat_name(*x, i) : std::string_view(), i, unknown, value);
  }
  o.end_array();
}

void print_index(TokenList& o, std::string_view name, std::size_t i, std::string_view unknown,
                 std::string_view value) {
  std::string named = name.empty() ? fmt::format("{} /* {} */", i, unknown) : std::string(name);
  std::string verbose = name.empty() ? named : fmt::format("{} /* {} */", i, name);
  o.styled(fmt::format("[{}]={}", i, value), fmt::format("[{}]={}", named, value),
           fmt::format("[{}]={}", verbose, value));
}

bool attr_hwaddr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  constexpr std::uint32_t kMaxAddrLen = 32;  // MAX_ADDR_LEN
  if (len > kMaxAddrLen) return false;
  unsigned char buf[kMaxAddrLen];
  if (!read_bytes(ctx, addr, buf, len)) {
    ctx.out().ptr(addr);
    return true;
  }
  std::string mac;
  for (std::uint32_t i = 0; i < len; ++i) {
    if (i != 0) mac += ':';
    mac += fmt::format("{:02x}", buf[i]);
  }
  // -X raw shows the bytes, -X verbose the bytes and the address.
  ctx.out().styled(
      dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(buf), len), false), mac);
  return true;
}

bool attr_clock_t(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint64_t v = 0;
  if (len > 8) return false;
  if (!read_uint(ctx, addr, len, v)) {
    ctx.out().ptr(addr);
    return true;
  }
  ctx.out().uint_(v);
  // Seconds at the clock tick's precision (USER_HZ 100: 2 digits), as strace adds them.
  static const long tck = ::sysconf(_SC_CLK_TCK);
  if (tck > 0 && v > 0) {
    int width = 0;
    for (long t = tck; t >= 10; t /= 10) ++width;
    auto utck = static_cast<std::uint64_t>(tck);
    std::uint64_t scale = 1;
    for (int i = 0; i < width; ++i) scale *= 10;
    std::uint64_t frac = (v % utck) * scale / utck;
    ctx.out().xlat_note(fmt::format("{}.{:0{}} s", v / utck, frac, width));
  }
  return true;
}

bool attr_be16(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint16_t v;
  if (len < sizeof v) return false;
  if (fixed(ctx, addr, len, v)) {
    std::uint16_t h = ntohs(v);
    ctx.out().raw_number(fmt::format("htons({})", h), h);
  }
  return true;
}

bool attr_be64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  std::uint64_t v;
  if (len < sizeof v) return false;
  if (fixed(ctx, addr, len, v)) {
    std::uint64_t h = be64toh(v);
    ctx.out().raw(fmt::format("htobe64({})", h));
  }
  return true;
}

bool attr_xval(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  const auto& x = *static_cast<const AttrXlat*>(opaque);
  if (len > 8 || len < x.size) return false;
  if (x.size != 0) len = std::min(len, x.size);
  std::uint64_t v = 0;
  if (!read_uint(ctx, addr, len, v)) {
    ctx.out().ptr(addr);
  } else {
    xval(ctx.out(), x.table, v, x.unknown);
  }
  return true;
}

bool attr_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque) {
  const auto& x = *static_cast<const AttrXlat*>(opaque);
  if (len > 8 || len < x.size) return false;
  if (x.size != 0) len = std::min(len, x.size);
  std::uint64_t v = 0;
  if (!read_uint(ctx, addr, len, v)) {
    ctx.out().ptr(addr);
  } else {
    xflags(ctx.out(), x.table, v, x.unknown);
  }
  return true;
}

}  // namespace ptk::sys::nl
