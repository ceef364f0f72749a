// The small netlink protocols: NETLINK_NETFILTER's message names and nfgenmsg, NETLINK_SELINUX,
// NETLINK_KOBJECT_UEVENT (udev's header and text), and NLMSG_ERROR's extended-ack attributes.
#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <cstring>
#include <string>

#include "nl.h"

namespace ptk::sys::nl {
namespace {

constexpr std::uint16_t kMinType = 0x10;
constexpr std::uint8_t kSubsysNftables = 10;

struct NfSubsys {
  std::string_view table;
  std::string_view unknown;
};

// Message names by NFNL_SUBSYS_* (linux/netfilter/nfnetlink.h order).
constexpr std::array<NfSubsys, 13> kNfSubsys = {{
    {"", ""},
    {"nf_ctnetlink_msg_types", "IPCTNL_MSG_CT_???"},
    {"nf_ctnetlink_exp_msg_types", "IPCTNL_MSG_EXP_???"},
    {"nf_queue_msg_types", "NFQNL_MSG_???"},
    {"nf_ulog_msg_types", "NFULNL_MSG_???"},
    {"nf_osf_msg_types", "OSF_MSG_???"},
    {"nf_ipset_msg_types", "IPSET_CMD_???"},
    {"nf_acct_msg_types", "NFNL_MSG_ACCT_???"},
    {"nf_cttimeout_msg_types", "IPCTNL_MSG_TIMEOUT_???"},
    {"nf_cthelper_msg_types", "NFNL_MSG_CTHELPER_???"},
    {"nf_nftables_msg_types", "NFT_MSG_???"},
    {"nf_nft_compat_msg_types", "NFNL_MSG_COMPAT_???"},
    {"nf_hook_msg_types", "NFT_MSG_HOOK_???"},
}};

// NAME, or 0xN /* UNKNOWN */, as text.
std::string name_or_hex(std::string_view table, std::uint64_t v, std::string_view unknown) {
  const Xlat* x = table.empty() ? nullptr : find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, v) : std::string_view();
  if (!n.empty()) return std::string(n);
  if (unknown.empty()) return hexnum(v);
  return fmt::format("{} /* {} */", hexnum(v), unknown);
}

bool cookie(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t len, const void*) {
  TokenList& o = ctx.out();
  std::array<std::uint8_t, 64> buf{};
  std::size_t n = std::min<std::size_t>(len, buf.size());
  if (!read_bytes(ctx, addr, buf.data(), n)) {
    o.ptr(addr);
    return true;
  }
  o.begin_array();
  std::size_t shown = std::min(n, ctx.options().verbose ? n : ctx.options().abbrev_array);
  for (std::size_t i = 0; i < shown; ++i) o.uint_(buf[i]);
  o.end_array(shown < len);
  return true;
}

constexpr AttrFn kErrDecoders[] = {nullptr, attr_str, attr_u32, cookie};

}  // namespace

std::span<const AttrFn> nlmsgerr_decoders() { return kErrDecoders; }

void print_netfilter_type(TokenList& o, std::uint16_t type) {
  // The batch markers are whole types; the rest are SUBSYS<<8|TYPE.
  const Xlat* x = find_xlat("nl_netfilter_msg_types");
  std::string_view n = x != nullptr ? xlat_name(*x, type) : std::string_view();
  if (!n.empty()) {
    o.name(n, type);
    return;
  }
  auto subsys = static_cast<std::uint8_t>(type >> 8);
  auto msg = static_cast<std::uint8_t>(type);
  std::string s = name_or_hex("nl_netfilter_subsys_ids", subsys, "NFNL_SUBSYS_???");
  s += "<<8|";
  if (subsys < kNfSubsys.size()) {
    s += name_or_hex(kNfSubsys[subsys].table, msg, kNfSubsys[subsys].unknown);
  } else {
    s += hexnum(msg);
  }
  o.raw_number(s, type);
}

std::string_view netfilter_flags_table(std::uint16_t type) {
  auto subsys = static_cast<std::uint8_t>(type >> 8);
  auto msg = static_cast<std::uint8_t>(type);
  switch (subsys) {
    case 1:  // CTNETLINK: NEW GET DELETE GET_CTRZERO GET_STATS_CPU GET_STATS GET_DYING
             // GET_UNCONFIRMED
      if (msg == 0) return "netlink_new_flags";
      if (msg == 2) return "netlink_delete_flags";
      if (msg == 1 || (msg >= 3 && msg <= 7)) return "netlink_get_flags";
      return "";
    case 2:  // CTNETLINK_EXP: NEW GET DELETE GET_STATS_CPU
      if (msg == 0) return "netlink_new_flags";
      if (msg == 2) return "netlink_delete_flags";
      if (msg == 1 || msg == 3) return "netlink_get_flags";
      return "";
    case 7:  // ACCT: NEW GET GET_CTRZERO DEL
    case 8:  // CTNETLINK_TIMEOUT: NEW GET DELETE
    case 9:  // CTHELPER: NEW GET DEL
      if (msg == 0) return "netlink_new_flags";
      if (msg == 1 || (subsys == 7 && msg == 2)) return "netlink_get_flags";
      if ((subsys == 7 && msg == 3) || (subsys != 7 && msg == 2)) return "netlink_delete_flags";
      return "";
    case kSubsysNftables:
      switch (msg) {
        case 0:   // NEWTABLE
        case 3:   // NEWCHAIN
        case 6:   // NEWRULE
        case 9:   // NEWSET
        case 12:  // NEWSETELEM
        case 15:  // NEWGEN
        case 18:  // NEWOBJ
        case 22:  // NEWFLOWTABLE
          return "netlink_new_flags";
        case 1:   // GETTABLE
        case 4:   // GETCHAIN
        case 7:   // GETRULE
        case 10:  // GETSET
        case 13:  // GETSETELEM
        case 16:  // GETGEN
        case 19:  // GETOBJ
        case 21:  // GETOBJ_RESET
        case 23:  // GETFLOWTABLE
          return "netlink_get_flags";
        case 2:   // DELTABLE
        case 5:   // DELCHAIN
        case 8:   // DELRULE
        case 11:  // DELSET
        case 14:  // DELSETELEM
        case 20:  // DELOBJ
        case 24:  // DELFLOWTABLE
          return "netlink_delete_flags";
        default:
          return "";
      }
    case 11:  // NFT_COMPAT: GET
    case 12:  // HOOK: GET
      return msg == 0 ? "netlink_get_flags" : "";
    default:
      return "";
  }
}

bool netfilter_payload(DecodeCtx& ctx, const Msg& m, std::uint64_t addr, std::uint32_t len) {
  if (m.type == 3) return false;  // NLMSG_DONE
  struct {
    std::uint8_t family, version;
    std::uint16_t res_id;
  } nf{};
  TokenList& o = ctx.out();
  if (len < sizeof nf) {
    hex_str(ctx, addr, len);
    return true;
  }
  if (!read_bytes(ctx, addr, &nf, sizeof nf)) {
    o.ptr(addr);
    return true;
  }
  auto subsys = static_cast<std::uint8_t>(m.type >> 8);
  std::uint16_t res = ntohs(nf.res_id);
  o.begin_struct();
  o.field("nfgen_family");
  xval(o, "address_family", nf.family, "AF_???");
  o.field("version");
  xval(o, "netfilter_versions", nf.version, "NFNETLINK_???");
  o.field("res_id");
  // Kernels before 4.3 sent nftables' res_id in host order; strace names both spellings.
  if (subsys == kSubsysNftables && res == kSubsysNftables) {
    o.raw_number("htons(NFNL_SUBSYS_NFTABLES)", nf.res_id);
  } else if (subsys == kSubsysNftables && nf.res_id == kSubsysNftables) {
    o.raw_number("NFNL_SUBSYS_NFTABLES", nf.res_id);
  } else {
    o.raw_number(fmt::format("htons({})", res), res);
  }
  o.end_struct();
  constexpr std::uint32_t kOffset = 4;
  if (len > kOffset) {
    bool batch = m.type == 0x10 || m.type == 0x11;  // NFNL_MSG_BATCH_BEGIN/END
    if (batch || m.type < kMinType) {
      hex_str(ctx, addr + kOffset, len - kOffset);
    } else {
      print_attrs(ctx, addr + kOffset, len - kOffset, {"", ""});
    }
  }
  return true;
}

bool selinux_payload(DecodeCtx& ctx, const Msg& m, std::uint64_t addr, std::uint32_t len) {
  constexpr std::uint16_t kSetenforce = 0x10, kPolicyload = 0x11;
  if (m.type != kSetenforce && m.type != kPolicyload) return false;
  std::int32_t v;
  if (len < sizeof v) {
    hex_str(ctx, addr, len);
    return true;
  }
  if (!read_bytes(ctx, addr, &v, sizeof v)) {
    ctx.out().ptr(addr);
    return true;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  if (m.type == kSetenforce) {
    o.field("val");
    o.int_(v);
  } else {
    o.field("seqno");
    o.uint_(static_cast<std::uint32_t>(v));
  }
  o.end_struct();
  return true;
}

// udev's monitor messages start with a "libudev" header; kernel uevents are plain text.
void print_kobject_uevent(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  struct {
    char prefix[8];
    std::uint32_t magic, header_size, properties_off, properties_len;
    std::uint32_t subsystem_hash, devtype_hash, bloom_hi, bloom_lo;
  } uh{};
  constexpr std::uint64_t kSize = sizeof uh;
  bool failed_exit = ctx.exiting() && ctx.failed();
  if (!ctx.options().dereference || failed_exit || addr == 0 || len < kSize ||
      !read_bytes(ctx, addr, &uh, kSize) || std::memcmp(uh.prefix, "libudev", 8) != 0) {
    ctx.buffer(addr, len);
    return;
  }
  TokenList& o = ctx.out();
  if (len > kSize) o.begin_array();
  o.begin_struct();
  o.field("prefix");
  o.str("libudev");
  auto htonl_field = [&](std::string_view name, std::uint32_t v) {
    o.field(name);
    o.raw_number(fmt::format("htonl({})", hexnum(ntohl(v))), ntohl(v));
  };
  htonl_field("magic", uh.magic);
  o.field("header_size");
  o.uint_(uh.header_size);
  o.field("properties_off");
  o.uint_(uh.properties_off);
  o.field("properties_len");
  o.uint_(uh.properties_len);
  htonl_field("filter_subsystem_hash", uh.subsystem_hash);
  htonl_field("filter_devtype_hash", uh.devtype_hash);
  htonl_field("filter_tag_bloom_hi", uh.bloom_hi);
  htonl_field("filter_tag_bloom_lo", uh.bloom_lo);
  o.end_struct();
  if (len > kSize) {
    ctx.buffer(addr + kSize, len - kSize);
    o.end_array();
  }
}

}  // namespace ptk::sys::nl
