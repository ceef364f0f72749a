// 'O' and 'o' requests: UBI volumes and the UBI control device (mtd/ubi-user.h; the same
// layouts on both x86 ABIs).
#include <mtd/ubi-user.h>

#include <algorithm>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kAtt = 0x40186f40;
constexpr std::uint32_t kEbch = 0x40044f02;
constexpr std::uint32_t kEbmap = 0x40084f03;
constexpr std::uint32_t kMkvol = 0x40986f00;
constexpr std::uint32_t kRnvol = 0x51106f03;
constexpr std::uint32_t kRsvol = 0x400c6f02;
constexpr std::uint32_t kSetVolProp = 0x40104f06;
constexpr std::uint32_t kVolup = 0x40084f00;
// UBI_IOCDET, EBER, EBISMAP, EBUNMAP, RMVOL, RPEB, SPEB: an int by pointer.
constexpr std::uint32_t kIntArg[] = {0x40046f41, 0x40044f01, 0x80044f05, 0x40044f04,
                                     0x40046f01, 0x40046f04, 0x40046f05};
// UBI_IOCVOLCRBLK, UBI_IOCVOLRMBLK
constexpr std::uint32_t kNoArg[] = {0x40804f07, 0x4f08};

bool listed(std::span<const std::uint32_t> list, std::uint32_t code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

// A name of name_len bytes (clamped to the array) as strace shows it.
template <std::size_t N>
void name_field(TokenList& o, const char (&name)[N], std::int16_t len) {
  o.field("name");
  auto n = static_cast<std::size_t>(std::clamp<int>(len, 0, static_cast<int>(N) - 1));
  cstring(o, name, n + 1);
}

void dtype(TokenList& o, std::int8_t v) {
  o.field("dtype");
  val(o, "ubi_data_types", static_cast<std::uint8_t>(v), "UBI_???");
}

// ATT and MKVOL return the new number through the argument: " => [N]" at exit.
Res new_number(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.failed()) return Res::Done;
  ctx.out().raw(" => ");
  desc::num_int(ctx, arg);
  return Res::Done;
}

}  // namespace

Res ubi(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (listed(kNoArg, code)) return Res::Done;
  TokenList& o = ctx.out();
  if (listed(kIntArg, code)) {
    ctx.arg(2);
    desc::num_int(ctx, arg);
    return Res::Done;
  }
  if ((code == kAtt || code == kMkvol) && ctx.exiting()) return new_number(ctx, arg);
  switch (code) {
    case kVolup:
      ctx.arg(2);
      desc::num_int64(ctx, arg);
      return Res::Done;
    case kAtt: {
      ctx.arg(2);
      ubi_attach_req a;
      if (!fetch(ctx, arg, a)) return Res::Done;
      o.begin_struct();
      field_i(o, "ubi_num", a.ubi_num);
      field_i(o, "mtd_num", a.mtd_num);
      field_i(o, "vid_hdr_offset", a.vid_hdr_offset);
      field_i(o, "max_beb_per1024", a.max_beb_per1024);
      o.end_struct();
      return Res::Exit;
    }
    case kMkvol: {
      ctx.arg(2);
      ubi_mkvol_req m;
      if (!fetch(ctx, arg, m)) return Res::Done;
      o.begin_struct();
      field_i(o, "vol_id", m.vol_id);
      field_i(o, "alignment", m.alignment);
      field_i(o, "bytes", m.bytes);
      o.field("vol_type");
      val(o, "ubi_volume_types", static_cast<std::uint8_t>(m.vol_type), "UBI_???_VOLUME");
      o.field("flags");
      flags(o, "ubi_volume_flags", m.flags, "UBI_VOL_???");
      field_i(o, "name_len", m.name_len);
      name_field(o, m.name, m.name_len);
      o.end_struct();
      return Res::Exit;
    }
    case kRsvol:
    case kRnvol:
    case kEbch:
    case kEbmap:
    case kSetVolProp:
      break;
    default:
      return Res::Hex;
  }
  ctx.arg(2);
  switch (code) {
    case kRsvol: {
      ubi_rsvol_req r;
      if (!fetch(ctx, arg, r)) break;
      o.begin_struct();
      field_i(o, "bytes", r.bytes);
      field_i(o, "vol_id", r.vol_id);
      o.end_struct();
      break;
    }
    case kRnvol: {
      ubi_rnvol_req r;
      if (!fetch(ctx, arg, r)) break;
      o.begin_struct();
      field_i(o, "count", r.count);
      o.field("ents");
      // count is a signed int: a negative one means no entries.
      std::uint64_t n = r.count < 0 ? 0 : std::min<std::uint64_t>(r.count, std::size(r.ents));
      std::uint64_t limit = ctx.options().verbose ? n : std::min(n, ctx.options().abbrev_array);
      o.begin_array();
      for (std::uint64_t i = 0; i < limit; ++i) {
        o.begin_struct();
        field_i(o, "vol_id", r.ents[i].vol_id);
        field_i(o, "name_len", r.ents[i].name_len);
        name_field(o, r.ents[i].name, r.ents[i].name_len);
        o.end_struct();
      }
      o.end_array(limit < n);
      o.end_struct();
      break;
    }
    case kEbch: {
      ubi_leb_change_req l;
      if (!fetch(ctx, arg, l)) break;
      o.begin_struct();
      field_i(o, "lnum", l.lnum);
      field_i(o, "bytes", l.bytes);
      dtype(o, l.dtype);
      o.end_struct();
      break;
    }
    case kEbmap: {
      ubi_map_req m;
      if (!fetch(ctx, arg, m)) break;
      o.begin_struct();
      field_i(o, "lnum", m.lnum);
      dtype(o, m.dtype);
      o.end_struct();
      break;
    }
    default:  // kSetVolProp
      ubi_set_vol_prop_req p;
      if (!fetch(ctx, arg, p)) break;
      o.begin_struct();
      o.field("property");
      val(o, "ubi_volume_props", p.property, "UBI_VOL_PROP_???");
      field_x(o, "value", p.value);
      o.end_struct();
      break;
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
