// 0x89 requests on sockets (linux/sockios.h) but SIOCGIFCONF (sock_ifconf.cpp) and the FIO*/
// SIOC*PGRP/SIOCATMARK ints (term.cpp): struct ifreq by request, bridge names and ifindexes,
// and the address of the requests strace leaves undecoded. struct ifreq holds a pointer-sized
// union: the x86_64 layout only.
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "decoders/ioctl/ioctl.h"
#include "decoders/network/network_sockaddr.h"
#include "decoders/time/time_util.h"

namespace ptk::sys::ioctl {
namespace {

enum Request : std::uint32_t {
  kGifname = 0x8910,
  kGifflags = 0x8913,
  kSifflags = 0x8914,
  kGifaddr = 0x8915,
  kSifaddr = 0x8916,
  kGifdstaddr = 0x8917,
  kSifdstaddr = 0x8918,
  kGifbrdaddr = 0x8919,
  kSifbrdaddr = 0x891a,
  kGifnetmask = 0x891b,
  kSifnetmask = 0x891c,
  kGifmetric = 0x891d,
  kSifmetric = 0x891e,
  kGifmtu = 0x8921,
  kSifmtu = 0x8922,
  kSifname = 0x8923,
  kSifhwaddr = 0x8924,
  kGifencap = 0x8925,
  kSifencap = 0x8926,
  kGifhwaddr = 0x8927,
  kGifslave = 0x8929,
  kSifslave = 0x8930,
  kAddmulti = 0x8931,
  kDelmulti = 0x8932,
  kGifindex = 0x8933,
  kSifhwbroadcast = 0x8937,
  kGiftxqlen = 0x8942,
  kSiftxqlen = 0x8943,
  kOutqnsd = 0x894b,
  kGifmap = 0x8970,
  kSifmap = 0x8971,
  kBraddbr = 0x89a0,
  kBrdelbr = 0x89a1,
  kBraddif = 0x89a2,
  kBrdelif = 0x89a3,
};

// Requests strace shows by address only.
constexpr std::uint32_t kAddressOnly[] = {
    0x890b, 0x890c, 0x890d, 0x8911, 0x891f, 0x8920, 0x8934, 0x8935, 0x8936,     0x8938,
    0x8940, 0x8941, 0x8946, 0x8947, 0x8948, 0x8949, 0x894a, 0x894c, 0x8953,     0x8954,
    0x8955, 0x8960, 0x8961, 0x8962, 0x8980, 0x8981, 0x8982, 0x8983, 0x8990,     0x8991,
    0x8992, 0x8993, 0x8994, 0x8995, 0x89b0, 0x89b1, 0x8906, 0x8907, 0x80108906, 0x80108907};

constexpr std::uint32_t kSetIfreq[] = {kAddmulti,   kDelmulti,  kSifaddr,   kSifbrdaddr,
                                       kSifdstaddr, kSifflags,  kSifhwaddr, kSifhwbroadcast,
                                       kSifmap,     kSifmetric, kSifmtu,    kSifname,
                                       kSifnetmask, kSifslave,  kSiftxqlen};
constexpr std::uint32_t kGetIfreq[] = {kGifaddr,    kGifbrdaddr, kGifdstaddr, kGifflags, kGifhwaddr,
                                       kGifindex,   kGifmap,     kGifmetric,  kGifmtu,   kGifname,
                                       kGifnetmask, kGifslave,   kGiftxqlen};

template <std::size_t N>
bool in(const std::uint32_t (&set)[N], std::uint32_t code) {
  for (std::uint32_t c : set) {
    if (c == code) return true;
  }
  return false;
}

constexpr std::size_t kIfreqSize = 40;  // ifr_name[16], then a 24-byte union
constexpr std::size_t kNameSize = 16;

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The bytes of a hardware address its type uses (the kernel's *_ALEN), else all of sa_data.
std::size_t hwaddr_size(std::uint16_t type) {
  switch (type) {
    case 0:  // ARPHRD_NETROM
    case 3:  // ARPHRD_AX25
      return 7;
    case 1:    // ARPHRD_ETHER
    case 6:    // ARPHRD_IEEE802
    case 772:  // ARPHRD_LOOPBACK
    case 774:  // ARPHRD_FDDI
    case 780:  // ARPHRD_HIPPI
    case 801:  // ARPHRD_IEEE80211
    case 802:  // ARPHRD_IEEE80211_PRISM
    case 803:  // ARPHRD_IEEE80211_RADIOTAP
      return 6;
    case 7:    // ARPHRD_ARCNET
    case 290:  // ARPHRD_MCTP
    case 773:  // ARPHRD_LOCALTLK
    case 820:  // ARPHRD_PHONET
    case 821:  // ARPHRD_PHONET_PIPE
      return 1;
    case 15:  // ARPHRD_DLCI
      return 2;
    case 24:   // ARPHRD_IEEE1394
    case 769:  // ARPHRD_TUNNEL6
    case 823:  // ARPHRD_IP6GRE
      return 16;
    case 27:   // ARPHRD_EUI64
    case 804:  // ARPHRD_IEEE802154
    case 805:  // ARPHRD_IEEE802154_MONITOR
    case 825:  // ARPHRD_6LOWPAN
      return 8;
    case 32:  // ARPHRD_INFINIBAND
      return 20;
    case 270:  // ARPHRD_ROSE
      return 5;
    case 768:  // ARPHRD_TUNNEL
    case 776:  // ARPHRD_SIT
    case 778:  // ARPHRD_IPGRE
    case 783:  // ARPHRD_IRDA
      return 4;
    case 256:  // ARPHRD_SLIP
    case 271:  // ARPHRD_X25
    case 280:  // ARPHRD_CAN
    case 512:  // ARPHRD_PPP
    case 518:  // ARPHRD_RAWHDLC
    case 519:  // ARPHRD_RAWIP
    case 777:  // ARPHRD_IPDDP
    case 779:  // ARPHRD_PIMREG
    case 822:  // ARPHRD_CAIF
    case 824:  // ARPHRD_NETLINK
    case 826:  // ARPHRD_VSOCKMON
      return 0;
    default:
      return 14;
  }
}

// struct sockaddr of a hardware address: the type, then the address as aa:bb:cc (-X raw: the
// bytes of sa_data, -X verbose both).
void hwaddr(TokenList& o, const unsigned char* sa) {
  auto type = load<std::uint16_t>(sa);
  o.begin_struct();
  o.field("sa_family");
  val(o, "arp_hardware_type", type, "ARPHRD_???");
  o.field("sa_data");
  std::string mac;
  for (std::size_t i = 0; i < hwaddr_size(type); ++i) {
    if (i != 0) mac += ':';
    mac += fmt::format("{:02x}", sa[2 + i]);
  }
  o.styled(dec::hex_quoted(std::string_view(reinterpret_cast<const char*>(sa + 2), 14), false),
           mac);
  o.end_struct();
}

void name_field(TokenList& o, std::string_view field, const unsigned char* p) {
  o.field(field);
  cstring(o, reinterpret_cast<const char*>(p), kNameSize);
}

// The union member the request uses.
void member(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg, const unsigned char* r) {
  TokenList& o = ctx.out();
  const unsigned char* u = r + kNameSize;
  switch (code) {
    case kSifaddr:
    case kGifaddr:
      o.field("ifr_addr");
      dec::print_sockaddr(ctx, arg + kNameSize, 16);
      break;
    case kSifdstaddr:
    case kGifdstaddr:
      o.field("ifr_dstaddr");
      dec::print_sockaddr(ctx, arg + kNameSize, 16);
      break;
    case kSifbrdaddr:
    case kGifbrdaddr:
      o.field("ifr_broadaddr");
      dec::print_sockaddr(ctx, arg + kNameSize, 16);
      break;
    case kSifnetmask:
    case kGifnetmask:
      o.field("ifr_netmask");
      dec::print_sockaddr(ctx, arg + kNameSize, 16);
      break;
    case kAddmulti:
    case kDelmulti:
    case kGifhwaddr:
    case kSifhwaddr:
    case kSifhwbroadcast:
      o.field("ifr_hwaddr");
      hwaddr(o, u);
      break;
    case kSifflags:
    case kGifflags:
      o.field("ifr_flags");
      flags(o, "iffflags", load<std::uint16_t>(u), "IFF_???");
      break;
    case kGifindex:
      field_i(o, "ifr_ifindex", load<std::int32_t>(u));
      break;
    case kSifmetric:
    case kGifmetric:
      field_i(o, "ifr_metric", load<std::int32_t>(u));
      break;
    case kSifmtu:
    case kGifmtu:
      field_i(o, "ifr_mtu", load<std::int32_t>(u));
      break;
    case kSifslave:
    case kGifslave:
      name_field(o, "ifr_slave", u);
      break;
    case kSifname:
      name_field(o, "ifr_newname", u);
      break;
    case kGifname:
      name_field(o, "ifr_name", r);
      break;
    case kSiftxqlen:
    case kGiftxqlen:
      field_i(o, "ifr_qlen", load<std::int32_t>(u));
      break;
    case kSifmap:
    case kGifmap:
      o.field("ifr_map");
      o.begin_struct();
      field_x(o, "mem_start", load<std::uint64_t>(u));
      field_x(o, "mem_end", load<std::uint64_t>(u + 8));
      field_x(o, "base_addr", load<std::uint16_t>(u + 16));
      field_x(o, "irq", u[18]);
      field_x(o, "dma", u[19]);
      field_x(o, "port", u[20]);
      o.end_struct();
      break;
  }
}

Res get_ifreq(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  unsigned char r[kIfreqSize];
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, r, sizeof r)) return Res::Done;
    o.begin_struct();
    if (code == kGifname) {
      field_i(o, "ifr_ifindex", load<std::int32_t>(r + kNameSize));
    } else {
      name_field(o, "ifr_name", r);
    }
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, r, sizeof r)) {
    o.raw(", ");  // the exit's tokens render apart from the entry's open struct
    member(ctx, code, arg, r);
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res sock(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (ctx.word_size() != 8) return Res::Hex;
  TokenList& o = ctx.out();
  if (in(kGetIfreq, code)) return get_ifreq(ctx, code, arg);
  if (code == kGifencap || code == kOutqnsd) {
    if (ctx.entering()) return Res::Exit;
    ctx.arg(2);
    desc::num_int(ctx, arg);
    return Res::Done;
  }
  unsigned char r[kIfreqSize];
  if (code == kSifencap) {
    ctx.arg(2);
    desc::num_int(ctx, arg);
  } else if (code == kBraddbr || code == kBrdelbr) {
    ctx.arg(2);
    bounded_cstring(ctx, arg, kNameSize);
  } else if (code == kBraddif || code == kBrdelif) {
    ctx.arg(2);
    if (!fetch(ctx, arg, r, sizeof r)) return Res::Done;
    o.begin_struct();
    o.field("ifr_ifindex");
    dec::print_ifindex(o, load<std::uint32_t>(r + kNameSize));
    o.end_struct();
  } else if (in(kSetIfreq, code)) {
    ctx.arg(2);
    if (!fetch(ctx, arg, r, sizeof r)) return Res::Done;
    o.begin_struct();
    name_field(o, "ifr_name", r);
    member(ctx, code, arg, r);
    o.end_struct();
  } else if (in(kAddressOnly, code)) {
    ctx.arg(2);
    o.ptr(arg);
  } else {
    return Res::Hex;
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
