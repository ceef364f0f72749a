// 'f' requests: FS_IOC_GETFLAGS/SETFLAGS (and the 32-bit twins) and FS_IOC_FIEMAP.
#include <cstring>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kGetFlags32 = 0x80046601;
constexpr std::uint32_t kSetFlags32 = 0x40046602;
constexpr std::uint32_t kGetFlags64 = 0x80086601;
constexpr std::uint32_t kSetFlags64 = 0x40086602;
constexpr std::uint32_t kFiemap = 0xc020660b;

// struct fiemap (linux/fiemap.h): 32 bytes, then fm_extents[] of 56 bytes each.
struct Fiemap {
  std::uint64_t fm_start;
  std::uint64_t fm_length;
  std::uint32_t fm_flags;
  std::uint32_t fm_mapped_extents;
  std::uint32_t fm_extent_count;
  std::uint32_t fm_reserved;
};
struct FiemapExtent {
  std::uint64_t fe_logical;
  std::uint64_t fe_physical;
  std::uint64_t fe_length;
  std::uint64_t fe_reserved64[2];
  std::uint32_t fe_flags;
  std::uint32_t fe_reserved[3];
};
static_assert(sizeof(Fiemap) == 32 && sizeof(FiemapExtent) == 56);

void fiemap_flags(TokenList& o, std::uint32_t v) {
  o.field("fm_flags");
  flags(o, "fiemap_flags", v, "FIEMAP_FLAG_???");
}

// The caller's request at entry; at exit (not after a failure) " => " and what the kernel
// mapped, the extents themselves only with -v.
Res fiemap(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.exiting()) {
    if (ctx.failed()) return Res::Done;
    ctx.out().raw(" => ");
  } else {
    ctx.arg(2);
  }
  Fiemap fm;
  if (!fetch(ctx, arg, fm)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  if (ctx.entering()) {
    field_u(o, "fm_start", fm.fm_start);
    field_u(o, "fm_length", fm.fm_length);
    fiemap_flags(o, fm.fm_flags);
    field_u(o, "fm_extent_count", fm.fm_extent_count);
    o.end_struct();
    return Res::Exit;
  }
  fiemap_flags(o, fm.fm_flags);
  field_u(o, "fm_mapped_extents", fm.fm_mapped_extents);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return Res::Done;
  }
  o.field("fm_extents");
  desc::array(ctx, arg + sizeof fm, fm.fm_mapped_extents, sizeof(FiemapExtent),
              [&](const unsigned char* p) {
                FiemapExtent fe;
                std::memcpy(&fe, p, sizeof fe);
                o.begin_struct();
                field_u(o, "fe_logical", fe.fe_logical);
                field_u(o, "fe_physical", fe.fe_physical);
                field_u(o, "fe_length", fe.fe_length);
                o.field("fe_flags");
                flags(o, "fiemap_extent_flags", fe.fe_flags, "FIEMAP_EXTENT_???");
                o.end_struct();
              });
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res fs_f(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kFiemap:
      return fiemap(ctx, arg);
    case kGetFlags32:
    case kGetFlags64:
      if (ctx.entering()) return Res::Exit;
      [[fallthrough]];
    case kSetFlags32:
    case kSetFlags64: {
      ctx.arg(2);
      std::uint32_t v = 0;
      if (fetch(ctx, arg, v)) {
        ctx.out().begin_array();
        flags(ctx.out(), "fs_inode_flags", v, "FS_???_FL");
        ctx.out().end_array();
      }
      return Res::Done;
    }
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
