// Netlink messages: nlmsghdr, NLMSG_ERROR and NLMSG_DONE, payloads by protocol.
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "decoders/time/time_util.h"
#include "nl.h"
#include "ptk/sys/fd_details.h"

namespace ptk::sys::nl {
namespace {

// NLMSG_NOOP (1) needs nothing of its own.
constexpr std::uint16_t kError = 2, kDone = 3, kMinType = 0x10;
constexpr std::uint16_t kCapped = 0x100;  // NLM_F_CAPPED of an NLMSG_ERROR

// Netlink protocols (linux/netlink.h).
constexpr int kRoute = 0, kSockDiag = 4, kXfrm = 6, kSelinux = 7, kAudit = 9, kNetfilter = 12;
constexpr int kKobjectUevent = 15, kGeneric = 16, kCrypto = 21;

// The type names of a protocol's messages, NLMSG_MIN_TYPE and up.
struct TypeTable {
  std::string_view table;
  std::string_view unknown;
};

TypeTable type_table(int protocol) {
  switch (protocol) {
    case kAudit:
      return {"nl_audit_types", "AUDIT_???"};
    case kCrypto:
      return {"nl_crypto_types", "CRYPTO_MSG_???"};
    case kRoute:
      return {"nl_route_types", "RTM_???"};
    case kSelinux:
      return {"nl_selinux_types", "SELNL_MSG_???"};
    case kSockDiag:
      return {"nl_sock_diag_types", "SOCK_DIAG_???"};
    case kXfrm:
      return {"nl_xfrm_types", "XFRM_MSG_???"};
    default:
      return {};
  }
}

void print_type(TokenList& o, int protocol, std::uint16_t type) {
  if (type >= kMinType) {
    if (protocol == kNetfilter) {
      print_netfilter_type(o, type);
      return;
    }
    if (protocol == kGeneric) {
      // strace names every family the kernel lists (CTRL_CMD_GETFAMILY); ptk knows only the
      // one whose id is fixed, nlctrl, and prints the others' numbers.
      xval(o, "genl_families", type, "GENERIC_FAMILY_???");
      return;
    }
    TypeTable t = type_table(protocol);
    if (!t.table.empty()) {
      xval(o, t.table, type, t.unknown);
      return;
    }
  }
  xval(o, "netlink_types", type, "NLMSG_???");
}

// The flags table of a message type beyond netlink_flags (NLM_F_REQUEST, ...).
std::string_view flags_table(int protocol, std::uint16_t type) {
  if (type < kMinType) return type == kError ? "netlink_ack_flags" : "";
  switch (protocol) {
    case kRoute:
      if (type == 0x31) return "netlink_get_flags";  // RTM_DELACTION takes NLM_F_ROOT
      switch (type & 3) {
        case 0:
          return "netlink_new_flags";
        case 1:
          return "netlink_delete_flags";
        case 2:
          return "netlink_get_flags";
        default:
          return "";
      }
    case kSockDiag:
      return "netlink_get_flags";
    case kNetfilter:
      return netfilter_flags_table(type);
    case kXfrm:
      switch (type) {
        case 0x10:  // XFRM_MSG_NEWSA
        case 0x13:  // NEWPOLICY
        case 0x1e:  // NEWAE
        case 0x22:  // NEWSADINFO
        case 0x25:  // NEWSPDINFO
          return "netlink_new_flags";
        case 0x11:  // DELSA
        case 0x14:  // DELPOLICY
          return "netlink_delete_flags";
        case 0x12:  // GETSA
        case 0x15:  // GETPOLICY
        case 0x1f:  // GETAE
        case 0x23:  // GETSADINFO
        case 0x26:  // GETSPDINFO
          return "netlink_get_flags";
        default:
          return "";
      }
    case kCrypto:
      switch (type) {
        case 0x10:  // CRYPTO_MSG_NEWALG
          return "netlink_new_flags";
        case 0x11:  // DELALG
        case 0x14:  // DELRNG
          return "netlink_delete_flags";
        case 0x13:  // GETALG
          return "netlink_get_flags";
        default:
          return "";
      }
    default:
      return "";
  }
}

// strace's printflags_ex over netlink_flags and then the type's own table.
void print_flags(TokenList& o, int protocol, std::uint16_t type, std::uint16_t flags) {
  o.begin_flags();
  std::uint64_t rest = flags;
  bool any = false;
  for (std::string_view name : {std::string_view("netlink_flags"), flags_table(protocol, type)}) {
    const Xlat* x = name.empty() ? nullptr : find_xlat(name);
    if (x == nullptr) continue;
    for (const XlatEntry& e : x->entries) {
      if (e.value != 0 && (rest & e.value) == e.value) {
        o.name(e.name, e.value);
        rest &= ~e.value;
        any = true;
      }
    }
  }
  finish_flags(o, rest, any, "NLM_F_???");
}

void print_header(DecodeCtx& ctx, int protocol, const Msg& m) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("nlmsg_len");
  o.uint_(m.len);
  o.field("nlmsg_type");
  print_type(o, protocol, m.type);
  o.field("nlmsg_flags");
  print_flags(o, protocol, m.type, m.flags);
  o.field("nlmsg_seq");
  o.uint_(m.seq);
  o.field("nlmsg_pid");
  ctx.pid(static_cast<std::int32_t>(m.pid), PidKind::Tgid);  // as strace's PRINT_FIELD_TGID
  o.end_struct();
}

void print_with_payload(DecodeCtx& ctx, int protocol, const Msg& m, std::uint64_t addr,
                        std::uint64_t len, int depth);

// NLMSG_ERROR's payload: the error and the message it answers, then attributes when the
// kernel added them (NLM_F_ACK_TLVS); NLM_F_CAPPED says only the request's header is there.
void print_error(DecodeCtx& ctx, int protocol, std::uint64_t addr, std::uint32_t len, bool capped,
                 int depth) {
  struct {
    std::int32_t error;
    Msg msg;
  } err{};
  static_assert(sizeof err == 20);
  if (len < sizeof err) {
    hex_str(ctx, addr, len);
    return;
  }
  if (!read_bytes(ctx, addr, &err, sizeof err)) {
    ctx.out().ptr(addr);
    return;
  }
  addr += 4;
  len -= 4;
  // A header claiming less than itself is taken as a bare header.
  std::uint32_t msg_len = std::max(kHdrLen, err.msg.len);
  std::uint32_t payload = std::min(len, capped ? kHdrLen : msg_len);
  TokenList& o = ctx.out();
  if (len > payload) o.begin_array();
  o.begin_struct();
  o.field("error");
  std::string_view en = err.error < 0 ? errno_name(-err.error) : std::string_view();
  if (!en.empty()) {
    o.raw_number(fmt::format("-{}", en), err.error);
  } else {
    o.int_(err.error);
  }
  o.field("msg");
  print_with_payload(ctx, protocol, err.msg, addr, payload, depth + 1);
  o.end_struct();
  if (len > payload) {
    print_attrs(ctx, addr + payload, len - payload,
                {"nlmsgerr_attrs", "NLMSGERR_ATTR_???", nlmsgerr_decoders(), nullptr});
    o.end_array();
  }
}

void print_payload(DecodeCtx& ctx, int protocol, const Msg& m, std::uint64_t addr,
                   std::uint32_t len, int depth) {
  if (m.type == kError) {
    if (depth < kMaxDepth) {
      print_error(ctx, protocol, addr, len, (m.flags & kCapped) != 0, depth);
    } else {
      hex_str(ctx, addr, len);
    }
    return;
  }
  // NLMSG_DONE usually carries one int, but some protocols put more there.
  if (m.type >= kMinType || m.type == kDone) {
    PayloadFn fn = nullptr;
    switch (protocol) {
      case kRoute:
        fn = route_payload;
        break;
      case kSockDiag:
        fn = sock_diag_payload;
        break;
      case kNetfilter:
        fn = netfilter_payload;
        break;
      case kSelinux:
        fn = selinux_payload;
        break;
      default:
        break;
    }
    if (fn != nullptr && fn(ctx, m, addr, len)) return;
  }
  if (m.type == kDone && len == 4) {
    std::int32_t v;
    if (!read_bytes(ctx, addr, &v, 4)) {
      ctx.out().ptr(addr);
    } else {
      ctx.out().int_(v);
    }
    return;
  }
  hex_str(ctx, addr, len);
}

void print_with_payload(DecodeCtx& ctx, int protocol, const Msg& m, std::uint64_t addr,
                        std::uint64_t len, int depth) {
  auto msg_len = static_cast<std::uint32_t>(std::min<std::uint64_t>(m.len, len));
  TokenList& o = ctx.out();
  if (msg_len > kHdrLen) o.begin_array();
  print_header(ctx, protocol, m);
  if (msg_len > kHdrLen) {
    print_payload(ctx, protocol, m, addr + kHdrLen, msg_len - kHdrLen, depth);
    o.end_array();
  }
}

// "NETLINK:[ROUTE:42]" or "NETLINK:[25]" -> the protocol's number.
int protocol_from_details(std::string_view details) {
  constexpr std::string_view kPrefix = "NETLINK:[";
  if (!details.starts_with(kPrefix)) return -1;
  details.remove_prefix(kPrefix.size());
  std::string_view name = details.substr(0, details.find_first_of(":]"));
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') {
    int v = 0;
    for (char c : name) {
      if (c < '0' || c > '9') break;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  if (const Xlat* x = find_xlat("netlink_protocol")) {
    for (const XlatEntry& e : x->entries) {
      if (e.name.substr(8) == name) return static_cast<int>(e.value);
    }
  }
  return -1;
}

}  // namespace

void finish_flags(TokenList& o, std::uint64_t rest, bool any, std::string_view unknown) {
  if (any) {
    if (rest != 0) o.hex(rest);
    o.end_flags();
    return;
  }
  // Nothing named: a plain number (and its placeholder), which -X verbose shows once.
  o.truncate(o.size() - 1);
  o.hex(rest);
  if (rest != 0 && !unknown.empty()) o.xlat_note(unknown);
}

std::string hexnum(std::uint64_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

bool read_bytes(DecodeCtx& ctx, std::uint64_t addr, void* out, std::size_t len) {
  return len == 0 || ctx.read(addr, out, len);
}

void hex_str(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  // strace reads one byte past -s (whether or not it shows it): an unreadable one there
  // makes the whole value print as its address.
  std::size_t limit = ctx.options().string_limit;
  auto want = static_cast<std::size_t>(std::min<std::uint64_t>(len, limit + 1));
  std::string bytes(want, '\0');
  if (!read_bytes(ctx, addr, bytes.data(), want)) {
    ctx.out().ptr(addr);
    return;
  }
  if (bytes.size() > limit) bytes.resize(limit);
  ctx.out().raw(dec::hex_quoted(bytes, len > limit));
}

void xval(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown) {
  const Xlat* x = table.empty() ? nullptr : find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (n.empty()) {
    o.hex(value);
    if (!unknown.empty()) o.xlat_note(unknown);
    return;
  }
  o.begin_flags();
  o.name(n, value);
  o.end_flags();
}

void xflags(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown) {
  const Xlat* x = find_xlat(table);
  o.begin_flags();
  std::uint64_t rest = value;
  bool any = false;
  // A table naming 0 (NUD_NONE) names an empty value too.
  std::string_view zero = x != nullptr && value == 0 ? xlat_name(*x, 0) : std::string_view();
  if (!zero.empty()) {
    o.name(zero, 0);
    o.end_flags();
    return;
  }
  if (x != nullptr) {
    for (const XlatEntry& e : x->entries) {
      if (e.value != 0 && (rest & e.value) == e.value) {
        o.name(e.name, e.value);
        rest &= ~e.value;
        any = true;
      }
    }
  }
  finish_flags(o, rest, any, unknown);
}

int socket_protocol(DecodeCtx& ctx, int fd) {
  if (fd < 0) return -1;
  pid_t pid = ctx.syscall().pid;
  // /proc may be an outer namespace's (the suite's `unshare -p` without a remount).
  if (ctx.options().pidns != nullptr) pid = ctx.options().pidns->proc_pid(pid);
  std::string link = fmt::format("/proc/{}/fd/{}", pid, fd);
  std::array<char, 64> target{};
  ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
  constexpr std::string_view kSock = "socket:[";
  std::string_view t(target.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
  if (!t.starts_with(kSock)) return -1;
  std::uint64_t inode = 0;
  for (char c : t.substr(kSock.size())) {
    if (c < '0' || c > '9') break;
    inode = inode * 10 + static_cast<std::uint64_t>(c - '0');
  }
  std::array<char, 32> proto{};
  ssize_t m = ::getxattr(link.c_str(), "system.sockprotoname", proto.data(), proto.size() - 1);
  if (m <= 0 ||
      std::string_view(proto.data(), static_cast<std::size_t>(m)).substr(0, 7) != "NETLINK") {
    return -1;
  }
  return protocol_from_details(socket_details("NETLINK", inode, 0));
}

void print_buffer(DecodeCtx& ctx, int protocol, std::uint64_t addr, std::uint64_t len) {
  if (protocol == kKobjectUevent) {
    print_kobject_uevent(ctx, addr, len);
    return;
  }
  TokenList& o = ctx.out();
  bool in_array = false;
  for (std::size_t elt = 0;; ++elt) {
    Msg m{};
    if (len < kHdrLen) {
      hex_str(ctx, addr, len);
      break;
    }
    if (!read_bytes(ctx, addr, &m, sizeof m)) {
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
    std::uint32_t aligned = (m.len + 3) & ~3u;
    std::uint64_t next_addr = 0, next_len = 0;
    if (m.len >= kHdrLen) {
      next_len = len >= aligned ? len - aligned : 0;
      if (next_len != 0 && addr + aligned > addr) next_addr = addr + aligned;
    }
    if (!in_array && next_addr != 0) {
      o.begin_array();
      in_array = true;
    }
    print_with_payload(ctx, protocol, m, addr, len, 0);
    if (next_addr == 0) break;
    addr = next_addr;
    len = next_len;
  }
  if (in_array) o.end_array();
}

}  // namespace ptk::sys::nl
