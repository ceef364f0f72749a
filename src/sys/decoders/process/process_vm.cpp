// process_vm_readv/process_vm_writev: a local iovec array (with the bytes moved) and a remote
// one (addresses in the other process, never read).
#include "decoders/desc/desc_util.h"
#include "process_decoders.h"

namespace ptk::sys {

// process_vm_readv: the pid at entry; the rest at exit, when the local buffers hold the data
// read (bounded by the return value; addresses only after a failure).
void decode_process_vm_readv(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    ctx.syscall().more_at_exit = true;
    return;
  }
  bool ok = !ctx.failed();
  ctx.arg(1);
  desc::iov(ctx, ctx.u(1), ctx.u(2), ok ? static_cast<std::uint64_t>(ctx.ret()) : ~0ull, ok);
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  desc::iov(ctx, ctx.u(3), ctx.u(4), ~0ull, false);
  ctx.arg(4);
  ctx.out().uint_(ctx.u(4));
  ctx.arg(5);
  ctx.out().uint_(ctx.u(5));
}

// process_vm_writev: everything at entry, the local buffers with the bytes to write.
void decode_process_vm_writev(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  ctx.arg(1);
  desc::iov(ctx, ctx.u(1), ctx.u(2), ~0ull, true);
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  desc::iov(ctx, ctx.u(3), ctx.u(4), ~0ull, false);
  ctx.arg(4);
  ctx.out().uint_(ctx.u(4));
  ctx.arg(5);
  ctx.out().uint_(ctx.u(5));
}

}  // namespace ptk::sys
