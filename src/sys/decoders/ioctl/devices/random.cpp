// RNDADDENTROPY (linux/random.h): the entropy and the bytes it adds; the other 'R' requests
// are plain numbers (term.cpp's table).
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

Res random(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kAddEntropy = 0x40085203;
  if (code != kAddEntropy) return Res::Hex;
  ctx.arg(2);
  std::int32_t head[2];  // entropy_count, buf_size; then buf[]
  if (!fetch(ctx, arg, head)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_i(o, "entropy_count", head[0]);
  field_i(o, "buf_size", head[1]);
  o.field("buf");
  ctx.buffer(arg + sizeof head, static_cast<std::uint32_t>(head[1]));
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
