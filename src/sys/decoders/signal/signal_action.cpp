// Signal dispositions, masks, alternate stacks and sigreturn, as strace prints them.
#include <cstdint>
#include <cstring>

#include "decoders/process/process_util.h"
#include "ptk/arch/struct_layouts.h"
#include "ptk/sys/siginfo.h"
#include "signal_decoders.h"

namespace ptk::sys {
namespace {

constexpr std::uint64_t kSaRestorer = 0x04000000;
constexpr std::uint64_t kSigsetBytes = 8;  // the kernel's sigset_t on x86 (_NSIG / 8)

// strace's print_sigset_addr_len_limit: a mask of `len` bytes at addr; the address when the
// length is not one the kernel accepts, the pointer unreadable, or (for an output at exit)
// the call failed.
void sigset_at(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len, std::uint64_t min_len,
               bool output) {
  if (len < min_len || len > kSigsetBytes || addr == 0 || (output && ctx.failed())) {
    ctx.out().ptr(addr);
    return;
  }
  std::uint64_t mask = 0;
  if (!ctx.read(addr, &mask, static_cast<std::size_t>(len))) {
    ctx.out().ptr(addr);
    return;
  }
  sigmask_tokens(ctx.out(), mask, static_cast<unsigned>(len));
}

std::uint64_t word_len(DecodeCtx& ctx) { return static_cast<std::uint64_t>(ctx.word_size()); }

// A handler: SIG_DFL, SIG_IGN, SIG_ERR or an address. An i386 handler is a 32-bit value
// whose all-ones form is SIG_ERR.
void handler(DecodeCtx& ctx, std::uint64_t h) {
  std::uint64_t key = h;
  if (ctx.word_size() == 4) key = static_cast<std::uint64_t>(static_cast<std::int32_t>(h));
  std::string_view n = pfam::xlat_lookup("sa_handler", key);
  if (!n.empty()) {
    ctx.out().name(n, key);
  } else {
    ctx.out().ptr(h);
  }
}

void sigaction_fields(DecodeCtx& ctx, std::uint64_t h, std::uint64_t mask, unsigned mask_bytes,
                      std::uint64_t flags, std::uint64_t restorer) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("sa_handler");
  handler(ctx, h);
  o.field("sa_mask");
  sigmask_tokens(o, mask, mask_bytes);
  o.field("sa_flags");
  pfam::xflags(o, "sigaction_flags", flags, "SA_???");
  if (flags & kSaRestorer) {
    o.field("sa_restorer");
    o.ptr(restorer);
  }
  o.end_struct();
}

struct KernelSigaction64 {
  std::uint64_t handler, flags, restorer, mask;
};
struct KernelSigaction32 {
  std::uint32_t handler, flags, restorer, mask_lo, mask_hi;
};
struct OldSigaction32 {
  std::uint32_t handler, mask, flags, restorer;
};

std::uint64_t stack_pointer(DecodeCtx& ctx) {
  // From the syscall stop (PTRACE_GET_SYSCALL_INFO's stack_pointer): decoders read no registers.
  std::uint64_t sp = ctx.syscall().sp;
  return ctx.word_size() == 4 ? static_cast<std::uint32_t>(sp) : sp;
}

}  // namespace

void print_sigaction_struct(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 4) {
    KernelSigaction32 sa{};
    if (!ctx.read(addr, sa)) {
      ctx.out().ptr(addr);
      return;
    }
    sigaction_fields(ctx, sa.handler, sa.mask_lo | (std::uint64_t{sa.mask_hi} << 32), 8, sa.flags,
                     sa.restorer);
    return;
  }
  KernelSigaction64 sa{};
  if (!ctx.read(addr, sa)) {
    ctx.out().ptr(addr);
    return;
  }
  sigaction_fields(ctx, sa.handler, sa.mask, 8, sa.flags, sa.restorer);
}

void print_old_sigaction_struct(DecodeCtx& ctx, std::uint64_t addr) {
  OldSigaction32 sa{};
  if (!ctx.read(addr, sa)) {
    ctx.out().ptr(addr);
    return;
  }
  sigaction_fields(ctx, sa.handler, sa.mask, 4, sa.flags, sa.restorer);
}

void print_sigset_struct(DecodeCtx& ctx, std::uint64_t addr) {
  // The length is the syscall's sigsetsize argument when it has one (ppoll, epoll_pwait,
  // signalfd, ...), else the kernel's 8 bytes.
  std::uint64_t len = kSigsetBytes;
  for (std::string_view n : {"sigsetsize", "sizemask"}) {
    int i = pfam::arg_index(ctx, n);
    if (i >= 0) {
      len = ctx.u(i);
      break;
    }
  }
  sigset_at(ctx, addr, len, word_len(ctx), false);
}

void print_old_sigset_struct(DecodeCtx& ctx, std::uint64_t addr) {
  sigset_at(ctx, addr, word_len(ctx), word_len(ctx), false);
}

void print_stack_t_struct(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint64_t sp = 0, size = 0;
  std::int32_t flags = 0;
  if (ctx.word_size() == 4) {
    struct {
      std::uint32_t sp;
      std::int32_t flags;
      std::uint32_t size;
    } s{};
    if (!ctx.read(addr, s)) {
      ctx.out().ptr(addr);
      return;
    }
    sp = s.sp, flags = s.flags, size = s.size;
  } else {
    struct {
      std::uint64_t sp;
      std::int32_t flags;
      std::uint64_t size;
    } s{};
    if (!ctx.read(addr, s)) {
      ctx.out().ptr(addr);
      return;
    }
    sp = s.sp, flags = s.flags, size = s.size;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("ss_sp");
  o.ptr(sp);
  o.field("ss_flags");
  pfam::xflags(o, "sigaltstack_flags", static_cast<std::uint32_t>(flags), "SS_???");
  o.field("ss_size");
  o.uint_(size);
  o.end_struct();
}

void decode_rt_sigaction(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::signal_value(ctx.out(), static_cast<std::int32_t>(ctx.u(0)));
    ctx.arg(1);
    ctx.structure("sigaction", ctx.u(1), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  ctx.structure("sigaction", ctx.u(2), true);
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
}

void decode_sigaction(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::signal_value(ctx.out(), static_cast<std::int32_t>(ctx.u(0)));
    ctx.arg(1);
    ctx.structure("old_sigaction", ctx.u(1), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  ctx.structure("old_sigaction", ctx.u(2), true);
}

void decode_signal(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::signal_value(ctx.out(), static_cast<std::int32_t>(ctx.u(0)));
    ctx.arg(1);
    handler(ctx, ctx.u(1));
    ctx.syscall().ret_type = RetType::Hex;
    return;
  }
  if (ctx.failed()) return;
  // The previous handler comes back as the value; strace names the special ones.
  std::uint64_t key = static_cast<std::uint64_t>(static_cast<std::int32_t>(ctx.ret()));
  std::string_view n = pfam::xlat_lookup("sa_handler", key);
  if (!n.empty()) ctx.syscall().ret_aux.name(n, key);
}

void decode_rt_sigprocmask(DecodeCtx& ctx) {
  std::uint64_t len = ctx.u(3);
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::xval(ctx.out(), "sigprocmask_how", ctx.u(0), "SIG_???");
    ctx.arg(1);
    sigset_at(ctx, ctx.u(1), len, word_len(ctx), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  sigset_at(ctx, ctx.u(2), len, word_len(ctx), true);
  ctx.arg(3);
  ctx.out().uint_(len);
}

void decode_sigprocmask(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::xval(ctx.out(), "sigprocmask_how", ctx.u(0), "SIG_???");
    ctx.arg(1);
    sigset_at(ctx, ctx.u(1), word_len(ctx), word_len(ctx), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  sigset_at(ctx, ctx.u(2), word_len(ctx), word_len(ctx), true);
}

void decode_rt_sigpending(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  // rt_sigpending takes any size up to the kernel's (the old sigpending reuses it).
  ctx.arg(0);
  sigset_at(ctx, ctx.u(0), ctx.u(1), 1, true);
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
}

void decode_sigpending(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  ctx.arg(0);
  sigset_at(ctx, ctx.u(0), word_len(ctx), word_len(ctx), true);
}

void decode_rt_sigsuspend(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  sigset_at(ctx, ctx.u(0), ctx.u(1), word_len(ctx), false);
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
}

void decode_sigsuspend(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  // The i386 call takes the mask itself, in its last argument; strace shows only that.
  ctx.arg(2);
  sigmask_tokens(ctx.out(), ctx.u(2), 4);
}

void decode_sgetmask(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().ret_type = RetType::Hex;
    return;
  }
  if (ctx.failed()) return;
  TokenList& aux = ctx.syscall().ret_aux;
  aux.raw("mask ");
  sigmask_tokens(aux, static_cast<std::uint32_t>(ctx.ret()), 4);
}

void decode_ssetmask(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    sigmask_tokens(ctx.out(), static_cast<std::uint32_t>(ctx.u(0)), 4);
    ctx.syscall().ret_type = RetType::Hex;
    return;
  }
  if (ctx.failed()) return;
  TokenList& aux = ctx.syscall().ret_aux;
  aux.raw("old mask ");
  sigmask_tokens(aux, static_cast<std::uint32_t>(ctx.ret()), 4);
}

void decode_sigaltstack(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.structure("stack_t", ctx.u(0), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  ctx.structure("stack_t", ctx.u(1), true);
}

void decode_rt_sigreturn(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  std::uint64_t sp = stack_pointer(ctx);
  if (sp == 0) return;
  // The saved mask is the frame's uc.uc_sigmask, at an offset from sp each ABI's frame decides.
  std::uint64_t mask_addr = sp + struct_layouts(ctx.arch()).sigreturn_mask_offset;
  ctx.arg_named("");
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("mask");
  sigset_at(ctx, mask_addr, kSigsetBytes, kSigsetBytes, false);
  o.end_struct();
}

void decode_sigreturn(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  std::uint64_t sp = stack_pointer(ctx);
  if (sp == 0) return;
  // The i386 sigframe after its signal number was popped: a 32-bit sigcontext (oldmask, the
  // low mask word, at 80), the legacy 624-byte fpstate, then extramask (the high word) at 712.
  std::uint32_t lo = 0, hi = 0;
  ctx.arg_named("");
  if (!ctx.read(sp + 80, lo) || !ctx.read(sp + 712, hi)) {
    ctx.out().ptr(sp);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("mask");
  sigmask_tokens(o, lo | (std::uint64_t{hi} << 32), 8);
  o.end_struct();
}

}  // namespace ptk::sys
