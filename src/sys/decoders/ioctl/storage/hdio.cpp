// 0x03 requests: the legacy IDE disk interface (linux/hdreg.h). The compat (i386 on x86_64)
// versions of these were never supported by the kernel, so only the native ABI's are decoded.
#include <algorithm>
#include <cstring>
#include <span>
#include <string>

#include "decoders/ioctl/ioctl.h"
#include "decoders/time/time_util.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kGetGeo = 0x301;
constexpr std::uint32_t kDriveCmd = 0x31f;
constexpr std::uint32_t kDriveReset = 0x31c;
constexpr std::uint32_t kScanHwif = 0x328;
constexpr std::uint32_t kGetIdentity = 0x30d;
constexpr std::uint32_t kObsoleteIdentity = 0x307;
constexpr std::uint32_t kGetNice = 0x30c;
constexpr std::uint32_t kSetNice = 0x329;
constexpr std::uint32_t kGetBusstate = 0x31a;
constexpr std::uint32_t kSetBusstate = 0x32d;

// The requests reading an unsigned long into the argument, and those passing it by value.
constexpr std::uint32_t kGetUlong[] = {0x309, 0x30f, 0x310, 0x30b, 0x308,
                                       0x304, 0x30a, 0x302, 0x30e};
constexpr std::uint32_t kSetUlong[] = {0x324, 0x32c, 0x32f, 0x326, 0x323, 0x321,
                                       0x325, 0x327, 0x322, 0x32b, 0x32a};

bool listed(std::span<const std::uint32_t> list, std::uint32_t code) {
  for (std::uint32_t c : list) {
    if (c == code) return true;
  }
  return false;
}

// IDE_NICE_* are bit numbers; strace names the bits "1 << IDE_NICE_*".
constexpr NamedBit kNiceBits[] = {
    {0, "1 << IDE_NICE_DSC_OVERLAP"}, {1, "1 << IDE_NICE_ATAPI_OVERLAP"},
    {3, "1 << IDE_NICE_1"},           {2, "1 << IDE_NICE_0"},
    {4, "1 << IDE_NICE_2"},
};

void nice_flags(TokenList& o, std::uint64_t v) { bit_flags(o, kNiceBits, v, "IDE_NICE_???"); }

// Sector data: every byte in \x form, cut at -s.
void forced_hex(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  std::uint64_t shown = std::min<std::uint64_t>(len, ctx.options().string_limit);
  std::string bytes(shown, '\0');
  if (!ctx.read(addr, bytes.data(), shown)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().raw(dec::hex_quoted(bytes, shown < len));
}

void geometry(DecodeCtx& ctx, std::uint64_t arg) {
  // struct hd_geometry: heads, sectors (u8), cylinders (u16), start (unsigned long).
  unsigned char g[16] = {};
  std::size_t size = ctx.word_size() == 4 ? 8 : 16;
  if (!fetch(ctx, arg, g, size)) return;
  std::uint16_t cyl = 0;
  std::uint64_t start = 0;
  std::memcpy(&cyl, g + 2, 2);
  std::memcpy(&start, g + size / 2, static_cast<std::size_t>(ctx.word_size()));
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "heads", g[0]);
  field_u(o, "sectors", g[1]);
  field_u(o, "cylinders", cyl);
  field_u(o, "start", start);
  o.end_struct();
}

// HDIO_DRIVE_CMD: {command, sector_number, feature, sector_count} in; the same four bytes come
// back as {status, error, nsector, -} followed by sector_count sectors of data. The kernel
// fills them in on EIO too, the drive's error.
Res drive_cmd(DecodeCtx& ctx, std::uint64_t arg) {
  constexpr int kEio = 5;
  std::uint8_t c[4];
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, c)) return Res::Done;
    o.begin_struct();
    o.field("command");
    val(o, "ata_commands", c[0], "ATA_CMD_???");
    field_u(o, "sector_number", c[1]);
    field_u(o, "feature", c[2]);
    field_u(o, "sector_count", c[3]);
    o.end_struct();
    return Res::Exit;
  }
  if ((ctx.failed() && ctx.ret() != -kEio) || !ctx.read(arg, c)) return Res::Done;
  o.raw(" => ");
  o.begin_struct();
  field_x(o, "status", c[0]);
  field_u(o, "error", c[1]);
  field_u(o, "nsector", c[2]);
  if (c[3] != 0) {
    o.field("buf");
    constexpr std::uint64_t kSector = 512;
    forced_hex(ctx, arg + 4, c[3] * kSector);
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res hdio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (code == kDriveCmd) return drive_cmd(ctx, arg);
  if (ctx.word_size() != 8 && code != kGetGeo) return Res::Hex;
  bool get = code == kGetGeo || code == kGetIdentity || code == kObsoleteIdentity ||
             code == kGetNice || code == kGetBusstate || listed(kGetUlong, code);
  bool known = get || code == kDriveReset || code == kScanHwif || code == kSetNice ||
               code == kSetBusstate || listed(kSetUlong, code);
  if (!known) return Res::Hex;
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  TokenList& o = ctx.out();
  switch (code) {
    case kGetGeo:
      geometry(ctx, arg);
      break;
    case kDriveReset:
    case kScanHwif:
      desc::array(ctx, arg, 3, 4, [&](const unsigned char* p) {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        o.hex(v);
      });
      break;
    case kGetIdentity:
    case kObsoleteIdentity:
      if (ctx.failed()) {
        o.ptr(arg);
      } else {
        ctx.buffer(arg, code == kGetIdentity ? 512 : 142);
      }
      break;
    case kSetNice:
      nice_flags(o, arg);
      break;
    case kSetBusstate:
      val(o, "hdio_busstates", arg, "BUSSTATE_???");
      break;
    default: {
      if (!get) {
        o.uint_(arg);
        break;
      }
      std::uint64_t v = 0;
      if (!fetch(ctx, arg, v)) break;
      o.begin_array();
      if (code == kGetNice) {
        nice_flags(o, v);
      } else if (code == kGetBusstate) {
        val(o, "hdio_busstates", v, "BUSSTATE_???");
      } else {
        o.uint_(v);
      }
      o.end_array();
      break;
    }
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
