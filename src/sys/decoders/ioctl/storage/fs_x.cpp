// 'X' requests with a struct (linux/fs.h): FITRIM and FS_IOC_FSGETXATTR/FSSETXATTR; FIFREEZE
// and FITHAW take nothing (term.cpp's table).
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kFitrim = 0xc0185879;
constexpr std::uint32_t kGetXattr = 0x801c581f;
constexpr std::uint32_t kSetXattr = 0x401c5820;

struct FstrimRange {
  std::uint64_t start;
  std::uint64_t len;
  std::uint64_t minlen;
};
struct Fsxattr {
  std::uint32_t fsx_xflags;
  std::uint32_t fsx_extsize;
  std::uint32_t fsx_nextents;
  std::uint32_t fsx_projid;
  std::uint32_t fsx_cowextsize;
  unsigned char fsx_pad[8];
};
static_assert(sizeof(Fsxattr) == 28);

void fsxattr(DecodeCtx& ctx, std::uint64_t arg, bool get) {
  Fsxattr x;
  if (!fetch(ctx, arg, x)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("fsx_xflags");
  flags(o, "fs_xflags", x.fsx_xflags, "FS_XFLAG_???");
  field_u(o, "fsx_extsize", x.fsx_extsize);
  if (get) field_u(o, "fsx_nextents", x.fsx_nextents);
  field_x(o, "fsx_projid", x.fsx_projid);
  field_u(o, "fsx_cowextsize", x.fsx_cowextsize);
  o.end_struct();
}

}  // namespace

Res fs_x(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kFitrim: {
      ctx.arg(2);
      FstrimRange r;
      if (!fetch(ctx, arg, r)) return Res::Done;
      TokenList& o = ctx.out();
      o.begin_struct();
      field_x(o, "start", r.start);
      field_u(o, "len", r.len);
      field_u(o, "minlen", r.minlen);
      o.end_struct();
      return Res::Done;
    }
    case kGetXattr:
      if (ctx.entering()) return Res::Exit;
      ctx.arg(2);
      fsxattr(ctx, arg, true);
      return Res::Done;
    case kSetXattr:
      ctx.arg(2);
      fsxattr(ctx, arg, false);
      return Res::Done;
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
