// Argument printers of the newer syscall families (see arg_util.h).
#include "arg_util.h"

#include <algorithm>
#include <string>

#include "decoders/file/file_util.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::afam {

void xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  o.begin_flags();
  std::uint64_t rest = v == 0 ? 0 : pfam::xflags_names(o, table, v);
  bool named = o[o.size() - 1].kind != Tok::FlagsBegin;
  if (v == 0) {
    std::string_view zero = pfam::xlat_lookup(table, 0);
    if (zero.empty()) {
      o.hex(0);
    } else {
      o.name(zero, 0);
    }
  } else if (rest != 0) {
    o.hex(rest);
    if (!named && !unknown.empty()) o.xlat_note(unknown);
  }
  o.end_flags();
}

void xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  std::string_view n = pfam::xlat_lookup(table, v);
  if (!n.empty()) {
    o.name(n, v, kHexValue);
    return;
  }
  o.hex(v);
  if (!unknown.empty()) o.xlat_note(unknown);
}

void flags32_arg(DecodeCtx& ctx, int i, std::string_view table, std::string_view unknown) {
  ctx.arg(i);
  xflags(ctx.out(), table, u32(ctx, i), unknown);
}

void xval32_arg(DecodeCtx& ctx, int i, std::string_view table, std::string_view unknown) {
  ctx.arg(i);
  xval(ctx.out(), table, u32(ctx, i), unknown);
}

void int_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.out().int_(static_cast<std::int32_t>(ctx.u(i)));
}

void uint_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.out().uint_(u32(ctx, i));
}

void fd_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  plain_fd(ctx, static_cast<std::int32_t>(ctx.u(i)));
}

void plain_fd(DecodeCtx& ctx, std::int64_t fd) {
  // A negative number is no descriptor; -100 is AT_FDCWD only where a dirfd is expected.
  if (fd < 0) {
    ctx.out().int_(fd);
  } else {
    ctx.fd(fd);
  }
}

void dirfd_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.dirfd(static_cast<std::int32_t>(ctx.u(i)));
}

void path_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.path(ctx.u(i));
}

void ptr_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.out().ptr(ctx.u(i));
}

void bounded_string(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  TokenList& o = ctx.out();
  std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(len, ctx.options().string_limit));
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  auto s = ctx.memory().read_string(RemoteAddr(addr), n);
  // Unreadable before its NUL and before the bound: no string the kernel could take either.
  if (!s.ok() || (!s->terminated && s->bytes.size() < n)) {
    o.ptr(addr);
    return;
  }
  o.str(s->bytes, s->terminated ? 0 : kTruncated);
}

void hex_buffer(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  TokenList& o = ctx.out();
  std::size_t n =
      static_cast<std::size_t>(std::min<std::uint64_t>(len, ctx.options().string_limit));
  std::string bytes(n, '\0');
  if (addr == 0 || (n != 0 && !ctx.read(addr, bytes.data(), n))) {
    o.ptr(addr);
    return;
  }
  o.raw(ffam::hex_string(bytes, len > n));
}

}  // namespace ptk::sys::afam
