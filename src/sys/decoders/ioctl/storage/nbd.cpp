// 0xab requests: network block devices (linux/nbd.h); every argument is passed by value.
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

Res nbd(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kSetSock = 0xab00;
  constexpr std::uint32_t kSetFlags = 0xab0a;
  // NBD_SET_BLKSIZE, NBD_SET_SIZE, NBD_SET_SIZE_BLOCKS, NBD_SET_TIMEOUT
  constexpr std::uint32_t kNumbers[] = {0xab01, 0xab02, 0xab07, 0xab09};
  // NBD_DISCONNECT, NBD_CLEAR_SOCK, NBD_DO_IT, NBD_CLEAR_QUE, NBD_PRINT_DEBUG
  constexpr std::uint32_t kNoArg[] = {0xab08, 0xab04, 0xab03, 0xab05, 0xab06};
  for (std::uint32_t c : kNoArg) {
    if (c == code) return Res::Done;
  }
  TokenList& o = ctx.out();
  if (code == kSetSock) {
    ctx.arg(2);
    ctx.fd(static_cast<std::int32_t>(arg));
    return Res::Done;
  }
  if (code == kSetFlags) {
    ctx.arg(2);
    flags(o, "nbd_flags", arg, "NBD_IOC_FLAG_???");
    return Res::Done;
  }
  for (std::uint32_t c : kNumbers) {
    if (c != code) continue;
    ctx.arg(2);
    o.uint_(arg);
    return Res::Done;
  }
  return Res::Hex;
}

}  // namespace ptk::sys::ioctl
