// perf_event_open(2): the attribute struct is read at entry, as the kernel sizes it, and the
// whole call printed at exit, when an E2BIG failure has told the caller the size the kernel
// wants (strace shows it after " => ").
#include <cstdint>
#include <cstring>

#include "decoders/arg_util.h"
#include "desc_util.h"
#include "perf_attr.h"

namespace ptk::sys::desc {
namespace {

constexpr std::int64_t kE2big = 7;
constexpr std::uint64_t kFetched = std::uint64_t{1} << 32;  // priv: the entry read the struct

void tail(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  ctx.arg(1);
  o.int_(static_cast<std::int32_t>(ctx.u(1)));
  ctx.arg(2);
  o.int_(static_cast<std::int32_t>(ctx.u(2)));
  ctx.arg(3);
  ctx.fd(static_cast<std::int32_t>(ctx.u(3)));
  ctx.arg(4);
  afam::xflags(o, "perf_event_open_flags", ctx.u(4), "PERF_FLAG_???");
}

}  // namespace

void decode_perf_event_open(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  std::uint64_t addr = ctx.u(0);
  perf::Attr attr;
  if (ctx.entering()) {
    std::size_t mark = ctx.out().size();
    ctx.arg(0);
    if (!perf::fetch_attr(ctx, addr, attr)) {
      tail(ctx);  // the address says it all: the line is complete at entry
      return;
    }
    ctx.out().truncate(mark);
    sc.priv = kFetched | attr.bytes[4] | attr.bytes[5] << 8 | attr.bytes[6] << 16 |
              std::uint64_t{attr.bytes[7]} << 24;
    sc.more_at_exit = true;
    return;
  }
  if ((sc.priv & kFetched) == 0) return;
  ctx.arg(0);
  // The entry's view of the struct: its size field as it was then.
  auto entry_size = static_cast<std::uint32_t>(sc.priv);
  std::uint32_t size = entry_size > sizeof attr.bytes ? sizeof attr.bytes : entry_size;
  if (size == 0) size = 64;
  if (!ctx.options().verbose) size = 48;
  if (!ctx.read(addr, attr.bytes, size)) {
    ctx.out().ptr(addr);
  } else {
    attr.size = size;
    std::memcpy(attr.bytes + 4, &entry_size, sizeof entry_size);
    int changed = 0;
    std::uint32_t new_size = 0;
    if (ctx.failed() && ctx.ret() == -kE2big) changed = ctx.read(addr + 4, new_size) ? 1 : -1;
    perf::print_attr(ctx, attr, changed, new_size);
  }
  tail(ctx);
}

}  // namespace ptk::sys::desc
