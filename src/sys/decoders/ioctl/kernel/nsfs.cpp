// 0xb7 requests: namespace descriptors (linux/nsfs.h).
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

Res nsfs(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kGetUserns = 0xb701;
  constexpr std::uint32_t kGetParent = 0xb702;
  constexpr std::uint32_t kGetNstype = 0xb703;
  constexpr std::uint32_t kGetOwnerUid = 0xb704;
  DecodedSyscall& sc = ctx.syscall();
  switch (code) {
    case kGetUserns:
    case kGetParent:
      sc.ret_type = RetType::Fd;  // a descriptor of the namespace
      return Res::Done;
    case kGetNstype:
      if (ctx.entering()) return Res::Exit;
      // The type as a CLONE_NEW* name after the number, if it is one.
      if (!ctx.failed()) {
        std::string_view name = name_of("setns_types", static_cast<std::uint64_t>(ctx.ret()));
        if (!name.empty()) sc.ret_aux.raw(name);
      }
      return Res::Done;
    case kGetOwnerUid: {
      if (ctx.entering()) return Res::Exit;
      ctx.arg(2);
      std::uint32_t uid = 0;
      if (!fetch(ctx, arg, uid)) return Res::Done;
      TokenList& o = ctx.out();
      o.begin_array();
      if (uid == ~std::uint32_t{0}) {
        o.int_(-1);
      } else {
        o.uint_(uid);
      }
      o.end_array();
      return Res::Done;
    }
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
