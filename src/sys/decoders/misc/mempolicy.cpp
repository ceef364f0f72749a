// NUMA memory policies: set_mempolicy, get_mempolicy, mbind; nodemasks as arrays of words.
#include <fmt/format.h>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

// A nodemask of maxnode bits (the kernel reads maxnode - 1 of them) as its words in hex.
void nodemask(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t maxnode) {
  auto w = static_cast<std::uint64_t>(ctx.word_size());
  std::uint64_t bits = 8 * w;
  std::uint64_t n = (maxnode + bits - 2) / bits;
  TokenList& o = ctx.out();
  // A maxnode so large that the count wraps around is no mask the kernel reads.
  if (n < maxnode / bits || (maxnode != 0 && n == 0)) {
    o.ptr(addr);
    return;
  }
  pfam::print_array(ctx, addr, n, static_cast<std::size_t>(w), [&](const unsigned char* p) {
    std::uint64_t v = 0;
    __builtin_memcpy(&v, p, static_cast<std::size_t>(w));
    // printf's "%#0*lx": zero-padded to the word's digits (and the 0x when nonzero).
    auto width = static_cast<int>(2 * w + (v != 0 ? 2 : 0));
    o.raw(v == 0 ? std::string(static_cast<std::size_t>(width), '0')
                 : fmt::format("{:#0{}x}", v, width));
  });
}

// A mode with its MPOL_F_* flags: MPOL_BIND|MPOL_F_STATIC_NODES, one number under -X.
void mode_value(TokenList& o, std::uint64_t mode_arg) {
  constexpr std::uint64_t kFlags = (1u << 15) | (1u << 14) | (1u << 13);
  std::uint64_t mode = mode_arg & ~kFlags;
  std::uint64_t fl = mode_arg & kFlags;
  if (fl == 0) {
    afam::xval(o, "mempolicy_mode", mode, "MPOL_???");
    return;
  }
  std::string_view name = pfam::xlat_lookup("mempolicy_mode", mode);
  if (name.empty()) {
    afam::xflags(o, "mempolicy_mode_flags", mode_arg, "MPOL_???");
    return;
  }
  o.begin_flags();
  o.name(name, mode);
  pfam::xflags_names(o, "mempolicy_mode_flags", fl);
  o.end_flags();
}

}  // namespace

void decode_set_mempolicy(DecodeCtx& ctx) {
  ctx.arg(0);
  mode_value(ctx.out(), afam::u32(ctx, 0));
  ctx.arg(1);
  nodemask(ctx, ctx.u(1), ctx.u(2));
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
}

void decode_mbind(DecodeCtx& ctx) {
  afam::ptr_arg(ctx, 0);
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
  ctx.arg(2);
  mode_value(ctx.out(), ctx.u(2));
  ctx.arg(3);
  nodemask(ctx, ctx.u(3), ctx.u(4));
  ctx.arg(4);
  ctx.out().uint_(ctx.u(4));
  afam::flags32_arg(ctx, 5, "mbind_flags", "MPOL_???");
}

void decode_get_mempolicy(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  TokenList& o = ctx.out();
  ctx.arg(0);
  std::int32_t pol = 0;
  if (ctx.u(0) == 0 || ctx.failed() || !ctx.read(ctx.u(0), pol)) {
    o.ptr(ctx.u(0));
  } else {
    o.begin_array();
    afam::xval(o, "mempolicy_mode",
               static_cast<std::uint64_t>(static_cast<std::int64_t>(pol)) & 0xffffffffu,
               "MPOL_???");
    o.end_array();
  }
  ctx.arg(1);
  if (ctx.failed()) {
    o.ptr(ctx.u(1));  // the kernel wrote no mask
  } else {
    nodemask(ctx, ctx.u(1), ctx.u(2));
  }
  ctx.arg(2);
  o.uint_(ctx.u(2));
  afam::ptr_arg(ctx, 3);
  ctx.arg(4);
  afam::xflags(o, "get_mempolicy_flags", ctx.u(4), "MPOL_???");
}

// move_pages(pid, count, pages, nodes, status, flags): status, an output, shows at exit with
// each page's node or -errno.
void decode_move_pages(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  std::uint64_t n = ctx.u(1);
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(static_cast<std::int32_t>(ctx.u(0)), PidKind::Tgid);
    ctx.arg(1);
    o.uint_(n);
    ctx.arg(2);
    auto w = static_cast<std::size_t>(ctx.word_size());
    pfam::print_array(ctx, ctx.u(2), n, w, [&](const unsigned char* p) {
      std::uint64_t v = 0;
      __builtin_memcpy(&v, p, w);
      o.ptr(v);
    });
    ctx.arg(3);
    pfam::print_array(ctx, ctx.u(3), n, 4, [&](const unsigned char* p) {
      std::int32_t v;
      __builtin_memcpy(&v, p, sizeof v);
      o.int_(v);
    });
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(4);
  // After a failure no element is read: NULL and [] still show as such.
  if (ctx.failed() && n != 0) {
    o.ptr(ctx.u(4));
  } else {
    pfam::print_array(ctx, ctx.u(4), n, 4, [&](const unsigned char* p) {
      std::int32_t v;
      __builtin_memcpy(&v, p, sizeof v);
      std::string_view e = v < 0 ? errno_name(-v) : std::string_view();
      if (e.empty()) {
        o.int_(v);
      } else {
        o.name(fmt::format("-{}", e), static_cast<std::uint64_t>(static_cast<std::int64_t>(v)));
      }
    });
  }
  afam::flags32_arg(ctx, 5, "move_pages_flags", "MPOL_???");
}

}  // namespace ptk::sys
