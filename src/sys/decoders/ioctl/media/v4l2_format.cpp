// VIDIOC_G_FMT, VIDIOC_S_FMT, VIDIOC_TRY_FMT and VIDIOC_CREATE_BUFS: struct v4l2_format, whose
// fmt union the buffer type selects.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "v4l2.h"

namespace ptk::sys::ioctl::vid {
namespace {

void pix(TokenList& o, const PixFormat& p) {
  o.begin_struct();
  field_u(o, "width", p.width);
  field_u(o, "height", p.height);
  o.field("pixelformat");
  fourcc(o, p.pixelformat, "v4l2_pix_fmts");
  o.field("field");
  val(o, "v4l2_fields", p.field, "V4L2_FIELD_???");
  field_u(o, "bytesperline", p.bytesperline);
  field_u(o, "sizeimage", p.sizeimage);
  o.field("colorspace");
  val(o, "v4l2_colorspaces", p.colorspace, "V4L2_COLORSPACE_???");
  o.end_struct();
}

void pix_mp(TokenList& o, const PixFormatMplane& p) {
  o.begin_struct();
  field_u(o, "width", p.width);
  field_u(o, "height", p.height);
  o.field("pixelformat");
  fourcc(o, p.pixelformat, "v4l2_pix_fmts");
  o.field("field");
  val(o, "v4l2_fields", p.field, "V4L2_FIELD_???");
  o.field("colorspace");
  val(o, "v4l2_colorspaces", p.colorspace, "V4L2_COLORSPACE_???");
  o.field("plane_fmt");
  o.begin_array();
  std::size_t planes = std::min<std::size_t>(p.num_planes, std::size(p.plane_fmt));
  for (std::size_t i = 0; i < planes; ++i) {
    o.begin_struct();
    field_u(o, "sizeimage", p.plane_fmt[i].sizeimage);
    field_u(o, "bytesperline", p.plane_fmt[i].bytesperline);
    o.end_struct();
  }
  o.end_array();
  field_u(o, "num_planes", p.num_planes);
  o.end_struct();
}

// The clips are an array the struct points to: false when it could not be read whole.
bool win(DecodeCtx& ctx, const Window& w) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("w");
  rect(o, w.w);
  o.field("field");
  val(o, "v4l2_fields", w.field, "V4L2_FIELD_???");
  field_x(o, "chromakey", w.chromakey);
  o.field("clips");
  bool ok = array(ctx, w.clips, w.clipcount, sizeof(Clip), [&](const unsigned char* p) {
    Clip c;
    std::memcpy(&c, p, sizeof c);
    o.begin_struct();
    o.field("c");
    rect(o, c.c);
    o.end_struct();
  });
  field_u(o, "clipcount", w.clipcount);
  o.field("bitmap");
  o.ptr(w.bitmap);
  if (w.global_alpha != 0) field_x(o, "global_alpha", w.global_alpha);
  o.end_struct();
  return ok;
}

void vbi(TokenList& o, const VbiFormat& v) {
  o.begin_struct();
  field_u(o, "sampling_rate", v.sampling_rate);
  field_u(o, "offset", v.offset);
  field_u(o, "samples_per_line", v.samples_per_line);
  o.field("sample_format");
  fourcc(o, v.sample_format, "v4l2_pix_fmts");
  o.field("start");
  o.begin_array();
  for (std::int32_t s : v.start) o.int_(s);
  o.end_array();
  o.field("count");
  o.begin_array();
  for (std::uint32_t c : v.count) o.uint_(c);
  o.end_array();
  o.field("flags");
  flags(o, "v4l2_vbi_flags", v.flags, "V4L2_VBI_???");
  o.end_struct();
}

void sliced(TokenList& o, const SlicedVbiFormat& s) {
  o.begin_struct();
  o.field("service_set");
  flags(o, "v4l2_sliced_flags", s.service_set, "V4L2_SLICED_???");
  o.field("service_lines");
  o.begin_array();
  for (const auto& row : s.service_lines) {
    o.begin_array();
    for (std::uint16_t v : row) o.hex(v);
    o.end_array();
  }
  o.end_array();
  field_u(o, "io_size", s.io_size);
  o.end_struct();
}

}  // namespace

bool format_fmt(DecodeCtx& ctx, const Format& f, const std::function<void()>& before) {
  TokenList& o = ctx.out();
  switch (f.type) {
    case 1:  // V4L2_BUF_TYPE_VIDEO_CAPTURE
    case 2:  // V4L2_BUF_TYPE_VIDEO_OUTPUT
      before();
      o.field("fmt.pix");
      pix(o, f.fmt.pix);
      return true;
    case 9:   // V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE
    case 10:  // V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE
      before();
      o.field("fmt.pix_mp");
      pix_mp(o, f.fmt.pix_mp);
      return true;
    case 3:  // V4L2_BUF_TYPE_VIDEO_OVERLAY
    case 8:  // V4L2_BUF_TYPE_VIDEO_OUTPUT_OVERLAY
      before();
      o.field("fmt.win");
      return win(ctx, f.fmt.win);
    case 4:  // V4L2_BUF_TYPE_VBI_CAPTURE
    case 5:  // V4L2_BUF_TYPE_VBI_OUTPUT
      before();
      o.field("fmt.vbi");
      vbi(o, f.fmt.vbi);
      return true;
    case 6:  // V4L2_BUF_TYPE_SLICED_VBI_CAPTURE
    case 7:  // V4L2_BUF_TYPE_SLICED_VBI_OUTPUT
      before();
      o.field("fmt.sliced");
      sliced(o, f.fmt.sliced);
      return true;
    case 11:  // V4L2_BUF_TYPE_SDR_CAPTURE
    case 12:  // V4L2_BUF_TYPE_SDR_OUTPUT
      before();
      o.field("fmt.sdr");
      o.begin_struct();
      o.field("pixelformat");
      fourcc(o, f.fmt.sdr.pixelformat, "v4l2_sdr_fmts");
      if (f.fmt.sdr.buffersize != 0) field_u(o, "buffersize", f.fmt.sdr.buffersize);
      o.end_struct();
      return true;
    case 13:  // V4L2_BUF_TYPE_META_CAPTURE
    case 14:  // V4L2_BUF_TYPE_META_OUTPUT
      before();
      o.field("fmt.meta");
      o.begin_struct();
      o.field("dataformat");
      fourcc(o, f.fmt.meta.dataformat, "v4l2_meta_fmts");
      field_u(o, "buffersize", f.fmt.meta.buffersize);
      o.end_struct();
      return true;
    default:
      return false;
  }
}

// G_FMT: the type at entry, the format at exit; S_FMT and TRY_FMT: the format at entry and as
// the driver adjusted it (" => ") at exit.
Res format(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool get = code == kGFmt;
  Format f;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, f)) return Res::Done;
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", f.type, "V4L2_BUF_TYPE_???");
    if (get) return Res::Exit;
    if (!format_fmt(ctx, f, [] {})) {
      o.end_struct();
      return Res::Done;
    }
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, f)) {
    if (get) {
      format_fmt(ctx, f, [&] { o.raw(", "); });
    } else {
      format_fmt(ctx, f, [&] { changed_struct(o); });
    }
  }
  o.end_struct();
  return Res::Done;
}

// The request at entry; the index and count of the buffers made after the return value.
Res create_bufs(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  CreateBuffers b;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, b)) return Res::Done;
    o.begin_struct();
    field_u(o, "count", b.count);
    o.field("memory");
    val(o, "v4l2_memories", b.memory, "V4L2_MEMORY_???");
    o.field("format");
    o.begin_struct();
    o.field("type");
    val(o, "v4l2_buf_types", b.format.type, "V4L2_BUF_TYPE_???");
    format_fmt(ctx, b.format, [] {});
    o.end_struct();
    o.end_struct();
    return Res::Exit;
  }
  if (ctx.failed() || !ctx.read(arg, b)) return Res::Done;
  TokenList& aux = ctx.syscall().ret_aux;
  aux.begin_struct();
  field_u(aux, "index", b.index);
  field_u(aux, "count", b.count);
  aux.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl::vid
