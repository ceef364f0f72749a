// Queued signals, waits for signals and signalfd, as strace prints them.
#include "decoders/process/process_util.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/siginfo.h"
#include "signal_decoders.h"

namespace ptk::sys {
namespace {

// A mask of `len` bytes at addr (print_sigset_addr_len: the address for a size the kernel
// refuses or an unreadable pointer).
void sigset_len(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  auto w = static_cast<std::uint64_t>(ctx.word_size());
  std::uint64_t mask = 0;
  if (len < w || len > 8 || addr == 0 || !ctx.read(addr, &mask, static_cast<std::size_t>(len))) {
    ctx.out().ptr(addr);
    return;
  }
  sigmask_tokens(ctx.out(), mask, static_cast<unsigned>(len));
}

// The struct type the syscall table gives argument i ("timespec" or "timespec64").
std::string_view struct_type(DecodeCtx& ctx, int i, std::string_view fallback) {
  const SyscallSpec* spec = ctx.syscall().spec;
  if (spec == nullptr || i >= spec->nargs) return fallback;
  std::string_view p = spec->args[static_cast<std::size_t>(i)].param;
  return p.empty() ? fallback : p;
}

void sigqueue_tail(DecodeCtx& ctx, int sig_i) {
  ctx.arg(sig_i);
  pfam::signal_value(ctx.out(), static_cast<std::int32_t>(ctx.u(sig_i)));
  ctx.arg(sig_i + 1);
  ctx.structure("siginfo", ctx.u(sig_i + 1), false);
}

}  // namespace

void decode_rt_sigtimedwait(DecodeCtx& ctx) {
  // strace shows the info only at exit; without one everything is known at entry.
  std::uint64_t info = ctx.u(1);
  std::string_view ts = struct_type(ctx, 2, "timespec");
  if (ctx.entering()) {
    ctx.arg(0);
    sigset_len(ctx, ctx.u(0), ctx.u(3));
    if (info != 0) {
      ctx.syscall().more_at_exit = true;
      return;
    }
    ctx.arg(1);
    ctx.out().ptr(0);
    ctx.arg(2);
    ctx.structure(ts, ctx.u(2), false);
    ctx.arg(3);
    ctx.out().uint_(ctx.u(3));
    return;
  }
  if (info != 0) {
    ctx.arg(1);
    ctx.structure("siginfo", info, true);
    ctx.arg(2);
    ctx.structure(ts, ctx.u(2), false);
    ctx.arg(3);
    ctx.out().uint_(ctx.u(3));
  }
  if (!ctx.failed() && ctx.ret() > 0 && ctx.ret() <= 64) {
    ctx.syscall().ret_aux.name(signal_name(static_cast<int>(ctx.ret())),
                               static_cast<std::uint64_t>(ctx.ret()));
  }
}

void decode_rt_sigqueueinfo(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  sigqueue_tail(ctx, 1);
}

void decode_rt_tgsigqueueinfo(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  ctx.arg(1);
  ctx.pid(ctx.u(1), PidKind::Tid);
  sigqueue_tail(ctx, 2);
}

void decode_pidfd_send_signal(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  sigqueue_tail(ctx, 1);
  ctx.arg(3);
  ctx.out().hex(static_cast<std::uint32_t>(ctx.u(3)));
}

void decode_signalfd(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  sigset_len(ctx, ctx.u(1), ctx.u(2));
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
}

void decode_signalfd4(DecodeCtx& ctx) {
  decode_signalfd(ctx);
  if (!ctx.entering()) return;
  ctx.arg(3);
  pfam::xflags(ctx.out(), "signalfd_flags", static_cast<std::uint32_t>(ctx.u(3)), "SFD_???");
}

}  // namespace ptk::sys
