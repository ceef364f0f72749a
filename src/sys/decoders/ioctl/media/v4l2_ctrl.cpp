// The V4L2 control requests: VIDIOC_G/S_CTRL, VIDIOC_QUERYCTRL, VIDIOC_QUERY_EXT_CTRL and
// VIDIOC_G/S/TRY_EXT_CTRLS.
#include <cstring>

#include "v4l2.h"

namespace ptk::sys::ioctl::vid {
namespace {

template <std::size_t N>
bool all_zero(const std::uint32_t (&a)[N]) {
  for (std::uint32_t v : a) {
    if (v != 0) return false;
  }
  return true;
}

template <std::size_t N>
void hex_array(TokenList& o, std::string_view name, const std::uint32_t (&a)[N]) {
  o.field(name);
  o.begin_array();
  for (std::uint32_t v : a) o.hex(v);
  o.end_array();
}

void ext_control(DecodeCtx& ctx, const unsigned char* p) {
  TokenList& o = ctx.out();
  ExtControl c;
  std::memcpy(&c, p, sizeof c);
  o.begin_struct();
  o.field("id");
  val(o, "v4l2_control_ids", c.id, "V4L2_CID_???");
  field_u(o, "size", c.size);
  if (c.size > 0) {
    std::uint64_t string = 0;
    std::memcpy(&string, c.value, sizeof string);
    o.field("string");
    ctx.buffer(string, c.size);
  } else {
    std::int32_t value = 0;
    std::int64_t value64 = 0;
    std::memcpy(&value, c.value, sizeof value);
    std::memcpy(&value64, c.value, sizeof value64);
    field_i(o, "value", value);
    field_i(o, "value64", value64);
  }
  o.end_struct();
}

}  // namespace

// G_CTRL: the id at entry, the value at exit; S_CTRL: both at entry, " => " the value the
// driver kept at exit.
Res control(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool get = code == kGCtrl;
  Control c;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, c)) return Res::Done;
    o.begin_struct();
    o.field("id");
    cid(o, c.id, false);
    if (!get) field_i(o, "value", c.value);
    return Res::Exit;
  }
  if (!ctx.failed() && ctx.read(arg, c)) {
    if (get) {
      next(o, "value");
    } else {
      o.raw(" => ");
    }
    o.int_(c.value);
  }
  o.end_struct();
  return Res::Done;
}

// The id (with the NEXT flags) at entry; at exit the id found, when another, and the control.
// Without -v the limits are left out.
Res queryctrl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool ext = code == kQueryExtCtrl;
  QueryExtCtrl c{};
  std::size_t size = ext ? sizeof(QueryExtCtrl) : sizeof(Queryctrl);
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, &c, size)) return Res::Done;
    sc.priv = c.id;  // the id asked for (the dispatcher keeps bit 63)
    o.begin_struct();
    o.field("id");
    cid(o, c.id, true);
    return Res::Exit;
  }
  if (ctx.failed() || !ctx.read(arg, &c, size)) {
    o.end_struct();
    return Res::Done;
  }
  if (c.id != static_cast<std::uint32_t>(sc.priv)) {
    o.raw(" => ");
    cid(o, c.id, false);
  }
  next(o, "type");
  val(o, "v4l2_control_types", c.type, "V4L2_CTRL_TYPE_???");
  next(o, "name");
  cstring(o, c.name, sizeof c.name);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return Res::Done;
  }
  if (!ext) {
    Queryctrl q;
    std::memcpy(&q, &c, sizeof q);
    next(o, "minimum");
    o.int_(q.minimum);
    next(o, "maximum");
    o.int_(q.maximum);
    next(o, "step");
    o.int_(q.step);
    next(o, "default_value");
    o.int_(q.default_value);
    next(o, "flags");
    flags(o, "v4l2_control_flags", q.flags, "V4L2_CTRL_FLAG_???");
    if (!all_zero(q.reserved)) {
      o.raw(", ");
      hex_array(o, "reserved", q.reserved);
    }
    o.end_struct();
    return Res::Done;
  }
  next(o, "minimum");
  o.int_(c.minimum);
  next(o, "maximum");
  o.int_(c.maximum);
  next(o, "step");
  o.uint_(c.step);
  next(o, "default_value");
  o.int_(c.default_value);
  next(o, "flags");
  flags(o, "v4l2_control_flags", c.flags, "V4L2_CTRL_FLAG_???");
  next(o, "elem_size");
  o.uint_(c.elem_size);
  next(o, "elems");
  o.uint_(c.elems);
  next(o, "nr_of_dims");
  o.uint_(c.nr_of_dims);
  next(o, "dims");
  o.begin_array();
  for (std::uint32_t i = 0; i < c.nr_of_dims && i < std::size(c.dims); ++i) o.uint_(c.dims[i]);
  o.end_array();
  if (!all_zero(c.reserved)) {
    o.raw(", ");
    hex_array(o, "reserved", c.reserved);
  }
  o.end_struct();
  return Res::Done;
}

// The class and count at entry, and the controls S/TRY_EXT_CTRLS set; at exit, even after a
// failure (which names the failing control in error_idx), the controls as the driver left them.
Res ext_controls(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  bool get = code == kGExtCtrls;
  ExtControls c;
  auto controls = [&] {
    o.field("controls");
    return array(ctx, c.controls, c.count, sizeof(ExtControl),
                 [&](const unsigned char* p) { ext_control(ctx, p); });
  };
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, c)) return Res::Done;
    o.begin_struct();
    o.field("ctrl_class");
    val(o, "v4l2_control_classes", c.ctrl_class, "V4L2_CTRL_CLASS_???");
    field_u(o, "count", c.count);
    if (c.count == 0) {
      o.end_struct();
      return Res::Done;
    }
    if (get) return Res::Exit;
    if (!controls()) {
      o.end_struct();
      return Res::Done;
    }
    return Res::Exit;
  }
  if (!ctx.read(arg, c)) {
    o.end_struct();
    return Res::Done;
  }
  if (get) {
    o.raw(", ");
  } else {
    changed_struct(o);
  }
  controls();
  if (ctx.failed()) {
    if (get) o.raw(", ");  // at the top level of the exit's tokens
    field_u(o, "error_idx", c.error_idx);
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl::vid
