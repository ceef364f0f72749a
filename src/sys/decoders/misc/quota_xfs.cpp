// The structs of quotactl's XFS commands (linux/dqblk_xfs.h, x86_64 layouts; quota.cpp calls
// these): fs_disk_quota, fs_quota_stat, fs_quota_statv.
#include <cstring>

#include "decoders/arg_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

template <typename T>
T at(const unsigned char* p, std::size_t off) {
  T v;
  std::memcpy(&v, p + off, sizeof v);
  return v;
}

void field_u(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.uint_(v);
}

void field_d(TokenList& o, std::string_view name, std::int64_t v) {
  o.field(name);
  o.int_(v);
}

bool fetch(DecodeCtx& ctx, std::uint64_t addr, unsigned char* b, std::size_t size) {
  if (addr == 0 || ctx.word_size() != 8 || (ctx.exiting() && ctx.failed()) ||
      !ctx.read(addr, b, size)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

// struct fs_qfilestat(v) at off: u64 qfs_ino, qfs_nblks; u32 qfs_nextents.
void qfilestat(TokenList& o, std::string_view name, const unsigned char* b, std::size_t off) {
  o.field(name);
  o.begin_struct();
  field_u(o, "qfs_ino", at<std::uint64_t>(b, off));
  field_u(o, "qfs_nblks", at<std::uint64_t>(b, off + 8));
  field_u(o, "qfs_nextents", at<std::uint32_t>(b, off + 16));
  o.end_struct();
}

}  // namespace

void print_fs_disk_quota(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[112];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  bool all = ctx.options().verbose;
  o.begin_struct();
  field_d(o, "d_version", at<std::int8_t>(b, 0));
  o.field("d_flags");
  afam::xflags(o, "xfs_dqblk_flags", at<std::uint8_t>(b, 1), "FS_???_QUOTA");
  o.field("d_fieldmask");
  o.hex(at<std::uint16_t>(b, 2));
  field_u(o, "d_id", at<std::uint32_t>(b, 4));
  static constexpr std::string_view kLimits[] = {"d_blk_hardlimit", "d_blk_softlimit",
                                                 "d_ino_hardlimit", "d_ino_softlimit",
                                                 "d_bcount",        "d_icount"};
  for (std::size_t i = 0; i < std::size(kLimits); ++i) {
    field_u(o, kLimits[i], at<std::uint64_t>(b, 8 + 8 * i));
  }
  if (all) {
    field_d(o, "d_itimer", at<std::int32_t>(b, 56));
    field_d(o, "d_btimer", at<std::int32_t>(b, 60));
    field_u(o, "d_iwarns", at<std::uint16_t>(b, 64));
    field_u(o, "d_bwarns", at<std::uint16_t>(b, 66));
    field_u(o, "d_rtb_hardlimit", at<std::uint64_t>(b, 72));
    field_u(o, "d_rtb_softlimit", at<std::uint64_t>(b, 80));
    field_u(o, "d_rtbcount", at<std::uint64_t>(b, 88));
    field_d(o, "d_rtbtimer", at<std::int32_t>(b, 96));
    field_u(o, "d_rtbwarns", at<std::uint16_t>(b, 100));
  }
  o.end_struct(!all);
}

void print_fs_quota_stat(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[80];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  bool all = ctx.options().verbose;
  o.begin_struct();
  field_d(o, "qs_version", at<std::int8_t>(b, 0));
  if (all) {
    o.field("qs_flags");
    afam::xflags(o, "xfs_quota_flags", at<std::uint16_t>(b, 2), "FS_QUOTA_???");
    qfilestat(o, "qs_uquota", b, 8);
    qfilestat(o, "qs_gquota", b, 32);
    field_u(o, "qs_incoredqs", at<std::uint32_t>(b, 56));
    field_d(o, "qs_btimelimit", at<std::int32_t>(b, 60));
    field_d(o, "qs_itimelimit", at<std::int32_t>(b, 64));
    field_d(o, "qs_rtbtimelimit", at<std::int32_t>(b, 68));
    field_u(o, "qs_bwarnlimit", at<std::uint16_t>(b, 72));
    field_u(o, "qs_iwarnlimit", at<std::uint16_t>(b, 74));
  }
  o.end_struct(!all);
}

void print_fs_quota_statv(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[160];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  bool all = ctx.options().verbose;
  o.begin_struct();
  field_d(o, "qs_version", at<std::int8_t>(b, 0));
  if (all) {
    o.field("qs_flags");
    afam::xflags(o, "xfs_quota_flags", at<std::uint16_t>(b, 2), "FS_QUOTA_???");
    field_u(o, "qs_incoredqs", at<std::uint32_t>(b, 4));
    qfilestat(o, "qs_uquota", b, 8);
    qfilestat(o, "qs_gquota", b, 32);
    qfilestat(o, "qs_pquota", b, 56);
    field_d(o, "qs_btimelimit", at<std::int32_t>(b, 80));
    field_d(o, "qs_itimelimit", at<std::int32_t>(b, 84));
    field_d(o, "qs_rtbtimelimit", at<std::int32_t>(b, 88));
    field_u(o, "qs_bwarnlimit", at<std::uint16_t>(b, 92));
    field_u(o, "qs_iwarnlimit", at<std::uint16_t>(b, 94));
  }
  o.end_struct(!all);
}

}  // namespace ptk::sys
