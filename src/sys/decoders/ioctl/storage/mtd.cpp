// 'M' requests: memory technology devices (mtd/mtd-abi.h). mtd_oob_buf holds a pointer: its
// requests are decoded for x86_64 only; the other structs have one layout.
#include <mtd/mtd-abi.h>

#include <algorithm>
#include <span>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kErase = 0x40084d02;
constexpr std::uint32_t kLock = 0x40084d05;
constexpr std::uint32_t kUnlock = 0x40084d06;
constexpr std::uint32_t kIsLocked = 0x80084d17;
constexpr std::uint32_t kErase64 = 0x40104d14;
constexpr std::uint32_t kWriteOob = 0xc0104d03;
constexpr std::uint32_t kReadOob = 0xc0104d04;
constexpr std::uint32_t kWriteOob64 = 0xc0184d15;
constexpr std::uint32_t kReadOob64 = 0xc0184d16;
constexpr std::uint32_t kWrite = 0xc0304d18;
constexpr std::uint32_t kOtpGetRegionInfo = 0x400c4d0f;
constexpr std::uint32_t kOtpLock = 0x800c4d10;
constexpr std::uint32_t kOtpSelect = 0x80044d0d;
constexpr std::uint32_t kFileMode = 0x4d13;
constexpr std::uint32_t kGetBadBlock = 0x40084d0b;
constexpr std::uint32_t kSetBadBlock = 0x40084d0c;
constexpr std::uint32_t kGetInfo = 0x80204d01;
constexpr std::uint32_t kGetOobSel = 0x80c84d0a;
constexpr std::uint32_t kEccGetLayout = 0x81484d11;
constexpr std::uint32_t kEccGetStats = 0x80104d12;
constexpr std::uint32_t kOtpGetRegionCount = 0x40044d0e;
constexpr std::uint32_t kGetRegionCount = 0x80044d07;
constexpr std::uint32_t kGetRegionInfo = 0xc0104d08;

// An array member in hex, cut at the -s limit without -v.
template <typename T>
void hex_array(DecodeCtx& ctx, std::string_view name, std::span<const T> a) {
  TokenList& o = ctx.out();
  std::size_t limit =
      ctx.options().verbose ? a.size() : std::min(a.size(), ctx.options().abbrev_array);
  o.field(name);
  o.begin_array();
  for (std::size_t i = 0; i < limit; ++i) o.hex(a[i]);
  o.end_array(limit < a.size());
}

template <typename T, typename Fn>
void with(DecodeCtx& ctx, std::uint64_t arg, Fn&& fn) {
  T v;
  if (!fetch(ctx, arg, v)) return;
  ctx.out().begin_struct();
  fn(v);
  ctx.out().end_struct();
}

// The requests whose argument is a struct shown whole at one time.
void print_struct(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kErase64:
      return with<erase_info_user64>(ctx, arg, [&](const erase_info_user64& e) {
        field_x(o, "start", e.start);
        field_x(o, "length", e.length);
      });
    case kWriteOob:
    case kReadOob:
      return with<mtd_oob_buf>(ctx, arg, [&](const mtd_oob_buf& b) {
        field_x(o, "start", b.start);
        field_x(o, "length", b.length);
        o.field("ptr");
        o.ptr(reinterpret_cast<std::uintptr_t>(b.ptr));
      });
    case kWriteOob64:
    case kReadOob64:
      return with<mtd_oob_buf64>(ctx, arg, [&](const mtd_oob_buf64& b) {
        field_x(o, "start", b.start);
        field_x(o, "length", b.length);
        o.field("usr_ptr");
        o.ptr(b.usr_ptr);
      });
    case kWrite:
      return with<mtd_write_req>(ctx, arg, [&](const mtd_write_req& r) {
        field_x(o, "start", r.start);
        field_x(o, "len", r.len);
        field_x(o, "ooblen", r.ooblen);
        o.field("usr_data");
        o.ptr(r.usr_data);
        o.field("usr_oob");
        o.ptr(r.usr_oob);
        o.field("mode");
        val(o, "mtd_modes", r.mode, "MTD_OPS_???");
      });
    case kOtpGetRegionInfo:
    case kOtpLock:
      return with<otp_info>(ctx, arg, [&](const otp_info& i) {
        field_x(o, "start", i.start);
        field_x(o, "length", i.length);
        field_u(o, "locked", i.locked);
      });
    case kGetInfo:
      return with<mtd_info_user>(ctx, arg, [&](const mtd_info_user& m) {
        o.field("type");
        val(o, "mtd_types", m.type, "MTD_???");
        o.field("flags");
        flags(o, "mtd_flags", m.flags, "MTD_???");
        field_x(o, "size", m.size);
        field_x(o, "erasesize", m.erasesize);
        field_x(o, "writesize", m.writesize);
        field_x(o, "oobsize", m.oobsize);
        field_x(o, "padding", m.padding);
      });
    case kGetOobSel:
      return with<nand_oobinfo>(ctx, arg, [&](const nand_oobinfo& n) {
        o.field("useecc");
        val(o, "mtd_nandecc", n.useecc, "MTD_NANDECC_???");
        field_x(o, "eccbytes", n.eccbytes);
        o.field("oobfree");
        o.begin_array();
        for (const auto& pair : n.oobfree) {
          o.begin_array();
          o.hex(pair[0]);
          o.hex(pair[1]);
          o.end_array();
        }
        o.end_array();
        hex_array<__u32>(ctx, "eccpos", n.eccpos);
      });
    case kEccGetLayout:
      return with<nand_ecclayout_user>(ctx, arg, [&](const nand_ecclayout_user& l) {
        field_x(o, "eccbytes", l.eccbytes);
        hex_array<__u32>(ctx, "eccpos", l.eccpos);
        field_x(o, "oobavail", l.oobavail);
        o.field("oobfree");
        o.begin_array();
        for (const nand_oobfree& f : l.oobfree) {
          o.begin_struct();
          field_x(o, "offset", f.offset);
          field_x(o, "length", f.length);
          o.end_struct();
        }
        o.end_array();
      });
    case kEccGetStats:
      return with<mtd_ecc_stats>(ctx, arg, [&](const mtd_ecc_stats& s) {
        field_x(o, "corrected", s.corrected);
        field_x(o, "failed", s.failed);
        field_x(o, "badblocks", s.badblocks);
        field_x(o, "bbtblocks", s.bbtblocks);
      });
    default:  // MEMERASE, MEMLOCK, MEMUNLOCK, MEMISLOCKED
      return with<erase_info_user>(ctx, arg, [&](const erase_info_user& e) {
        field_x(o, "start", e.start);
        field_x(o, "length", e.length);
      });
  }
}

// MEMGETREGIONINFO: the index at entry, the region at exit, in the same braces (the entry's
// tokens are rendered apart from these: the separators are spelled out).
Res region_info(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  region_info_user r;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, r)) return Res::Done;
    o.begin_struct();
    field_x(o, "regionindex", r.regionindex);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, r)) {
    o.raw(", ");
    field_x(o, "offset", r.offset);
    o.raw(", ");
    field_x(o, "erasesize", r.erasesize);
    o.raw(", ");
    field_x(o, "numblocks", r.numblocks);
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res mtd(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kGetRegionInfo:
      return region_info(ctx, arg);
    case kFileMode:
      ctx.arg(2);
      val(o, "mtd_file_modes", arg, "MTD_FILE_MODE_???");
      return Res::Done;
    case kGetBadBlock:
    case kSetBadBlock:
      ctx.arg(2);
      desc::num_uint64(ctx, arg);
      return Res::Done;
    case kOtpSelect: {
      ctx.arg(2);
      std::uint32_t v = 0;
      if (!fetch(ctx, arg, v)) return Res::Done;
      o.begin_array();
      val(o, "mtd_otp_modes", v, "MTD_OTP_???");
      o.end_array();
      return Res::Done;
    }
    case kOtpGetRegionCount:
    case kGetRegionCount:
      if (ctx.entering()) return Res::Exit;
      ctx.arg(2);
      if (code == kOtpGetRegionCount) {
        desc::num_uint(ctx, arg);
      } else {
        desc::num_int(ctx, arg);
      }
      return Res::Done;
    case kOtpGetRegionInfo:
    case kGetInfo:
    case kGetOobSel:
    case kEccGetLayout:
    case kEccGetStats:
      if (ctx.entering()) return Res::Exit;
      break;
    case kWriteOob:
    case kReadOob:
      if (ctx.word_size() != 8) return Res::Hex;
      break;
    case kErase:
    case kLock:
    case kUnlock:
    case kIsLocked:
    case kErase64:
    case kWriteOob64:
    case kReadOob64:
    case kWrite:
    case kOtpLock:
      break;
    default:
      return Res::Hex;
  }
  ctx.arg(2);
  print_struct(ctx, code, arg);
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
