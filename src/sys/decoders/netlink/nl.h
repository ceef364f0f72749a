// Netlink messages as strace 6.1 prints them: the nlmsghdr with its type and flags named by
// the socket's protocol, then the payload by protocol and message type, then attributes.
// Everything read from the tracee is bounded by the lengths the messages give, the -s limit
// on elements shown, and a cap on nesting.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "decoders/families.h"

namespace ptk::sys::nl {

inline constexpr std::uint32_t kHdrLen = 16;     // NLMSG_HDRLEN
inline constexpr std::uint32_t kAttrHdrLen = 4;  // NLA_HDRLEN
inline constexpr int kMaxDepth = 8;  // nested messages and attributes, whatever the tracee says

struct Msg {
  std::uint32_t len;
  std::uint16_t type;
  std::uint16_t flags;
  std::uint32_t seq;
  std::uint32_t pid;
};

// The NETLINK_* protocol of the tracee's descriptor fd, -1 when it is no netlink socket.
int socket_protocol(DecodeCtx& ctx, int fd);

// A buffer sent to or received from a netlink socket of `protocol`.
void print_buffer(DecodeCtx& ctx, int protocol, std::uint64_t addr, std::uint64_t len);

// Bytes in \x form, cut at -s; NULL or the address when unreadable (strace's
// printstr_ex(QUOTE_FORCE_HEX)).
void hex_str(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);

// A payload decoder of one protocol: false leaves the payload to the generic printing.
using PayloadFn = bool (*)(DecodeCtx& ctx, const Msg& msg, std::uint64_t addr, std::uint32_t len);

// An attribute value decoder: false prints the value as bytes.
using AttrFn = bool (*)(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// The attributes of one kind: names by type (table), the placeholder for unknown types, and
// decoders by type (none: all bytes). opaque is passed to every decoder.
struct AttrSpec {
  std::string_view table;
  std::string_view unknown;
  std::span<const AttrFn> decoders = {};
  const void* opaque = nullptr;
  // decoders[0] decodes every type and gets the type (as a std::uintptr_t) as its opaque.
  bool any_type = false;
};

// The attributes in addr..addr+len (strace's decode_nlattr).
void print_attrs(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const AttrSpec& spec);

// Payload decoders by protocol.
bool route_payload(DecodeCtx& ctx, const Msg& msg, std::uint64_t addr, std::uint32_t len);
bool sock_diag_payload(DecodeCtx& ctx, const Msg& msg, std::uint64_t addr, std::uint32_t len);
bool netfilter_payload(DecodeCtx& ctx, const Msg& msg, std::uint64_t addr, std::uint32_t len);
bool selinux_payload(DecodeCtx& ctx, const Msg& msg, std::uint64_t addr, std::uint32_t len);
// NETLINK_KOBJECT_UEVENT carries text, not nlmsghdrs.
void print_kobject_uevent(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);
// NETLINK_NETFILTER: SUBSYS<<8|TYPE names, and the flags table of a type.
void print_netfilter_type(TokenList& o, std::uint16_t type);
std::string_view netfilter_flags_table(std::uint16_t type);
// The attribute decoders of NLMSG_ERROR's extended ack.
std::span<const AttrFn> nlmsgerr_decoders();

// Attribute value decoders shared by the protocols (strace's decode_nla_*).
bool attr_str(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_strn(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_u8(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_u16(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_u32(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_u64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_s8(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_s16(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_s32(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_s64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_x32(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_fd(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_ifindex(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_in_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_in6_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
// n elements of elem_size bytes (at most 64) at addr, each printed by fn, cut at -s unless -v;
// an unreadable first one prints the address, a later one "... /* 0xaddr */".
using ElemFn = void (*)(DecodeCtx& ctx, const unsigned char* elem, const void* opaque);
void print_array(DecodeCtx& ctx, std::uint64_t addr, std::size_t n, std::size_t elem_size,
                 ElemFn fn, const void* opaque = nullptr);

// A hardware address of the attribute's length: f8:c2:49:13:57:bd.
bool attr_hwaddr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
// n ints (elem_size 4 or 8, signed or not) as [[NAME]=N, [7 /* UNKNOWN */]=N, ...], the
// indexes named by `table`; cut at -s unless -v.
void print_indexed(DecodeCtx& ctx, std::uint64_t addr, std::size_t n, std::size_t elem_size,
                   bool is_signed, std::string_view table, std::string_view unknown);
// One element of an indexed array: [NAME]=value, [0]=value under -X raw, [0 /* NAME */]=value
// under -X verbose; an index without a name is [7 /* UNKNOWN */].
void print_index(TokenList& o, std::string_view name, std::size_t i, std::string_view unknown,
                 std::string_view value);
// A clock_t count with its seconds in a comment: 5700500 /* 57005.00 s */.
bool attr_clock_t(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_be16(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_be64(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
// An address of the family `opaque` points to (a std::uint8_t AF_*), by its length.
bool attr_inet_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
// strace's decode_inet_addr: the address when len holds one of the family, else bytes.
// `var` names the variable of an IPv6 address: inet_pton(AF_INET6, "::1", &var).
void print_inet_addr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, int family,
                     std::string_view var = {});
// A value of an xlat: opaque points to an AttrXlat.
struct AttrXlat {
  std::string_view table;
  std::string_view unknown;
  std::uint32_t size = 0;  // bytes read (0: the attribute's length, at most 8)
};
bool attr_xval(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);
bool attr_flags(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void* opaque);

// A value of a table, or the hex number and a /* PREFIX_??? */ that -X raw leaves out; the
// number prints in hex under -X raw.
void xval(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown);
// strace's printflags: NAME|NAME|0xrest, 0 when empty, unknown bits as a comment.
void xflags(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown);

// Closes a flags group opened just before the names: the rest in hex; a value with no name at
// all becomes a plain number and its /* PREFIX_??? */ instead of a group.
void finish_flags(TokenList& o, std::uint64_t rest, bool any, std::string_view unknown);

// C's %#x: 0 or 0x1f.
std::string hexnum(std::uint64_t v);

// Reads len bytes at addr into out; false when they cannot be read.
bool read_bytes(DecodeCtx& ctx, std::uint64_t addr, void* out, std::size_t len);

}  // namespace ptk::sys::nl
