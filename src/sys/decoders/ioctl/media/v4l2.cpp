// 'V' requests: Video4Linux2 (linux/videodev2.h), as strace 6.1 decodes them. This file holds
// the dispatch and the small requests; v4l2_format.cpp, v4l2_ctrl.cpp and v4l2_stream.cpp the
// larger groups. Requests strace does not decode show their argument as a number.
#include "v4l2.h"

namespace ptk::sys::ioctl {
namespace {

using namespace vid;

// Output only: nothing at entry, the struct at exit.
Res capability(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.entering()) return Res::Exit;
  ctx.arg(2);
  Capability c;
  if (!fetch(ctx, arg, c)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("driver");
  cstring(o, c.driver, sizeof c.driver);
  o.field("card");
  cstring(o, c.card, sizeof c.card);
  o.field("bus_info");
  cstring(o, c.bus_info, sizeof c.bus_info);
  o.field("version");
  kernel_version(o, c.version);
  o.field("capabilities");
  flags(o, "v4l2_device_capabilities_flags", c.capabilities, "V4L2_CAP_???");
  if (c.device_caps != 0) {
    o.field("device_caps");
    flags(o, "v4l2_device_capabilities_flags", c.device_caps, "V4L2_CAP_???");
  }
  o.end_struct();
  return Res::Done;
}

Res fmtdesc(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Fmtdesc f;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, f)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", f.index);
    o.field("type");
    val(o, "v4l2_buf_types", f.type, "V4L2_BUF_TYPE_???");
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, f)) {
    next(o, "flags");
    flags(o, "v4l2_format_description_flags", f.flags, "V4L2_FMT_FLAG_???");
    next(o, "description");
    cstring(o, f.description, sizeof f.description);
    next(o, "pixelformat");
    fourcc(o, f.pixelformat, "v4l2_pix_fmts");
  }
  o.end_struct();
  return Res::Done;
}

// The request at entry, " => " the count the driver granted at exit.
Res reqbufs(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Requestbuffers r;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, r)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", r.type, "V4L2_BUF_TYPE_???");
    o.field("memory");
    val(o, "v4l2_memories", r.memory, "V4L2_MEMORY_???");
    field_u(o, "count", r.count);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, r)) {
    o.raw(" => ");
    o.uint_(r.count);
  }
  o.end_struct();
  return Res::Done;
}

Res framebuffer(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  Framebuffer b;
  if (!fetch(ctx, arg, b)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_x(o, "capability", b.capability);
  field_x(o, "flags", b.flags);
  o.field("base");
  o.ptr(b.base);
  o.end_struct();
  return Res::Done;
}

// STREAMON/STREAMOFF: [the buffer type].
Res buf_type(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  std::uint32_t type = 0;
  if (!fetch(ctx, arg, type)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_array();
  val(o, "v4l2_buf_types", type, "V4L2_BUF_TYPE_???");
  o.end_array();
  return Res::Done;
}

// G_STD/S_STD: [the standard's id mask]; G_INPUT/S_INPUT: [the input's index].
Res number(DecodeCtx& ctx, std::uint64_t arg, bool is_std) {
  ctx.arg(2);
  std::uint64_t v = 0;
  if (!fetch(ctx, arg, &v, is_std ? 8 : 4)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_array();
  if (is_std) {
    o.hex(v);
  } else {
    o.uint_(v);
  }
  o.end_array();
  return Res::Done;
}

Res enumstd(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Standard s;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, s)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", s.index);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, s)) {
    next(o, "name");
    cstring(o, s.name, sizeof s.name);
    next(o, "frameperiod");
    fract(o, s.frameperiod);
    next(o, "framelines");
    o.uint_(s.framelines);
  }
  o.end_struct();
  return Res::Done;
}

Res enuminput(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Input in;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, in)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", in.index);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, in)) {
    next(o, "name");
    cstring(o, in.name, sizeof in.name);
    next(o, "type");
    val(o, "v4l2_input_types", in.type, "V4L2_INPUT_TYPE_???");
  }
  o.end_struct();
  return Res::Done;
}

Res cropcap(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Cropcap c;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, c)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", c.type, "V4L2_BUF_TYPE_???");
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, c)) {
    next(o, "bounds");
    rect(o, c.bounds);
    next(o, "defrect");
    rect(o, c.defrect);
    next(o, "pixelaspect");
    fract(o, c.pixelaspect);
  }
  o.end_struct();
  return Res::Done;
}

// G_CROP: the type at entry, the rectangle at exit; S_CROP: both at entry.
Res crop(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Crop c;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, c)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", c.type, "V4L2_BUF_TYPE_???");
    if (code == kGCrop) return Res::Exit;
    o.field("c");
    rect(o, c.c);
    o.end_struct();
    return Res::Done;
  }
  if (!ctx.failed() && ctx.read(arg, c)) {
    next(o, "c");
    rect(o, c.c);
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res v4l2(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  // -e verbose= without ioctl: strace leaves every V4L2 argument a number.
  if (!ctx.options().dereference) return Res::Hex;
  switch (code) {
    case kQuerycap:
      return capability(ctx, arg);
    case kEnumFmt:
      return fmtdesc(ctx, arg);
    case kGFmt:
    case kSFmt:
    case kTryFmt:
      return format(ctx, code, arg);
    case kReqbufs:
      return reqbufs(ctx, arg);
    case kQuerybuf:
    case kQbuf:
    case kDqbuf:
      return buffer(ctx, code, arg);
    case kGFbuf:
      if (ctx.entering()) return Res::Exit;
      return framebuffer(ctx, arg);
    case kSFbuf:
      return framebuffer(ctx, arg);
    case kStreamon:
    case kStreamoff:
      return buf_type(ctx, arg);
    case kGParm:
    case kSParm:
      return streamparm(ctx, code, arg);
    case kGStd:
    case kGInput:
      if (ctx.entering()) return Res::Exit;
      return number(ctx, arg, code == kGStd);
    case kSStd:
    case kSInput:
      return number(ctx, arg, code == kSStd);
    case kEnumstd:
      return enumstd(ctx, arg);
    case kEnuminput:
      return enuminput(ctx, arg);
    case kGCtrl:
    case kSCtrl:
      return control(ctx, code, arg);
    case kGTuner:
    case kSTuner:
      return tuner(ctx, code, arg);
    case kQueryctrl:
    case kQueryExtCtrl:
      return queryctrl(ctx, code, arg);
    case kCropcap:
      return cropcap(ctx, arg);
    case kGCrop:
    case kSCrop:
      return crop(ctx, code, arg);
    case kGExtCtrls:
    case kSExtCtrls:
    case kTryExtCtrls:
      return ext_controls(ctx, code, arg);
    case kEnumFramesizes:
    case kEnumFrameintervals:
      return enum_sizes(ctx, code, arg);
    case kCreateBufs:
      return create_bufs(ctx, arg);
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
