// 0xfd requests: the device mapper's control device (linux/dm-ioctl.h). Every request passes a
// struct dm_ioctl header and a payload after it at data_start, in a layout of its own; the
// payload shows only with -v. The exit shows the header again (after " => ") when the call
// succeeded or the kernel changed its version, sizes or flags.
#include <cstring>

#include "decoders/file/file_util.h"
#include "dm.h"

namespace ptk::sys::ioctl {
namespace {

using namespace dm;

constexpr std::uint32_t kVersionMajor = 4;
constexpr std::uint32_t kSuspendFlag = 1 << 1;
constexpr std::uint32_t kDataOutFlag = 1 << 16;

// The header's identity at entry, hashed into priv: what the exit compares against.
std::uint64_t identity(const Header& h) {
  std::uint32_t v[6] = {h.version[0], h.version[1], h.version[2],
                        h.data_size,  h.data_start, h.flags};
  std::uint64_t x = 0xcbf29ce484222325ULL;  // FNV-1a
  for (std::uint32_t w : v) {
    for (int i = 0; i < 4; ++i) {
      x ^= (w >> (8 * i)) & 0xff;
      x *= 0x100000001b3ULL;
    }
  }
  return x & ~kExitPending;
}

bool has_params(std::uint32_t nr) {
  switch (nr) {
    case kVersion:
    case kRemoveAll:
    case kDevCreate:
    case kDevRemove:
    case kDevSuspend:
    case kDevStatus:
    case kTableClear:
    case kDevArmPoll:
      return false;
    default:
      return true;
  }
}

void device(DecodeCtx& ctx, std::uint32_t nr, const Header& h) {
  if (nr == kRemoveAll || nr == kListDevices || nr == kListVersions) return;
  TokenList& o = ctx.out();
  if (h.dev != 0) {
    o.field("dev");
    ffam::device(ctx, h.dev);
  }
  if (h.name[0] != '\0') {
    o.field("name");
    cstring(o, h.name, sizeof h.name);
  }
  if (h.uuid[0] != '\0') {
    o.field("uuid");
    cstring(o, h.uuid, sizeof h.uuid);
  }
}

void values(DecodeCtx& ctx, std::uint32_t nr, const Header& h) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    switch (nr) {
      case kTableLoad:
        field_u(o, "target_count", h.target_count);
        break;
      case kDevSuspend:
        if (h.flags & kSuspendFlag) break;
        [[fallthrough]];
      case kDevRename:
      case kDevRemove:
      case kDevWait:
        field_u(o, "event_nr", h.event_nr);
        break;
    }
    return;
  }
  if (ctx.failed()) return;
  switch (nr) {
    case kDevCreate:
    case kDevRename:
    case kDevSuspend:
    case kDevStatus:
    case kDevWait:
    case kTableLoad:
    case kTableClear:
    case kTableDeps:
    case kTableStatus:
    case kTargetMsg:
      field_u(o, "target_count", h.target_count);
      field_u(o, "open_count", static_cast<std::uint32_t>(h.open_count));
      field_u(o, "event_nr", h.event_nr);
      break;
  }
}

// The header; false when what follows it cannot be trusted (another ABI, too short).
bool header(DecodeCtx& ctx, std::uint32_t nr, const Header& h) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("version");
  o.begin_array();
  for (std::uint32_t v : h.version) o.uint_(v);
  o.end_array();
  bool ok = false;
  if (h.version[0] != kVersionMajor) {
    o.comment("unsupported device mapper ABI version");
  } else {
    field_u(o, "data_size", h.data_size);
    if (h.data_size < kHeaderSize) {
      o.comment("data_size too small");
    } else {
      if (has_params(nr)) field_u(o, "data_start", h.data_start);
      device(ctx, nr, h);
      values(ctx, nr, h);
      o.field("flags");
      flags(o, "dm_flags", h.flags, "DM_???");
      ok = true;
    }
  }
  o.end_struct();
  return ok;
}

void payload(DecodeCtx& ctx, std::uint32_t nr, std::uint64_t arg, const Header& h) {
  bool in = ctx.entering();
  bool out = ctx.exiting() && !ctx.failed();
  switch (nr) {
    case kDevWait:
    case kTableStatus:
      if (out) target_specs(ctx, arg, h);
      break;
    case kTableLoad:
      if (in) target_specs(ctx, arg, h);
      break;
    case kTableDeps:
      if (out) target_deps(ctx, arg, h);
      break;
    case kListDevices:
      if (out) name_list(ctx, arg, h);
      break;
    case kListVersions:
      if (out) target_versions(ctx, arg, h);
      break;
    case kTargetMsg:
      if (in) {
        target_msg(ctx, arg, h);
      } else if (out && (h.flags & kDataOutFlag)) {
        data_string(ctx, arg, h);
      }
      break;
    case kDevRename:
    case kDevSetGeometry:
      if (in) data_string(ctx, arg, h);
      break;
  }
}

}  // namespace

Res dm_ioctl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  std::uint32_t nr = ioc_nr(code);
  if (code != ioc(kIocRead | kIocWrite, 0xfd, nr, 312) || nr > kDevArmPoll) return Res::Hex;
  Header h;
  // Unreadable, or too short to hold its own size: the argument stays a number.
  bool readable = ctx.read(arg, &h, kHeaderSize) && h.data_size >= 12;
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.entering()) {
    if (!readable) return Res::Hex;
    sc.priv = identity(h);
    ctx.arg(2);
  } else {
    bool changed = !readable || identity(h) != (sc.priv & ~kExitPending);
    if (!readable || (ctx.failed() && !changed)) return Res::Done;
    ctx.out().raw(" => ");
  }
  TokenList& o = ctx.out();
  o.begin_array();
  if (header(ctx, nr, h)) payload(ctx, nr, arg, h);
  o.end_array();
  return ctx.entering() ? Res::Exit : Res::Done;
}

}  // namespace ptk::sys::ioctl
