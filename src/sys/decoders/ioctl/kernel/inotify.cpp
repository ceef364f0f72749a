// INOTIFY_IOC_SETNEXTWD (linux/inotify.h): the next watch descriptor, passed by value.
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

Res inotify(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kSetNextWd = 0x40044900;  // INOTIFY_IOC_SETNEXTWD
  if (code != kSetNextWd) return Res::Hex;
  ctx.arg(2);
  ctx.out().int_(static_cast<std::int32_t>(arg));
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
