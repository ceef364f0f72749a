// io_uring_setup(2) and io_uring_enter(2) (io_uring_register: io_uring_register.cpp).
#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/misc/misc_decoders.h"

namespace ptk::sys {
namespace {

// struct io_uring_params (linux/io_uring.h), 120 bytes of u32s but for the two u64 resv2.
struct Params {
  std::uint32_t sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features, wq_fd;
  std::uint32_t resv[3];
  std::uint32_t sq_off[8];
  std::uint64_t sq_resv2;
  std::uint32_t cq_off[8];
  std::uint64_t cq_resv2;
};
static_assert(sizeof(Params) == 120);

constexpr std::uint32_t kAttachWq = 1u << 5;

// struct io_sqring_offsets or io_cqring_offsets: seven u32 fields, then reserved ones shown only
// when nonzero.
void ring_offsets(TokenList& o, const std::uint32_t (&f)[8], std::uint64_t resv2,
                  const std::string_view (&names)[7]) {
  o.begin_struct();
  for (std::size_t i = 0; i < 7; ++i) {
    o.field(names[i]);
    o.uint_(f[i]);
  }
  if (f[7] != 0) {
    o.field("resv1");
    o.hex(f[7]);
  }
  if (resv2 != 0) {
    o.field("resv2");
    o.hex(resv2);
  }
  o.end_struct();
}

}  // namespace

void decode_io_uring_setup(DecodeCtx& ctx) {
  // The params are read and written by the kernel; the whole struct prints at exit (what the
  // caller set is unchanged there), as ptk cannot continue a struct opened at entry.
  if (ctx.entering()) {
    afam::uint_arg(ctx, 0);
    ctx.syscall().more_at_exit = true;
    return;
  }
  TokenList& o = ctx.out();
  std::uint64_t addr = ctx.u(1);
  Params p{};
  ctx.arg(1);
  if (addr == 0 || !ctx.read(addr, p)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("flags");
  afam::xflags(o, "io_uring_setup_flags", p.flags, "IORING_SETUP_???");
  o.field("sq_thread_cpu");
  o.hex(p.sq_thread_cpu);
  o.field("sq_thread_idle");
  o.uint_(p.sq_thread_idle);
  if (p.flags & kAttachWq) {
    o.field("wq_fd");
    afam::plain_fd(ctx, static_cast<std::int32_t>(p.wq_fd));
  }
  if (p.resv[0] != 0 || p.resv[1] != 0 || p.resv[2] != 0) {
    o.field("resv");
    o.begin_array();
    for (std::uint32_t v : p.resv) o.hex(v);
    o.end_array();
  }
  if (!ctx.failed()) {
    o.field("sq_entries");
    o.uint_(p.sq_entries);
    o.field("cq_entries");
    o.uint_(p.cq_entries);
    o.field("features");
    afam::xflags(o, "io_uring_features", p.features, "IORING_FEAT_???");
    static constexpr std::string_view kSq[7] = {"head",  "tail",    "ring_mask", "ring_entries",
                                                "flags", "dropped", "array"};
    static constexpr std::string_view kCq[7] = {"head",     "tail", "ring_mask", "ring_entries",
                                                "overflow", "cqes", "flags"};
    o.field("sq_off");
    ring_offsets(o, p.sq_off, p.sq_resv2, kSq);
    o.field("cq_off");
    ring_offsets(o, p.cq_off, p.cq_resv2, kCq);
  }
  o.end_struct();
}

void decode_io_uring_enter(DecodeCtx& ctx) {
  afam::fd_arg(ctx, 0);
  afam::uint_arg(ctx, 1);
  afam::uint_arg(ctx, 2);
  afam::flags32_arg(ctx, 3, "io_uring_enter_flags", "IORING_ENTER_???");
  ctx.arg(4);
  ctx.sigset(ctx.u(4), ctx.u(5));
  ctx.arg(5);
  ctx.out().uint_(ctx.u(5));
}

}  // namespace ptk::sys
