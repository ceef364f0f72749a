// quotactl(2) and quotactl_fd(2): QCMD(command, type), then what the command takes (the XFS
// structs are printed by quota_xfs.cpp).
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

enum QuotaCmd : std::uint32_t {
  kSync = 0x800001,
  kQuotaOn = 0x800002,
  kQuotaOff = 0x800003,
  kGetFmt = 0x800004,
  kGetInfo = 0x800005,
  kSetInfo = 0x800006,
  kGetQuota = 0x800007,
  kSetQuota = 0x800008,
  kGetNextQuota = 0x800009,
  kXQuotaOn = 0x5801,
  kXQuotaOff = 0x5802,
  kXGetQuota = 0x5803,
  kXSetQLim = 0x5804,
  kXGetQStat = 0x5805,
  kXQuotaRm = 0x5806,
  kXQuotaSync = 0x5807,
  kXGetQStatV = 0x5808,
  kXGetNextQuota = 0x5809,
};

std::string name_or(std::string_view table, std::uint32_t v, std::string_view unknown) {
  std::string_view n = pfam::xlat_lookup(table, v);
  if (!n.empty()) return std::string(n);
  return v == 0 ? fmt::format("0 /* {} */", unknown) : fmt::format("{:#x} /* {} */", v, unknown);
}

// QCMD(Q_SYNC, USRQUOTA): one symbolic form of the whole number.
void qcmd(TokenList& o, std::uint32_t q) {
  o.const_expr(fmt::format("QCMD({}, {})", name_or("quotactl_cmd", q >> 8, "Q_???"),
                           name_or("quota_type", q & 0xff, "???QUOTA")),
               q);
}

void id_value(TokenList& o, std::uint32_t id) { pfam::id_value(o, id, 32); }

// struct if_dqblk / if_nextdqblk: eight u64, u32 dqb_valid, then (next) u32 dqb_id.
void print_dqblk(DecodeCtx& ctx, std::uint64_t addr, bool next) {
  TokenList& o = ctx.out();
  unsigned char b[72];
  if (addr == 0 || (ctx.exiting() && ctx.failed()) || !ctx.read(addr, b, sizeof b)) {
    o.ptr(addr);
    return;
  }
  auto u64 = [&](std::size_t i) {
    std::uint64_t v;
    std::memcpy(&v, b + 8 * i, sizeof v);
    return v;
  };
  std::uint32_t valid, id;
  std::memcpy(&valid, b + 64, sizeof valid);
  std::memcpy(&id, b + 68, sizeof id);
  static constexpr std::string_view kNames[] = {"dqb_bhardlimit", "dqb_bsoftlimit", "dqb_curspace",
                                                "dqb_ihardlimit", "dqb_isoftlimit", "dqb_curinodes",
                                                "dqb_btime",      "dqb_itime"};
  bool all = ctx.options().verbose;
  o.begin_struct();
  for (std::size_t i = 0; i < (all ? 8 : 6); ++i) {
    o.field(kNames[i]);
    o.uint_(u64(i));
  }
  if (all) {
    o.field("dqb_valid");
    afam::xflags(o, "quota_dqblk_valid", valid, "QIF_???");
  }
  if (next) {
    o.field("dqb_id");
    o.uint_(id);
  }
  o.end_struct(!all);
}

// struct if_dqinfo: u64 dqi_bgrace, dqi_igrace; u32 dqi_flags, dqi_valid.
void print_dqinfo(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  unsigned char b[24];
  if (addr == 0 || (ctx.exiting() && ctx.failed()) || !ctx.read(addr, b, sizeof b)) {
    o.ptr(addr);
    return;
  }
  std::uint64_t bgrace, igrace;
  std::uint32_t fl, valid;
  std::memcpy(&bgrace, b, 8);
  std::memcpy(&igrace, b + 8, 8);
  std::memcpy(&fl, b + 16, 4);
  std::memcpy(&valid, b + 20, 4);
  o.begin_struct();
  o.field("dqi_bgrace");
  o.uint_(bgrace);
  o.field("dqi_igrace");
  o.uint_(igrace);
  o.field("dqi_flags");
  afam::xflags(o, "quota_dqinfo_flags", fl, "DQF_???");
  o.field("dqi_valid");
  afam::xflags(o, "quota_dqinfo_valid", valid, "IIF_???");
  o.end_struct();
}

// A u32 in brackets: [QFMT_VFS_V0], [FS_QUOTA_UDQ_ACCT|...].
void u32_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool flags, std::string_view table,
                     std::string_view unknown) {
  TokenList& o = ctx.out();
  std::uint32_t v = 0;
  if (addr == 0 || (ctx.exiting() && ctx.failed()) || !ctx.read(addr, v)) {
    o.ptr(addr);
    return;
  }
  o.begin_array();
  if (flags) {
    afam::xflags(o, table, v, unknown);
  } else {
    afam::xval(o, table, v, unknown);
  }
  o.end_array();
}

// The arguments after the command (and the path or fd): `id_i` and `addr_i` are their indexes.
void cmd_data(DecodeCtx& ctx, std::uint32_t cmd, int id_i, int addr_i) {
  TokenList& o = ctx.out();
  std::uint32_t id = afam::u32(ctx, id_i);
  std::uint64_t addr = ctx.u(addr_i);
  if (!ctx.entering()) {
    if (ctx.syscall().priv != 1) return;
    ctx.arg(addr_i);
    if (cmd == kGetFmt) {
      u32_in_brackets(ctx, addr, false, "quota_format", "QFMT_VFS_???");
    } else if (cmd == kGetInfo) {
      print_dqinfo(ctx, addr);
    } else if (cmd == kXGetQuota || cmd == kXGetNextQuota) {
      print_fs_disk_quota(ctx, addr);
    } else if (cmd == kXGetQStat) {
      print_fs_quota_stat(ctx, addr);
    } else if (cmd == kXGetQStatV) {
      print_fs_quota_statv(ctx, addr);
    } else {
      print_dqblk(ctx, addr, cmd == kGetNextQuota);
    }
    return;
  }
  auto at_exit = [&] {
    ctx.syscall().more_at_exit = true;
    ctx.syscall().priv = 1;
  };
  switch (cmd) {
    case kQuotaOff:
    case kSync:
    case kXQuotaSync:
      return;
    case kQuotaOn:
      ctx.arg(id_i);
      afam::xval(o, "quota_format", id, "QFMT_VFS_???");
      afam::path_arg(ctx, addr_i);
      return;
    case kGetQuota:
    case kGetNextQuota:
    case kXGetQuota:
    case kXGetNextQuota:
      ctx.arg(id_i);
      id_value(o, id);
      at_exit();
      return;
    case kSetQuota:
      ctx.arg(id_i);
      id_value(o, id);
      ctx.arg(addr_i);
      print_dqblk(ctx, addr, false);
      return;
    case kGetFmt:
    case kGetInfo:
    case kXGetQStat:
    case kXGetQStatV:
      at_exit();
      return;
    case kXSetQLim:
      ctx.arg(id_i);
      id_value(o, id);
      ctx.arg(addr_i);
      print_fs_disk_quota(ctx, addr);
      return;
    case kSetInfo:
      ctx.arg(addr_i);
      print_dqinfo(ctx, addr);
      return;
    case kXQuotaOn:
    case kXQuotaOff:
      ctx.arg(addr_i);
      u32_in_brackets(ctx, addr, true, "xfs_quota_flags", "FS_QUOTA_???");
      return;
    case kXQuotaRm:
      ctx.arg(addr_i);
      u32_in_brackets(ctx, addr, true, "xfs_dqblk_flags", "FS_???_QUOTA");
      return;
    default:
      ctx.arg(id_i);
      id_value(o, id);
      afam::ptr_arg(ctx, addr_i);
      return;
  }
}

}  // namespace

void decode_quotactl(DecodeCtx& ctx) {
  std::uint32_t q = afam::u32(ctx, 0);
  if (ctx.entering()) {
    ctx.arg(0);
    qcmd(ctx.out(), q);
    afam::path_arg(ctx, 1);
  }
  cmd_data(ctx, q >> 8, 2, 3);
}

void decode_quotactl_fd(DecodeCtx& ctx) {
  std::uint32_t q = afam::u32(ctx, 1);
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(afam::u32(ctx, 0));
    ctx.arg(1);
    qcmd(ctx.out(), q);
  }
  cmd_data(ctx, q >> 8, 2, 3);
}

}  // namespace ptk::sys
