// 0xaa requests: userfaultfd descriptors (linux/userfaultfd.h). The in-and-out structs show
// the caller's part at entry and what the kernel filled in at exit, inside the same braces.
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kApi = 0xc018aa3f;
constexpr std::uint32_t kRegister = 0xc020aa00;
constexpr std::uint32_t kUnregister = 0x8010aa01;
constexpr std::uint32_t kWake = 0x8010aa02;
constexpr std::uint32_t kCopy = 0xc028aa03;
constexpr std::uint32_t kZeropage = 0xc020aa04;

// The _UFFDIO_* request numbers, as bits of the ioctls masks.
constexpr NamedBit kApiIoctls[] = {
    {0x00, "1<<_UFFDIO_REGISTER"}, {0x01, "1<<_UFFDIO_UNREGISTER"}, {0x3f, "1<<_UFFDIO_API"}};
constexpr NamedBit kRangeIoctls[] = {{0x02, "1<<_UFFDIO_WAKE"},
                                     {0x03, "1<<_UFFDIO_COPY"},
                                     {0x04, "1<<_UFFDIO_ZEROPAGE"},
                                     {0x06, "1<<_UFFDIO_WRITEPROTECT"},
                                     {0x07, "1<<_UFFDIO_CONTINUE"}};

void range(TokenList& o, const std::uint64_t (&r)[2]) {
  o.begin_struct();
  field_x(o, "start", r[0]);
  field_x(o, "len", r[1]);
  o.end_struct();
}

// At exit: ", NAME=" before each field (the entry's tokens are rendered apart from these,
// outside the struct's frame), nothing after a failure, then the closing brace.
template <typename T, typename Fn>
Res finish(DecodeCtx& ctx, std::uint64_t arg, Fn&& fn) {
  T v;
  if (!ctx.failed() && ctx.read(arg, v)) fn(v);
  ctx.out().end_struct();
  return Res::Done;
}

template <typename T>
bool start(DecodeCtx& ctx, std::uint64_t arg, T& v) {
  ctx.arg(2);
  if (!fetch(ctx, arg, v)) return false;
  ctx.out().begin_struct();
  return true;
}

}  // namespace

Res uffdio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kApi: {
      std::uint64_t a[3];  // api, features, ioctls
      if (ctx.exiting()) {
        // The features the caller asked for are reread: the kernel only rewrites them.
        return finish<std::uint64_t[3]>(ctx, arg, [&](const std::uint64_t(&v)[3]) {
          if (v[1] != (ctx.syscall().priv & ~kExitPending)) {
            o.raw(" => ");
            o.field("features");
            flags(o, "uffd_features", v[1], "UFFD_FEATURE_???");
          }
          o.raw(", ");
          o.field("ioctls");
          bit_flags(o, kApiIoctls, v[2], "_UFFDIO_???");
        });
      }
      if (!start(ctx, arg, a)) return Res::Done;
      field_x(o, "api", a[0]);
      o.field("features");
      flags(o, "uffd_features", a[1], "UFFD_FEATURE_???");
      ctx.syscall().priv = a[1] & ~kExitPending;  // features use the low bits
      return Res::Exit;
    }
    case kRegister: {
      std::uint64_t r[4];  // range {start, len}, mode, ioctls
      if (ctx.exiting()) {
        return finish<std::uint64_t[4]>(ctx, arg, [&](const std::uint64_t(&v)[4]) {
          o.raw(", ");
          o.field("ioctls");
          bit_flags(o, kRangeIoctls, v[3], "UFFDIO_???");
        });
      }
      if (!start(ctx, arg, r)) return Res::Done;
      o.field("range");
      range(o, {r[0], r[1]});
      o.field("mode");
      flags(o, "uffd_register_modes", r[2], "UFFDIO_REGISTER_MODE_???");
      return Res::Exit;
    }
    case kCopy: {
      std::uint64_t c[5];  // dst, src, len, mode, copy
      if (ctx.exiting()) {
        return finish<std::uint64_t[5]>(ctx, arg, [&](const std::uint64_t(&v)[5]) {
          o.raw(", ");
          field_x(o, "copy", v[4]);
        });
      }
      if (!start(ctx, arg, c)) return Res::Done;
      field_x(o, "dst", c[0]);
      field_x(o, "src", c[1]);
      field_x(o, "len", c[2]);
      o.field("mode");
      flags(o, "uffd_copy_modes", c[3], "UFFDIO_COPY_???");
      return Res::Exit;
    }
    case kZeropage: {
      std::uint64_t z[4];  // range {start, len}, mode, zeropage
      if (ctx.exiting()) {
        return finish<std::uint64_t[4]>(ctx, arg, [&](const std::uint64_t(&v)[4]) {
          o.raw(", ");
          field_x(o, "zeropage", v[3]);
        });
      }
      if (!start(ctx, arg, z)) return Res::Done;
      o.field("range");
      range(o, {z[0], z[1]});
      o.field("mode");
      flags(o, "uffd_zeropage_modes", z[2], "UFFDIO_ZEROPAGE_???");
      return Res::Exit;
    }
    case kUnregister:
    case kWake: {
      ctx.arg(2);
      std::uint64_t r[2];
      if (fetch(ctx, arg, r)) range(o, r);
      return Res::Done;
    }
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
