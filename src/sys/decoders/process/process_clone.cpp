// clone, clone3, unshare and setns as strace prints them: clone's arguments by name, with
// the ones the kernel writes (parent_tid) or that only some flags use shown at exit.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>

#include "decoders/arg_util.h"
#include "decoders/struct_ext.h"
#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

constexpr std::uint64_t kCsignal = 0xff;  // clone's low byte: the exit signal
constexpr std::uint64_t kClonePidfd = 0x1000;
constexpr std::uint64_t kCloneSettls = 0x80000;
constexpr std::uint64_t kCloneParentSettid = 0x100000;
constexpr std::uint64_t kCloneChildCleartid = 0x200000;
constexpr std::uint64_t kCloneChildSettid = 0x1000000;
constexpr std::uint64_t kCloneIntoCgroup = 0x200000000;

struct CloneArgs {
  std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  std::uint64_t set_tid, set_tid_size, cgroup;
};
constexpr std::uint64_t kCloneArgsMin = 64;  // up to tls: CLONE_ARGS_SIZE_VER0
constexpr std::uint64_t kCloneArgsCgroup = offsetof(CloneArgs, cgroup);

// The TLS argument: a user_desc on i386, an address on x86_64.
void tls_arg(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 4) {
    if (addr == 0) {
      ctx.out().ptr(0);
    } else {
      print_user_desc(ctx, addr);
    }
  } else {
    ctx.out().ptr(addr);
  }
}

void clone3_size(DecodeCtx& ctx) {
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
}

}  // namespace

void print_user_desc(DecodeCtx& ctx, std::uint64_t addr) {
  struct {
    std::uint32_t entry_number, base_addr, limit, bits;
  } d{};
  if (!ctx.read(addr, d)) {
    ctx.out().ptr(addr);
    return;
  }
  // printf's "%#08x": zero-padded to 8 characters, and no 0x prefix for zero.
  auto hex0 = [](std::uint32_t v) {
    return v == 0 ? std::string("00000000") : fmt::format("{:#08x}", v);
  };
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("entry_number");
  pfam::id_value(o, d.entry_number, 32);
  o.field("base_addr");
  o.raw(hex0(d.base_addr));
  o.field("limit");
  o.raw(hex0(d.limit));
  // The bitfields of struct user_desc, in declaration order.
  static constexpr struct {
    std::string_view name;
    unsigned shift, width;
  } kBits[] = {{"seg_32bit", 0, 1},      {"contents", 1, 2},        {"read_exec_only", 3, 1},
               {"limit_in_pages", 4, 1}, {"seg_not_present", 5, 1}, {"useable", 6, 1}};
  for (const auto& b : kBits) {
    o.field(b.name);
    o.uint_((d.bits >> b.shift) & ((1u << b.width) - 1));
  }
  // The long-mode bit means something only to a 64-bit process (set_thread_area of x86_64).
  if (ctx.word_size() == 8) {
    o.field("lm");
    o.uint_((d.bits >> 7) & 1);
  }
  o.end_struct();
}

void decode_clone(DecodeCtx& ctx) {
  // The register order differs between the ABIs (i386 passes tls before child_tidptr), so
  // the arguments are found by their names in the syscall table.
  int flags_i = pfam::arg_index(ctx, "clone_flags");
  int stack_i = pfam::arg_index(ctx, "newsp");
  int ptid_i = pfam::arg_index(ctx, "parent_tidptr");
  int ctid_i = pfam::arg_index(ctx, "child_tidptr");
  int tls_i = pfam::arg_index(ctx, "tls");
  if (flags_i < 0 || stack_i < 0 || ptid_i < 0 || ctid_i < 0 || tls_i < 0) return;
  std::uint64_t raw = ctx.u(flags_i);
  std::uint64_t flags = raw & ~kCsignal;
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    pfam::named_arg(ctx, "child_stack");
    o.ptr(ctx.u(stack_i));
    pfam::named_arg(ctx, "flags");
    std::uint64_t sig = raw & kCsignal;
    if (flags != 0) {
      o.begin_flags();
      std::size_t start = o.size();
      std::uint64_t rest = pfam::xflags_names(o, "clone_flags", flags);
      bool named = o.size() != start;
      if (rest != 0) o.hex(rest);
      if (!named) o.comment("CLONE_???");
      if (sig != 0) pfam::signal_value(o, static_cast<std::int64_t>(sig));
      o.end_flags();
    } else {
      pfam::signal_value(o, static_cast<std::int64_t>(sig));
    }
    ctx.syscall().more_at_exit = false;
    return;
  }
  if (flags & (kCloneParentSettid | kClonePidfd)) {
    pfam::named_arg(ctx, "parent_tid");
    // With CLONE_PIDFD alone the kernel stores the pidfd there, a descriptor (-y shows it).
    if (flags & kCloneParentSettid) {
      pfam::int_in_brackets(ctx, ctx.u(ptid_i), true);
    } else {
      pfam::fd_in_brackets(ctx, ctx.u(ptid_i), true);
    }
  }
  if (flags & kCloneSettls) {
    pfam::named_arg(ctx, "tls");
    // Read at exit: a failed call shows the address, as strace's umove_or_printaddr does.
    if (ctx.failed()) {
      o.ptr(ctx.u(tls_i));
    } else {
      tls_arg(ctx, ctx.u(tls_i));
    }
  }
  if (flags & (kCloneChildSettid | kCloneChildCleartid)) {
    pfam::named_arg(ctx, "child_tidptr");
    o.ptr(ctx.u(ctid_i));
  }
}

void decode_clone3(DecodeCtx& ctx) {
  std::uint64_t addr = ctx.u(0);
  std::uint64_t size = ctx.u(1);
  std::uint64_t fetch = std::min<std::uint64_t>(size, sizeof(CloneArgs));
  CloneArgs a{};
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = false;
    ctx.arg(0);
    if (fetch < kCloneArgsMin || !ctx.read(addr, &a, static_cast<std::size_t>(fetch))) {
      o.ptr(addr);
      clone3_size(ctx);
      return;
    }
    o.begin_struct();
    o.field("flags");
    afam::xflags(o, "clone_flags", a.flags, "CLONE_???");
    if (a.flags & kClonePidfd) {
      o.field("pidfd");
      o.ptr(a.pidfd);
    }
    if (a.flags & (kCloneChildSettid | kCloneChildCleartid)) {
      o.field("child_tid");
      o.ptr(a.child_tid);
    }
    if (a.flags & kCloneParentSettid) {
      o.field("parent_tid");
      o.ptr(a.parent_tid);
    }
    o.field("exit_signal");
    if (a.exit_signal < INT_MAX) {
      pfam::signal_value(o, static_cast<std::int64_t>(a.exit_signal));
    } else {
      o.uint_(a.exit_signal);
    }
    o.field("stack");
    o.ptr(a.stack);
    o.field("stack_size");
    o.hex(a.stack_size);
    if (a.flags & kCloneSettls) {
      o.field("tls");
      tls_arg(ctx, a.tls);
    }
    if (a.set_tid != 0 || a.set_tid_size != 0) {
      o.field("set_tid");
      constexpr std::uint64_t kMaxSetTid = 32;
      if (a.set_tid == 0 || a.set_tid_size == 0 || a.set_tid_size > kMaxSetTid) {
        o.ptr(a.set_tid);
      } else {
        pfam::print_array(ctx, a.set_tid, a.set_tid_size, 4, [&](const unsigned char* p) {
          std::int32_t v;
          std::memcpy(&v, p, sizeof v);
          o.int_(v);
        });
      }
      o.field("set_tid_size");
      o.uint_(a.set_tid_size);
    }
    if (fetch > kCloneArgsCgroup && (a.cgroup != 0 || (a.flags & kCloneIntoCgroup))) {
      o.field("cgroup");
      o.uint_(a.cgroup);
    }
    // Bytes past the struct this kernel knows: shown when nonzero, and again at exit.
    bool tail = struct_ext_tail(ctx, addr, sizeof(CloneArgs), size);
    o.end_struct();
    // What the kernel writes back (the pidfd, the parent's copy of the tid) shows at exit.
    if (tail || (a.flags & (kClonePidfd | kCloneParentSettid)) != 0) {
      ctx.syscall().priv = 1;
      return;
    }
    clone3_size(ctx);
    return;
  }
  if (ctx.syscall().priv != 1) return;
  if (!ctx.failed()) {
    if (!ctx.read(addr, &a, static_cast<std::size_t>(fetch))) {
      o.raw(" => ");
      o.ptr(addr);
    } else {
      o.raw(" => ");
      o.begin_struct();
      if (a.flags & kClonePidfd) {
        o.field("pidfd");
        pfam::fd_in_brackets(ctx, a.pidfd, true);
      }
      if (a.flags & kCloneParentSettid) {
        o.field("parent_tid");
        pfam::int_in_brackets(ctx, a.parent_tid, true);
      }
      struct_ext_tail(ctx, addr, sizeof(CloneArgs), size);
      o.end_struct();
    }
  }
  clone3_size(ctx);
}

void decode_unshare(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  pfam::xflags(ctx.out(), "unshare_flags", ctx.u(0), "CLONE_???");
}

void decode_setns(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  pfam::xflags(ctx.out(), "setns_types", static_cast<std::uint32_t>(ctx.u(1)), "CLONE_NEW???");
}

// modify_ldt(func, ptr, bytecount): the descriptor when bytecount is its size. The kernel's
// result is an int in a long (arch/x86/kernel/ldt.c), so an error comes back as 4294967258:
// strace prints that number and the errno it stands for, and so does ptk.
void decode_modify_ldt(DecodeCtx& ctx) {
  constexpr std::uint64_t kUserDescSize = 16;
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(0)));
    ctx.arg(1);
    if (ctx.u(2) == kUserDescSize) {
      print_user_desc(ctx, ctx.u(1));
    } else {
      ctx.out().ptr(ctx.u(1));
    }
    ctx.arg(2);
    ctx.out().uint_(ctx.u(2));
    return;
  }
  auto value = static_cast<std::uint64_t>(sc.ret);
  if (ctx.failed() || value < 0xfffff000 || value > 0xffffffff) return;
  int err = -static_cast<std::int32_t>(value);
  std::string_view name = errno_name(err);
  sc.ret_type = RetType::Uint;
  sc.note = fmt::format("{} ({})", name.empty() ? fmt::format("errno {}", err) : std::string(name),
                        errno_text(err));
}

}  // namespace ptk::sys
