// futex_waitv(2) (Linux 5.16): the array of struct futex_waitv the thread waits on.
#include <cstring>

#include "decoders/desc/desc_util.h"
#include "time_util.h"

namespace ptk::sys {

void decode_futex_waitv(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  TokenList& o = ctx.out();
  auto nr = static_cast<std::uint32_t>(ctx.u(1));
  // The kernel takes at most FUTEX_WAITV_MAX (128) waiters; strace shows no more either.
  constexpr std::uint32_t kMaxWaiters = 128;
  std::uint32_t shown = 0;
  ctx.arg(0);
  // struct futex_waitv: u64 val, u64 uaddr, u32 flags, u32 __reserved.
  desc::array(ctx, ctx.u(0), nr, 24, [&](const unsigned char* p) {
    if (shown++ >= kMaxWaiters) {
      o.raw("...");
      return;
    }
    std::uint64_t val, uaddr;
    std::uint32_t flags, reserved;
    std::memcpy(&val, p, 8);
    std::memcpy(&uaddr, p + 8, 8);
    std::memcpy(&flags, p + 16, 4);
    std::memcpy(&reserved, p + 20, 4);
    o.begin_struct();
    o.field("val");
    o.hex(val);
    o.field("uaddr");
    o.ptr(uaddr);
    o.field("flags");
    desc::xflags(o, "futex_waiter_flags", flags);
    if (reserved != 0) {
      o.field("__reserved");
      o.hex(reserved);
    }
    o.end_struct();
  });
  ctx.arg(1);
  o.uint_(nr);
  ctx.arg(2);
  o.hex(static_cast<std::uint32_t>(ctx.u(2)));
  ctx.arg(3);
  ctx.structure("timespec64", ctx.u(3), false);
  ctx.arg(4);
  dec::xval(ctx, "clockid", static_cast<std::uint32_t>(ctx.u(4)));
}

}  // namespace ptk::sys
