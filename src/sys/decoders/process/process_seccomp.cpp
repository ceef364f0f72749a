// seccomp(2): the operation decides what the flags and the third argument are.
#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// The operations other than SECCOMP_SET_MODE_STRICT (0), whose flags and argument are plain.
constexpr std::uint32_t kSetModeFilter = 1;
constexpr std::uint32_t kGetActionAvail = 2;
constexpr std::uint32_t kGetNotifSizes = 3;

// struct seccomp_notif_sizes: three __u16.
void notif_sizes(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint16_t sizes[3];
  if (addr == 0 || ctx.failed() || !ctx.read(addr, sizes)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  static constexpr std::string_view kNames[] = {"seccomp_notif", "seccomp_notif_resp",
                                                "seccomp_data"};
  for (std::size_t i = 0; i < 3; ++i) {
    o.field(kNames[i]);
    o.uint_(sizes[i]);
  }
  o.end_struct();
}

}  // namespace

void decode_seccomp(DecodeCtx& ctx) {
  // op and flags are unsigned ints: the upper halves of their registers are not the kernel's.
  auto op = static_cast<std::uint32_t>(ctx.u(0));
  auto flags = static_cast<std::uint32_t>(ctx.u(1));
  TokenList& o = ctx.out();
  if (op == kGetNotifSizes && ctx.exiting()) {
    // The sizes are the kernel's answer: the argument is printed at exit.
    ctx.arg(2);
    notif_sizes(ctx, ctx.u(2));
    return;
  }
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.symbol("seccomp_op", op);
  ctx.arg(1);
  if (op == kSetModeFilter) {
    ctx.flags("seccomp_flags", flags);
  } else {
    o.hex(flags);
  }
  if (op == kGetNotifSizes) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  std::uint64_t args = ctx.u(2);
  if (op == kSetModeFilter) {
    print_seccomp_fprog(ctx, args);
  } else if (op == kGetActionAvail) {
    // The action asked about: [SECCOMP_RET_KILL_THREAD].
    std::uint32_t action = 0;
    if (args == 0 || !ctx.read(args, action)) {
      o.ptr(args);
    } else {
      o.begin_array();
      ctx.symbol("seccomp_ret_action", action);
      o.end_array();
    }
  } else {
    o.ptr(args);
  }
}

}  // namespace ptk::sys
