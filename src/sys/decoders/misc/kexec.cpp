// kexec_load(2) and kexec_file_load(2).
#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {

void decode_kexec_load(DecodeCtx& ctx) {
  constexpr std::uint64_t kSegmentMax = 16;        // KEXEC_SEGMENT_MAX
  constexpr std::uint64_t kArchMask = 0xffff0000;  // KEXEC_ARCH_MASK
  TokenList& o = ctx.out();
  afam::ptr_arg(ctx, 0);
  ctx.arg(1);
  std::uint64_t n = ctx.u(1);
  o.uint_(n);
  ctx.arg(2);
  if (n > kSegmentMax) {
    o.ptr(ctx.u(2));
  } else {
    // struct kexec_segment: buf, bufsz, mem, memsz, each a word.
    auto w = static_cast<std::size_t>(ctx.word_size());
    pfam::print_array(ctx, ctx.u(2), n, 4 * w, [&](const unsigned char* p) {
      std::uint64_t f[4] = {};
      for (std::size_t i = 0; i < 4; ++i) __builtin_memcpy(&f[i], p + i * w, w);
      o.begin_struct();
      o.field("buf");
      o.ptr(f[0]);
      o.field("bufsz");
      o.uint_(f[1]);
      o.field("mem");
      o.ptr(f[2]);
      o.field("memsz");
      o.uint_(f[3]);
      o.end_struct();
    });
  }
  ctx.arg(3);
  std::uint64_t fl = ctx.u(3);
  afam::xval(o, "kexec_arch", fl & kArchMask, "KEXEC_ARCH_???");
  if ((fl & ~kArchMask) != 0) {
    o.raw("|");
    afam::xflags(o, "kexec_load_flags", fl & ~kArchMask, "KEXEC_???");
  }
}

void decode_kexec_file_load(DecodeCtx& ctx) {
  afam::fd_arg(ctx, 0);
  afam::fd_arg(ctx, 1);
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  ctx.buffer(ctx.u(3), ctx.u(2));
  ctx.arg(4);
  afam::xflags(ctx.out(), "kexec_file_load_flags", ctx.u(4), "KEXEC_FILE_???");
}

// process_madvise(pidfd, iovec, vlen, advice, flags): the ranges as addresses and lengths.
void decode_process_madvise(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  afam::fd_arg(ctx, 0);
  ctx.arg(1);
  auto w = static_cast<std::size_t>(ctx.word_size());
  pfam::print_array(ctx, ctx.u(1), ctx.u(2), 2 * w, [&](const unsigned char* p) {
    std::uint64_t base = 0, len = 0;
    __builtin_memcpy(&base, p, w);
    __builtin_memcpy(&len, p + w, w);
    o.begin_struct();
    o.field("iov_base");
    o.ptr(base);
    o.field("iov_len");
    o.uint_(len);
    o.end_struct();
  });
  ctx.arg(2);
  o.uint_(ctx.u(2));
  afam::xval32_arg(ctx, 3, "madvise_advice", "MADV_???");
  ctx.arg(4);
  o.hex(afam::u32(ctx, 4));
}

}  // namespace ptk::sys
