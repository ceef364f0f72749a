// Socket addresses of the old amateur radio and Novell families (see network_sockaddr.h):
// AF_AX25 (linux/ax25.h), AF_IPX (linux/ipx.h) and AF_X25 (linux/x25.h).
#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "decoders/time/time_util.h"
#include "network_sockaddr.h"

namespace ptk::sys::dec {
namespace {

std::string_view bytes_of(const unsigned char* p, std::size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}

// struct sockaddr_ipx: port and network in network order, a 6-byte node, a type, a zero.
constexpr std::size_t kIpxSize = 16;

void print_ipx(TokenList& o, const unsigned char* buf) {
  o.field("sipx_port");
  print_net_port(o, buf + 2);
  std::uint32_t network;
  std::memcpy(&network, buf + 4, sizeof network);
  o.field("sipx_network");
  o.raw(fmt::format("htonl({:#x})", ntohl(network)));
  o.field("sipx_node");
  o.begin_array();
  for (int i = 0; i < 6; ++i) o.raw_number(fmt::format("{:#04x}", buf[8 + i]), buf[8 + i]);
  o.end_array();
  o.field("sipx_type");
  o.raw_number(fmt::format("{:#04x}", buf[14]), buf[14]);
  if (buf[15] != 0) {
    o.field("sipx_zero");
    o.hex(buf[15]);
  }
}

// struct sockaddr_x25: an x25_address, a NUL-terminated char[16].
constexpr std::size_t kX25Size = 18;

void print_x25(TokenList& o, const unsigned char* buf) {
  o.field("sx25_addr");
  o.begin_struct();
  o.field("x25_addr");
  const unsigned char* a = buf + 2;
  const void* nul = std::memchr(a, '\0', 15);
  if (nul != nullptr) {
    o.str(bytes_of(a, static_cast<const unsigned char*>(nul) - a));
  } else {
    o.str(bytes_of(a, 15), kTruncated);
  }
  o.end_struct();
}

// An AX.25 callsign: six characters shifted left by one, then the SSID byte.
constexpr std::size_t kCallLen = 7;
enum class CallStyle { Plain, Explained, Raw };

// Whether a callsign can be shown as text (VALID-13): a sane one as text by default; one with
// odd bits or characters also with its bytes; one with characters that cannot be printed (or
// that would end a comment) only as bytes.
CallStyle call_style(const unsigned char* call) {
  CallStyle ret = CallStyle::Plain;
  bool space_seen = false, char_seen = false;
  for (std::size_t i = 0; i + 1 < kCallLen; ++i) {
    unsigned char c = call[i];
    if (c & 1) ret = CallStyle::Explained;
    c >>= 1;
    if (c == ' ') {
      space_seen = true;
    } else {
      char_seen = true;
    }
    if ((c < '0' || c > '9') && (c < 'A' || c > 'Z') && c != ' ') ret = CallStyle::Explained;
    if (c != ' ' && space_seen) ret = CallStyle::Explained;
    if (c < ' ' || c > 0x7e || c == '*' || c == '/') return CallStyle::Raw;
  }
  if (call[kCallLen - 1] & ~0x1e) ret = CallStyle::Explained;
  if (!char_seen && call[kCallLen - 1] != 0) ret = CallStyle::Explained;
  return ret;
}

// The callsign as text: the characters without trailing spaces, '-', the SSID; "*" for none.
std::string call_text(const unsigned char* call) {
  std::size_t end = kCallLen - 1;
  while (end > 0 && (call[end - 1] >> 1) == ' ') --end;
  std::string s;
  for (std::size_t i = 0; i < end; ++i) s += static_cast<char>(call[i] >> 1);
  s += fmt::format("-{}", (call[kCallLen - 1] >> 1) & 0xf);
  return s == "-0" ? "*" : s;
}

void print_call(TokenList& o, const unsigned char* call) {
  std::string raw = "{ax25_call=" + hex_quoted(bytes_of(call, kCallLen), false) + "}";
  CallStyle st = call_style(call);
  if (st == CallStyle::Raw) {
    o.raw(raw);
    return;
  }
  std::string explained = fmt::format("{} /* {} */", raw, call_text(call));
  if (st == CallStyle::Explained) {
    o.raw(explained);
  } else {
    o.styled(raw, call_text(call), explained);
  }
}

// struct full_sockaddr_ax25: a sockaddr_ax25 (callsign, int ndigis: 16 bytes) and up to 8
// digipeater callsigns; the short form when there are none.
constexpr std::size_t kAx25Size = 16;
constexpr std::size_t kMaxDigis = 8;

void print_ax25(TokenList& o, const unsigned char* buf, std::size_t len) {
  std::int32_t ndigis;
  std::memcpy(&ndigis, buf + 12, sizeof ndigis);
  bool full = ndigis != 0 || len > kAx25Size;
  if (full) {
    o.field("fsa_ax25");
    o.begin_struct();
  }
  o.field("sax25_call");
  print_call(o, buf + 2);
  o.field("sax25_ndigis");
  o.int_(ndigis);
  if (!full) return;
  o.end_struct();
  std::size_t has = std::min((len - kAx25Size) / kCallLen, kMaxDigis);
  std::size_t want =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(ndigis, 0)), kMaxDigis);
  if (want != 0) {
    o.field("fsa_digipeater");
    o.begin_array();
    for (std::size_t i = 0; i < std::min(has, want); ++i) {
      print_call(o, buf + kAx25Size + i * kCallLen);
    }
    o.end_array(want > has);
  }
  if (len > has * kCallLen + kAx25Size) o.raw("...");
}

}  // namespace

bool print_sockaddr_legacy(DecodeCtx& ctx, int family, const unsigned char* buf, std::size_t len) {
  TokenList& o = ctx.out();
  switch (family) {
    case AF_AX25:
      if (len < kAx25Size) return false;
      print_ax25(o, buf, len);
      return true;
    case AF_IPX:
      if (len < kIpxSize) return false;
      print_ipx(o, buf);
      return true;
    case AF_X25:
      if (len < kX25Size) return false;
      print_x25(o, buf);
      return true;
    default:
      return false;
  }
}

}  // namespace ptk::sys::dec
