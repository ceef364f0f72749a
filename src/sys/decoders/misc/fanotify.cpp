// fanotify_init(2) and fanotify_mark(2).
#include "decoders/arg_util.h"
#include "decoders/file/file_util.h"
#include "misc_decoders.h"

namespace ptk::sys {

void decode_fanotify_init(DecodeCtx& ctx) {
  constexpr std::uint32_t kClassBits = 0xc;  // FAN_ALL_CLASS_BITS
  std::uint32_t fl = afam::u32(ctx, 0);
  ctx.arg(0);
  TokenList& o = ctx.out();
  afam::xval(o, "fanotify_class", fl & kClassBits, "FAN_CLASS_???");
  if ((fl & ~kClassBits) != 0) {
    o.raw("|");
    afam::xflags(o, "fanotify_init_flags", fl & ~kClassBits, "FAN_???");
  }
  ctx.arg(1);
  ffam::open_flags(ctx, afam::u32(ctx, 1));
}

void decode_fanotify_mark(DecodeCtx& ctx) {
  constexpr std::int32_t kNoFd = -1;  // FAN_NOFD
  afam::fd_arg(ctx, 0);
  afam::flags32_arg(ctx, 1, "fanotify_mark_flags", "FAN_MARK_???");
  // The mask is 64 bits: two registers on i386.
  const SyscallSpec& spec = *ctx.syscall().spec;
  bool split = spec.nargs > 5;
  ctx.arg(2);
  afam::xflags(ctx.out(), "fanotify_mask", split ? ctx.u64_pair(2) : ctx.u(2), "FAN_???");
  int dfd_i = split ? 4 : 3;
  ctx.arg(dfd_i);
  auto dfd = static_cast<std::int32_t>(ctx.u(dfd_i));
  if (dfd == kNoFd) {
    ctx.out().name("FAN_NOFD", static_cast<std::uint64_t>(static_cast<std::int64_t>(kNoFd)));
  } else {
    ctx.dirfd(dfd);
  }
  afam::path_arg(ctx, dfd_i + 1);
}

}  // namespace ptk::sys
