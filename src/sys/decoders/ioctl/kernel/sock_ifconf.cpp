// SIOCGIFCONF (linux/sockios.h): the interface list. With ifc_buf NULL the kernel only says
// how long the list is; else it fills ifc_buf and shrinks ifc_len to what it wrote. struct
// ifconf and ifreq hold pointers: the x86_64 layouts only.
#include <fmt/format.h>

#include <cstring>

#include "decoders/ioctl/ioctl.h"
#include "decoders/network/network_sockaddr.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kGifconf = 0x8912;
constexpr std::uint64_t kIfreqSize = 40;                    // ifr_name[16], then a 24-byte union
constexpr std::uint64_t kNullBuf = std::uint64_t{1} << 32;  // priv: ifc_buf was NULL

struct Ifconf {
  std::int32_t ifc_len;
  std::int32_t pad;
  std::uint64_t ifc_buf;
};

// The length, and how many ifreqs it is when it is a whole number of them.
void ifc_len(TokenList& o, std::int32_t len) {
  o.int_(len);
  auto n = static_cast<std::uint32_t>(len) / kIfreqSize;
  if (len > 0 && n * kIfreqSize == static_cast<std::uint32_t>(len))
    o.comment(fmt::format("{} * sizeof(struct ifreq)", n));
}

}  // namespace

Res sock_ifconf(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (code != kGifconf || ctx.word_size() != 8) return Res::Hex;
  TokenList& o = ctx.out();
  DecodedSyscall& sc = ctx.syscall();
  Ifconf c;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!ctx.read(arg, c)) {
      o.ptr(arg);
      return Res::Done;
    }
    o.begin_struct();
    o.field("ifc_len");
    // The caller's length matters only with a buffer; without one it is the kernel's answer.
    if (c.ifc_buf != 0) ifc_len(o, c.ifc_len);
    sc.priv = static_cast<std::uint32_t>(c.ifc_len) | (c.ifc_buf == 0 ? kNullBuf : 0);
    return Res::Exit;
  }
  auto entry_len = static_cast<std::int32_t>(sc.priv & 0xffffffff);
  bool null_buf = (sc.priv & kNullBuf) != 0;
  // The entry's tokens are rendered apart from these: the separators are spelled out.
  if (!ctx.read(arg, c)) {
    if (null_buf) ifc_len(o, entry_len);
    o.raw(", ");
    o.field("ifc_buf");
    o.raw("???");
    o.end_struct();
    return Res::Done;
  }
  bool changed = !null_buf && entry_len != c.ifc_len;
  if (changed) o.raw(" => ");
  if (null_buf || changed) ifc_len(o, c.ifc_len);
  o.raw(", ");
  o.field("ifc_buf");
  if (null_buf || ctx.failed()) {
    o.ptr(c.ifc_buf);
  } else {
    std::uint64_t n = static_cast<std::uint32_t>(c.ifc_len) / kIfreqSize;
    std::uint64_t i = 0;
    desc::array(ctx, c.ifc_buf, n, kIfreqSize, [&](const unsigned char* p) {
      char name[16];
      std::memcpy(name, p, sizeof name);
      o.begin_struct();
      o.field("ifr_name");
      cstring(o, name, sizeof name);
      o.field("ifr_addr");
      dec::print_sockaddr(ctx, c.ifc_buf + i * kIfreqSize + 16, 16);
      o.end_struct();
      ++i;
    });
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
