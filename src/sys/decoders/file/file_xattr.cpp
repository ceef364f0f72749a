// Extended attributes: setxattr/getxattr/listxattr and their l- and f- forms, with strace's
// rules for the value (an address past XATTR_SIZE_MAX, no trailing NUL) and the name list
// (an address when the size asked is 0 or the call failed).
#include <string>

#include "file_internal.h"

namespace ptk::sys::ffam {
namespace {

constexpr std::uint64_t kXattrSizeMax = 65536;  // linux/limits.h: more is E2BIG

// The value `size` bytes long at addr; `insize` the size argument as given.
void xattr_value(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  TokenList& o = ctx.out();
  if (size > kXattrSizeMax || addr == 0) {
    o.ptr(addr);
    return;
  }
  std::size_t limit = ctx.options().string_limit;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, limit));
  std::string bytes(want, '\0');
  if (want != 0 && !ctx.read(addr, bytes.data(), want)) {
    o.ptr(addr);
    return;
  }
  // A value that ends in its NUL (as C strings stored as attributes do) is shown without it.
  bool cut = size > want;
  if (!cut && !bytes.empty() && bytes.back() == '\0') bytes.pop_back();
  o.str(bytes, cut ? kTruncated : 0);
}

// The first argument: a path for the plain and l- forms, a descriptor for the f- form.
void target(DecodeCtx& ctx) {
  ctx.arg(0);
  if (ctx.syscall().spec->name.starts_with('f')) {
    ctx.fd(ctx.s(0));
  } else {
    ctx.path(ctx.u(0));
  }
}

}  // namespace

void decode_setxattr(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  target(ctx);
  ctx.arg(1);
  ctx.string(ctx.u(1));
  ctx.arg(2);
  xattr_value(ctx, ctx.u(2), ctx.u(3));
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
  ctx.arg(4);
  ctx.flags("xattr_flags", static_cast<std::uint32_t>(ctx.u(4)));
}

void decode_getxattr(DecodeCtx& ctx) {
  if (ctx.entering()) {
    target(ctx);
    ctx.arg(1);
    ctx.string(ctx.u(1));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  // What the call returned is the value's size; a failure (-1 as unsigned) is past the max.
  xattr_value(ctx, ctx.u(2), static_cast<std::uint64_t>(ctx.ret()));
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
}

void decode_listxattr(DecodeCtx& ctx) {
  if (ctx.entering()) {
    target(ctx);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.u(2) == 0 || ctx.failed()) {
    ctx.out().ptr(ctx.u(1));
  } else {
    ctx.buffer(ctx.u(1), static_cast<std::uint64_t>(ctx.ret()));
  }
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
}

}  // namespace ptk::sys::ffam
