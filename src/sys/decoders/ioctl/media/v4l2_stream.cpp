// V4L2 requests about streaming and tuning: VIDIOC_G/S_PARM, VIDIOC_G/S_TUNER, the buffer
// requests (VIDIOC_QUERYBUF, VIDIOC_QBUF, VIDIOC_DQBUF) and the frame size and interval
// enumerations.
#include "v4l2.h"

namespace ptk::sys::ioctl::vid {
namespace {

constexpr std::uint32_t kBufTypeVideoCapture = 1;
constexpr std::uint32_t kBufTypeVideoOutput = 2;
constexpr std::uint32_t kMemoryMmap = 1;
constexpr std::uint32_t kMemoryUserptr = 2;
constexpr std::uint32_t kFrmDiscrete = 1;
constexpr std::uint32_t kFrmContinuous = 2;
constexpr std::uint32_t kFrmStepwise = 3;

// parm.capture or parm.output by the buffer type (anything but capture is output).
void parm(TokenList& o, const Streamparm& s) {
  bool capture = s.type == kBufTypeVideoCapture;
  const CaptureParm& p = s.parm;
  o.field(capture ? "parm.capture" : "parm.output");
  o.begin_struct();
  o.field("capability");
  flags(o, "v4l2_streaming_capabilities", p.capability, "V4L2_CAP_???");
  o.field(capture ? "capturemode" : "outputmode");
  flags(o, "v4l2_capture_modes", p.mode, "V4L2_MODE_???");
  o.field("timeperframe");
  fract(o, p.timeperframe);
  field_x(o, "extendedmode", p.extendedmode);
  field_u(o, capture ? "readbuffers" : "writebuffers", p.buffers);
  o.end_struct();
}

// The tuner after its index.
void tuner_body(const Fields& f, const Tuner& t) {
  TokenList& o = f.o;
  f("name");
  cstring(o, t.name, sizeof t.name);
  f("type");
  val(o, "v4l2_tuner_types", t.type, "V4L2_TUNER_???");
  f("capability");
  flags(o, "v4l2_tuner_capabilities", t.capability, "V4L2_TUNER_CAP_???");
  f("rangelow");
  o.uint_(t.rangelow);
  f("rangehigh");
  o.uint_(t.rangehigh);
  f("rxsubchans");
  flags(o, "v4l2_tuner_rxsubchanses", t.rxsubchans, "V4L2_TUNER_SUB_???");
  f("audmode");
  val(o, "v4l2_tuner_audmodes", t.audmode, "V4L2_TUNER_MODE_???");
  f("signal");
  o.int_(t.signal);
  f("afc");
  o.int_(t.afc);
}

}  // namespace

// The type at entry and, for S_PARM, the parameters; at exit the parameters (after " => "
// for S_PARM). Only video capture and output have parameters strace knows.
Res streamparm(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool get = code == kGParm;
  Streamparm s;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, s)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", s.type, "V4L2_BUF_TYPE_???");
    if (s.type != kBufTypeVideoCapture && s.type != kBufTypeVideoOutput) {
      o.end_struct();
      return Res::Done;
    }
    if (!get) parm(o, s);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, s)) {
    if (get) {
      o.raw(", ");
    } else {
      changed_struct(o);
    }
    parm(o, s);
  }
  o.end_struct();
  return Res::Done;
}

Res tuner(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool get = code == kGTuner;
  Tuner t;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, t)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", t.index);
    if (!get) tuner_body(Fields{o}, t);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, t)) {
    if (!get) changed_struct(o);
    tuner_body(Fields{o, get}, t);
  }
  o.end_struct();
  return Res::Done;
}

// The type (and index, but for DQBUF, which the driver picks) at entry; the buffer at exit.
Res buffer(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool dq = code == kDqbuf;
  Buffer b;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, b)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", b.type, "V4L2_BUF_TYPE_???");
    if (!dq) field_u(o, "index", b.index);
    return Res::Exit;
  }
  if (ctx.failed() || !ctx.read(arg, b)) {
    o.end_struct();
    return Res::Done;
  }
  if (dq) {
    next(o, "index");
    o.uint_(b.index);
  }
  next(o, "memory");
  val(o, "v4l2_memories", b.memory, "V4L2_MEMORY_???");
  if (b.memory == kMemoryMmap) {
    next(o, "m.offset");
    o.hex(static_cast<std::uint32_t>(b.m));
  } else if (b.memory == kMemoryUserptr) {
    next(o, "m.userptr");
    o.ptr(b.m);
  }
  next(o, "length");
  o.uint_(b.length);
  next(o, "bytesused");
  o.uint_(b.bytesused);
  next(o, "flags");
  buf_flags(o, b.flags);
  if (dq) {
    next(o, "timestamp");
    o.begin_struct();
    field_i(o, "tv_sec", b.tv_sec);
    field_u(o, "tv_usec", static_cast<std::uint64_t>(b.tv_usec));
    o.end_struct();
  }
  o.end_struct(true);
  return Res::Done;
}

// ENUM_FRAMESIZES and ENUM_FRAMEINTERVALS: what is asked at entry, the answer at exit.
Res enum_sizes(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  if (code == kEnumFramesizes) {
    Frmsizeenum s;
    if (ctx.entering()) {
      ctx.arg(2);
      if (!fetch(ctx, arg, s)) return Res::Done;
      o.begin_struct();
      field_u(o, "index", s.index);
      o.field("pixel_format");
      fourcc(o, s.pixel_format, "v4l2_pix_fmts");
      return Res::Exit;
    }
    if (!ctx.failed() && ctx.read(arg, s)) {
      next(o, "type");
      val(o, "v4l2_framesize_types", s.type, "V4L2_FRMSIZE_TYPE_???");
      if (s.type == kFrmDiscrete) {
        next(o, "discrete");
        o.begin_struct();
        field_u(o, "width", s.u[0]);
        field_u(o, "height", s.u[1]);
        o.end_struct();
      } else if (s.type == kFrmStepwise) {
        static constexpr std::string_view kNames[] = {"min_width",  "max_width",  "step_width",
                                                      "min_height", "max_height", "step_height"};
        next(o, "stepwise");
        o.begin_struct();
        for (std::size_t i = 0; i < std::size(kNames); ++i) field_u(o, kNames[i], s.u[i]);
        o.end_struct();
      }
    }
    o.end_struct();
    return Res::Done;
  }
  Frmivalenum f;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, f)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", f.index);
    o.field("pixel_format");
    fourcc(o, f.pixel_format, "v4l2_pix_fmts");
    field_u(o, "width", f.width);
    field_u(o, "height", f.height);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, f)) {
    next(o, "type");
    val(o, "v4l2_frameinterval_types", f.type, "V4L2_FRMIVAL_TYPE_???");
    if (f.type == kFrmDiscrete) {
      next(o, "discrete");
      fract(o, f.u[0]);
    } else if (f.type == kFrmStepwise || f.type == kFrmContinuous) {
      next(o, "stepwise");
      o.begin_struct();
      o.field("min");
      fract(o, f.u[0]);
      o.field("max");
      fract(o, f.u[1]);
      o.field("step");
      fract(o, f.u[2]);
      o.end_struct();
    }
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl::vid
