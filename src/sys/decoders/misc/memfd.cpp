// memfd_create(2): the name (the kernel takes at most 249 bytes of it) and the flags, with the
// huge page size as N<<MFD_HUGE_SHIFT.
#include <fmt/format.h>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {

void decode_memfd_create(DecodeCtx& ctx) {
  constexpr std::uint64_t kNameMax = 249 + 1;  // MFD_NAME_MAX_LEN and its NUL
  constexpr unsigned kHugeShift = 26;
  constexpr std::uint32_t kHugeMask = 0x3fu << kHugeShift;
  ctx.arg(0);
  afam::bounded_string(ctx, ctx.u(0), kNameMax);
  ctx.arg(1);
  TokenList& o = ctx.out();
  std::uint32_t fl = afam::u32(ctx, 1);
  std::uint32_t huge = fl & kHugeMask;
  std::uint32_t rest = fl & ~kHugeMask;
  if (fl == 0) {
    o.hex(0);
    return;
  }
  o.begin_flags();
  if (rest != 0 || huge == 0) {
    std::uint64_t left = pfam::xflags_names(o, "memfd_flags", rest);
    if (left != 0) o.hex(left);
  }
  if (huge != 0) {
    o.raw_number(fmt::format("{}<<MFD_HUGE_SHIFT", huge >> kHugeShift), huge);
  }
  o.end_flags();
}

}  // namespace ptk::sys
