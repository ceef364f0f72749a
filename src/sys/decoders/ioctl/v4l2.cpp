// 'V' requests: Video4Linux2 (linux/videodev2.h). Only VIDIOC_ENUMINPUT so far; the other
// requests show their argument as a number.
#include "ioctl.h"

namespace ptk::sys::ioctl {

Res v4l2(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kEnumInput = 0xc050561a;
  struct Input {  // struct v4l2_input
    std::uint32_t index;
    char name[32];
    std::uint32_t type;
    std::uint32_t audioset;
    std::uint32_t tuner;
    std::uint64_t std;
    std::uint32_t status;
    std::uint32_t capabilities;
    std::uint32_t reserved[3];
  };
  static_assert(sizeof(Input) == 0x50);
  // i386 aligns the u64 to 4: a 76-byte struct and another number, not decoded.
  if (code != kEnumInput || ctx.word_size() != 8) return Res::Hex;
  TokenList& o = ctx.out();
  Input in;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, in)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", in.index);
    return Res::Exit;
  }
  // The input the index names, in the braces opened at entry (rendered apart from these: the
  // separators are spelled out).
  if (!ctx.failed() && ctx.read(arg, in)) {
    o.raw(", ");
    o.field("name");
    cstring(o, in.name, sizeof in.name);
    o.raw(", ");
    o.field("type");
    val(o, "v4l2_input_types", in.type, "V4L2_INPUT_TYPE_???");
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
