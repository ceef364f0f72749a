// swapon(path, flags): the flag bits above the priority, then the priority (the low 15 bits)
// always, in decimal: SWAP_FLAG_PREFER|42.
#include "decoders/process/process_util.h"
#include "file_internal.h"

namespace ptk::sys::ffam {

void decode_swapon(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  constexpr std::uint32_t kPrioMask = 0x7fff;
  auto flags = static_cast<std::uint32_t>(ctx.u(1));
  ctx.arg(0);
  ctx.path(ctx.u(0));
  ctx.arg(1);
  TokenList& o = ctx.out();
  if ((flags & ~kPrioMask) != 0) {
    pfam::xflags(o, "swap_flags", flags & ~kPrioMask, "SWAP_FLAG_???");
    o.raw("|");
  }
  o.uint_(flags & kPrioMask);
}

}  // namespace ptk::sys::ffam
