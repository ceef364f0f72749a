// 0x22 requests: the SCSI generic driver (scsi/sg.h). SG_IO's two header versions are in
// sg_io.cpp; the rest pass an int by value or pointer, or a small struct.
#include "scsi.h"

#include <cstring>

namespace ptk::sys::ioctl {
namespace {

enum Request : std::uint32_t {
  kSetTimeout = 0x2201,
  kGetTimeout = 0x2202,
  kEmulatedHost = 0x2203,
  kSetTransform = 0x2204,
  kGetTransform = 0x2205,
  kGetCommandQ = 0x2270,
  kSetCommandQ = 0x2271,
  kGetReservedSize = 0x2272,
  kSetReservedSize = 0x2275,
  kGetScsiId = 0x2276,
  kSetForceLowDma = 0x2279,
  kGetLowDma = 0x227a,
  kSetForcePackId = 0x227b,
  kGetPackId = 0x227c,
  kGetNumWaiting = 0x227d,
  kSetDebug = 0x227e,
  kGetSgTablesize = 0x227f,
  kGetVersionNum = 0x2282,
  kNextCmdLen = 0x2283,
  kScsiReset = 0x2284,
  kSgIo = 0x2285,
  kGetRequestTable = 0x2286,
  kSetKeepOrphan = 0x2287,
  kGetKeepOrphan = 0x2288,
  kGetAccessCount = 0x2289,
};

constexpr std::uint32_t kResetNoEscalate = 0x100;

// struct sg_scsi_id, at exit.
Res scsi_id(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.entering()) return Res::Exit;
  ctx.arg(2);
  std::int32_t v[5];
  std::int16_t q[2];
  unsigned char buf[32];
  if (!fetch(ctx, arg, buf, sizeof buf)) return Res::Done;
  std::memcpy(v, buf, sizeof v);
  std::memcpy(q, buf + 20, sizeof q);
  TokenList& o = ctx.out();
  o.begin_struct();
  field_i(o, "host_no", v[0]);
  field_i(o, "channel", v[1]);
  field_x(o, "scsi_id", static_cast<std::uint32_t>(v[2]));
  field_i(o, "lun", v[3]);
  field_x(o, "scsi_type", static_cast<std::uint32_t>(v[4]));
  field_i(o, "h_cmd_per_lun", q[0]);
  field_i(o, "d_queue_depth", q[1]);
  o.end_struct();
  return Res::Done;
}

// struct sg_req_info, at exit (the x86_64 layout).
Res request_table(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.entering()) return Res::Exit;
  ctx.arg(2);
  unsigned char buf[24];
  if (!fetch(ctx, arg, buf, sizeof buf)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_i(o, "req_state", static_cast<signed char>(buf[0]));
  field_i(o, "orphan", static_cast<signed char>(buf[1]));
  field_i(o, "sg_io_owned", static_cast<signed char>(buf[2]));
  field_i(o, "problem", static_cast<signed char>(buf[3]));
  std::int32_t pack_id;
  std::uint64_t usr_ptr;
  std::uint32_t duration;
  std::memcpy(&pack_id, buf + 4, sizeof pack_id);
  std::memcpy(&usr_ptr, buf + 8, sizeof usr_ptr);
  std::memcpy(&duration, buf + 16, sizeof duration);
  field_i(o, "pack_id", pack_id);
  o.field("usr_ptr");
  o.ptr(usr_ptr);
  field_u(o, "duration", duration);
  o.end_struct();
  return Res::Done;
}

// SG_SCSI_RESET: an operation, maybe with SG_SCSI_RESET_NO_ESCALATE, by pointer.
void reset(DecodeCtx& ctx, std::uint64_t arg) {
  std::uint32_t v = 0;
  if (!fetch(ctx, arg, v)) return;
  TokenList& o = ctx.out();
  o.begin_array();
  if (v & kResetNoEscalate) {
    o.begin_flags();
    o.name("SG_SCSI_RESET_NO_ESCALATE", kResetNoEscalate);
    val(o, "sg_scsi_reset", v & ~kResetNoEscalate, "SG_SCSI_RESET_???");
    o.end_flags();
  } else {
    val(o, "sg_scsi_reset", v, "SG_SCSI_RESET_???");
  }
  o.end_array();
}

}  // namespace

Res scsi(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kSgIo:
      return sg_io(ctx, arg);
    case kGetScsiId:
      return scsi_id(ctx, arg);
    case kGetRequestTable:
      return request_table(ctx, arg);
    case kScsiReset:
      ctx.arg(2);
      reset(ctx, arg);
      return Res::Done;
    case kNextCmdLen:
    case kSetCommandQ:
    case kSetDebug:
    case kSetForceLowDma:
    case kSetForcePackId:
    case kSetKeepOrphan:
    case kSetReservedSize:
    case kSetTimeout:
      ctx.arg(2);
      desc::num_int(ctx, arg);
      return Res::Done;
    case kEmulatedHost:
    case kGetAccessCount:
    case kGetCommandQ:
    case kGetKeepOrphan:
    case kGetLowDma:
    case kGetNumWaiting:
    case kGetPackId:
    case kGetReservedSize:
    case kGetSgTablesize:
    case kGetTransform:
    case kGetVersionNum:
      if (ctx.entering()) return Res::Exit;
      ctx.arg(2);
      desc::num_int(ctx, arg);
      return Res::Done;
    case kSetTransform:
      ctx.arg(2);
      ctx.out().hex(static_cast<std::uint32_t>(arg));
      return Res::Done;
    case kGetTimeout:
      return Res::Done;  // no argument
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
