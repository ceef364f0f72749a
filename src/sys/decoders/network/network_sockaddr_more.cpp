// Socket addresses of the less common families (see network_sockaddr.h): Bluetooth, RxRPC,
// IEEE 802.15.4, AF_ALG, NFC, vsock, Qualcomm IPC router, XDP and MCTP, laid out as the
// kernel's uapi (or, where it has none, its net/) headers define them.
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "decoders/time/time_util.h"
#include "network_sockaddr.h"

namespace ptk::sys::dec {
namespace {

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string_view bytes_of(const unsigned char* p, std::size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}

// A hardware address: 61:62:63:64:65:66, its bytes with -X raw.
void hw_addr(TokenList& o, const unsigned char* p, std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) text += ':';
    text += fmt::format("{:02x}", p[i]);
  }
  o.styled(hex_quoted(bytes_of(p, n), false), text);
}

// A value strace always explains, whatever -X says short of raw: 0x1 /* CM_SERVICE */, or
// the `unknown` note when it has no name (no note at all when `unknown` is empty).
void xval_noted(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  o.hex(v);
  std::string_view n = pfam::xlat_lookup(table, v);
  if (!n.empty()) {
    o.xlat_note(n);
  } else if (!unknown.empty()) {
    o.xlat_note(unknown);
  }
}

// Flags explained the same way: 0x1000 /* CRYPTO_ALG_KERN_DRIVER_ONLY */; 0 alone.
void xflags_noted(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  o.hex(v);
  if (v == 0) return;
  const Xlat* x = find_xlat(table);
  std::string names;
  std::uint64_t rest = v;
  if (x != nullptr) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 || (rest & e.value) != e.value) continue;
      if (!names.empty()) names += '|';
      names += e.name;
      rest &= ~e.value;
    }
  }
  if (names.empty()) {
    o.xlat_note(unknown);
    return;
  }
  if (rest != 0) names += fmt::format("|{:#x}", rest);
  o.xlat_note(names);
}

// A char array the kernel expects NUL-terminated within its `size` bytes (strace's
// QUOTE_0_TERMINATED | QUOTE_EXPECT_TRAILING_0): up to the NUL, or the first size - 1 bytes
// and "..." when there is none.
void char_array(TokenList& o, const unsigned char* p, std::size_t size) {
  std::size_t n = size == 0 ? 0 : size - 1;
  const void* nul = std::memchr(p, '\0', n);
  if (nul != nullptr) {
    o.str(bytes_of(p, static_cast<const unsigned char*>(nul) - p));
  } else {
    o.str(bytes_of(p, n), kTruncated);
  }
}

// Bluetooth's sockaddrs share a family and differ by length (net/bluetooth/*.h).
constexpr std::size_t kHciDevEnd = 4;  // sockaddr_hci up to hci_dev
constexpr std::size_t kHciSize = 6;
constexpr std::size_t kScoSize = 8;     // family, bdaddr_t
constexpr std::size_t kRcSize = 10;     // family, bdaddr_t, rc_channel, padding
constexpr std::size_t kL2TypeOff = 12;  // sockaddr_l2 up to l2_bdaddr_type
constexpr std::size_t kL2Size = 14;

// An L2CAP PSM or channel id in Bluetooth byte order: htobs(L2CAP_PSM_SDP), a dynamic one as
// its range's start plus the rest (htobs(L2CAP_PSM_DYN_START+8)), else htobs(0xbad /*
// L2CAP_PSM_??? */). `ranges` holds the dynamic ranges as {start, end} pairs.
void l2_number(TokenList& o, std::string_view table, std::uint16_t v,
               std::initializer_list<std::pair<std::uint16_t, std::uint16_t>> ranges,
               std::string_view unknown) {
  std::string text(pfam::xlat_lookup(table, v));
  for (auto [start, end] : ranges) {
    if (!text.empty() || v < start || v > end) continue;
    text = fmt::format("{}+{}", pfam::xlat_lookup(table, start), v - start);
  }
  std::string num = v == 0 ? "0" : fmt::format("{:#x}", v);
  if (text.empty()) {
    std::string both = fmt::format("htobs({} /* {} */)", num, unknown);
    o.styled(fmt::format("htobs({})", num), both, both);
    return;
  }
  o.styled(fmt::format("htobs({})", num), fmt::format("htobs({})", text),
           fmt::format("htobs({} /* {} */)", num, text));
}

void print_bluetooth(TokenList& o, const unsigned char* buf, std::size_t len) {
  switch (len) {
    case kHciDevEnd:
    case kHciSize:
      o.field("hci_dev");
      // Bluetooth's own byte order is little-endian, as x86's.
      o.raw_number(fmt::format("htobs({})", load<std::uint16_t>(buf + 2)),
                   load<std::uint16_t>(buf + 2));
      if (len == kHciSize) {
        o.field("hci_channel");
        afam::xval(o, "sa_hci_channels", load<std::uint16_t>(buf + 4), "HCI_CHANNEL_???");
      }
      return;
    case kScoSize:
      o.field("sco_bdaddr");
      hw_addr(o, buf + 2, 6);
      return;
    case kRcSize:
      o.field("rc_bdaddr");
      hw_addr(o, buf + 2, 6);
      o.field("rc_channel");
      o.uint_(buf[8]);
      return;
    case kL2TypeOff:
    case kL2Size:
      o.field("l2_psm");
      l2_number(o, "sa_l2cap_psm", load<std::uint16_t>(buf + 2), {{0x80, 0xff}, {0x1001, 0xffff}},
                "L2CAP_PSM_???");
      o.field("l2_bdaddr");
      hw_addr(o, buf + 4, 6);
      o.field("l2_cid");
      l2_number(o, "sa_l2cap_cid", load<std::uint16_t>(buf + 10), {{0x40, 0xffff}},
                "L2CAP_CID_???");
      if (len == kL2Size) {
        o.field("l2_bdaddr_type");
        afam::xval(o, "sa_bdaddr_types", buf[12], "BDADDR_???");
      }
      return;
    default:
      print_sockaddr_data(o, buf, len);
  }
}

// struct sockaddr_rxrpc (linux/rxrpc.h): service, transport type and length, then the
// transport's sockaddr_in or sockaddr_in6 from offset 8.
constexpr std::size_t kRxrpcTransport = 8;
constexpr std::size_t kRxrpcSize = kRxrpcTransport + sizeof(sockaddr_in6);

void print_rxrpc(DecodeCtx& ctx, TokenList& o, const unsigned char* buf, std::size_t len) {
  o.field("srx_service");
  xval_noted(o, "sa_rxrpc_services", load<std::uint16_t>(buf + 2), "???_SERVICE");
  o.field("transport_type");
  afam::xval(o, "socket_type", load<std::uint16_t>(buf + 4), "SOCK_???");
  auto claimed = load<std::uint16_t>(buf + 6);
  o.field("transport_len");
  o.uint_(claimed);
  o.field("transport");
  o.begin_struct();
  const unsigned char* t = buf + kRxrpcTransport;
  int shown = std::min<int>(claimed, static_cast<int>(len - kRxrpcTransport));
  int rest = std::max(0, shown - 2);
  auto family = load<std::uint16_t>(t);
  auto tail = [&] {
    if (rest > 0) o.str(bytes_of(t + 2, static_cast<std::size_t>(rest)));
  };
  if (family == AF_INET || family == AF_INET6) {
    bool v4 = family == AF_INET;
    o.field(v4 ? "sin" : "sin6");
    o.begin_struct();
    o.field(v4 ? "sin_family" : "sin6_family");
    afam::xval(o, "address_family", family, "AF_???");
    if (v4 && claimed >= sizeof(sockaddr_in)) {
      print_sockaddr_in(ctx, o, t);
    } else if (!v4 && claimed >= offsetof(sockaddr_in6, sin6_scope_id)) {
      print_sockaddr_in6(ctx, o, t, static_cast<std::size_t>(shown));
    } else {
      tail();
    }
    o.end_struct();
  } else {
    o.field("family");
    afam::xval(o, "address_family", family, "AF_???");
    tail();
  }
  o.end_struct();
}

// struct sockaddr_ieee802154 (net/af_ieee802154.h): the family, then at offset 4 an int
// address type, a PAN id and an 8-byte hardware or a 2-byte short address.
constexpr std::size_t kIeee802154Size = 20;
constexpr std::uint32_t kIeee802154AddrNone = 0;
constexpr std::uint32_t kIeee802154AddrShort = 2;

void print_ieee802154(TokenList& o, const unsigned char* buf) {
  o.field("addr");
  o.begin_struct();
  auto type = load<std::uint32_t>(buf + 4);
  o.field("addr_type");
  xval_noted(o, "sa_ieee802154_addr_types", type, "IEEE802154_ADDR_???");
  o.field("pan_id");
  xval_noted(o, "sa_ieee802154_pan_ids", load<std::uint16_t>(buf + 8), "");
  if (type == kIeee802154AddrShort) {
    o.field("short_addr");
    xval_noted(o, "sa_ieee802154_addrs", load<std::uint16_t>(buf + 10), "");
  } else if (type != kIeee802154AddrNone) {
    o.field("hwaddr");
    hw_addr(o, buf + 10, 8);
  }
  o.end_struct();
}

// struct sockaddr_alg_new (linux/if_alg.h): salg_type[14], two flag words, then salg_name up
// to the end of the address.
constexpr std::size_t kAlgName = 24;

void print_alg(TokenList& o, const unsigned char* buf, std::size_t len) {
  o.field("salg_type");
  char_array(o, buf + 2, 14);
  o.field("salg_feat");
  xflags_noted(o, "sa_alg_flags", load<std::uint32_t>(buf + 16), "CRYPTO_ALG_???");
  o.field("salg_mask");
  xflags_noted(o, "sa_alg_flags", load<std::uint32_t>(buf + 20), "CRYPTO_ALG_???");
  o.field("salg_name");
  char_array(o, buf + kAlgName, len - kAlgName);
}

// struct sockaddr_nfc (16 bytes) and its LLCP extension sockaddr_nfc_llcp, whose last field
// is a size_t: 96 bytes on a 64-bit ABI, 88 on a 32-bit one (linux/nfc.h).
constexpr std::size_t kNfcSize = 16;
constexpr std::size_t kNfcServiceName = 18;
constexpr std::size_t kNfcServiceNameMax = 63;

void print_nfc(DecodeCtx& ctx, TokenList& o, const unsigned char* buf, std::size_t len) {
  o.field("dev_idx");
  print_ifindex(o, load<std::uint32_t>(buf + 4));
  o.field("target_idx");
  o.hex(load<std::uint32_t>(buf + 8));
  o.field("nfc_protocol");
  afam::xval(o, "sa_nfc_protocols", load<std::uint32_t>(buf + 12), "NFC_PROTO_???");
  bool wide = ctx.word_size() == 8;
  std::size_t llcp_size = wide ? 96 : 88;
  if (len < llcp_size) {
    if (len > kNfcSize) o.raw("...");
    return;
  }
  std::uint64_t name_len = wide ? load<std::uint64_t>(buf + 88) : load<std::uint32_t>(buf + 84);
  o.field("dsap");
  xval_noted(o, "sa_nfc_saps", buf[16], "");
  o.field("ssap");
  xval_noted(o, "sa_nfc_saps", buf[17], "");
  o.field("service_name");
  o.str(bytes_of(buf + kNfcServiceName, std::min<std::uint64_t>(kNfcServiceNameMax, name_len)));
  o.field("service_name_len");
  o.uint_(name_len);
}

// struct sockaddr_vm (linux/vm_sockets.h): reserved, port, cid, flags, zero[3].
constexpr std::size_t kVsockSize = 16;

void print_vsock(TokenList& o, const unsigned char* buf) {
  auto reserved = load<std::uint16_t>(buf + 2);
  if (reserved != 0) {
    o.field("svm_reserved1");
    o.hex(reserved);
  }
  o.field("svm_cid");
  afam::xval(o, "sa_vsock_cids", load<std::uint32_t>(buf + 8), "");
  o.field("svm_port");
  afam::xval(o, "sa_vsock_ports", load<std::uint32_t>(buf + 4), "");
  o.field("svm_flags");
  afam::xflags(o, "sa_vsock_flags", buf[12], "VMADDR_FLAG_???");
  if (buf[13] != 0 || buf[14] != 0 || buf[15] != 0) {
    o.field("svm_zero");
    o.raw(hex_quoted(bytes_of(buf + 13, 3), false));
  }
}

// struct sockaddr_qrtr (linux/qrtr.h): node and port.
constexpr std::size_t kQrtrSize = 12;

void print_qrtr(TokenList& o, const unsigned char* buf) {
  o.field("sq_node");
  afam::xval(o, "sa_qrtr_nodes", load<std::uint32_t>(buf + 4), "");
  o.field("sq_port");
  afam::xval(o, "sa_qrtr_ports", load<std::uint32_t>(buf + 8), "");
}

// struct sockaddr_xdp (linux/if_xdp.h): flags, ifindex, queue id, the shared umem's fd.
constexpr std::size_t kXdpSize = 16;
constexpr std::uint16_t kXdpSharedUmem = 1;

void print_xdp(DecodeCtx& ctx, TokenList& o, const unsigned char* buf) {
  auto flags = load<std::uint16_t>(buf + 2);
  o.field("sxdp_flags");
  afam::xflags(o, "sa_xdp_flags", flags, "XDP_???");
  o.field("sxdp_ifindex");
  print_ifindex(o, load<std::uint32_t>(buf + 4));
  o.field("sxdp_queue_id");
  o.uint_(load<std::uint32_t>(buf + 8));
  auto fd = load<std::uint32_t>(buf + 12);
  if (flags & kXdpSharedUmem) {
    o.field("sxdp_shared_umem_fd");
    ctx.fd(static_cast<std::int32_t>(fd));
  } else if (fd != 0) {
    o.field("sxdp_shared_umem_fd");
    o.hex(fd);
  }
}

// struct sockaddr_mctp (linux/mctp.h): pad, network, address, type, tag, pad.
constexpr std::size_t kMctpSize = 12;

void print_mctp(TokenList& o, const unsigned char* buf) {
  auto pad0 = load<std::uint16_t>(buf + 2);
  if (pad0 != 0) {
    o.field("__smctp_pad0");
    o.hex(pad0);
  }
  o.field("smctp_network");
  afam::xval(o, "sa_mctp_nets", load<std::uint32_t>(buf + 4), "");
  o.field("smctp_addr");
  o.begin_struct();
  o.field("s_addr");
  afam::xval(o, "sa_mctp_addrs", buf[8], "");
  o.end_struct();
  o.field("smctp_type");
  o.hex(buf[9]);
  o.field("smctp_tag");
  o.hex(buf[10]);
  if (buf[11] != 0) {
    o.field("__smctp_pad1");
    o.hex(buf[11]);
  }
}

}  // namespace

bool print_sockaddr_more(DecodeCtx& ctx, int family, const unsigned char* buf, std::size_t len) {
  TokenList& o = ctx.out();
  switch (family) {
    case AF_BLUETOOTH:
      print_bluetooth(o, buf, len);
      return true;
    case AF_RXRPC:
      if (len < kRxrpcSize) return false;
      print_rxrpc(ctx, o, buf, len);
      return true;
    case AF_IEEE802154:
      if (len < kIeee802154Size) return false;
      print_ieee802154(o, buf);
      return true;
    case AF_ALG:
      if (len <= kAlgName) return false;
      print_alg(o, buf, len);
      return true;
    case AF_NFC:
      if (len < kNfcSize) return false;
      print_nfc(ctx, o, buf, len);
      return true;
    case AF_VSOCK:
      if (len < kVsockSize) return false;
      print_vsock(o, buf);
      return true;
    case AF_QIPCRTR:
      if (len < kQrtrSize) return false;
      print_qrtr(o, buf);
      return true;
    case AF_XDP:
      if (len < kXdpSize) return false;
      print_xdp(ctx, o, buf);
      return true;
    case AF_MCTP:
      if (len < kMctpSize) return false;
      print_mctp(o, buf);
      return true;
    default:
      return false;
  }
}

}  // namespace ptk::sys::dec
