// Decoders of the time family: clocks, sleeps, timers, futex, getrandom.
#include <fmt/format.h>

#include "time_structs.h"
#include "time_util.h"

namespace ptk::sys {

void decode_futex_waitv(DecodeCtx& ctx);  // time_futex_waitv.cpp

namespace {

using dec::xflags;
using dec::xval;

bool wide_time(const DecodeCtx& ctx) {
  // The *_time64 calls of i386 take 64-bit timespecs; x86_64's are 64-bit anyway.
  std::string_view n = ctx.syscall().spec->name;
  return n.ends_with("64") || n.ends_with("_time64");
}

// nanosleep(req, rem): the remaining time is only meaningful when a signal interrupted the
// sleep; otherwise strace shows the address (the kernel did not write it).
void decode_nanosleep(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    dec::print_timespec(ctx, ctx.u(0), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (dec::is_erestart(ctx)) {
    dec::print_timespec(ctx, ctx.u(1), false);
  } else {
    ctx.out().ptr(ctx.u(1));
  }
}

void decode_clock_nanosleep(DecodeCtx& ctx) {
  bool wide = wide_time(ctx);
  if (ctx.entering()) {
    ctx.arg(0);
    xval(ctx, "clockid", static_cast<std::uint32_t>(ctx.u(0)));
    ctx.arg(1);
    xflags(ctx, "timer_flags", static_cast<std::uint32_t>(ctx.u(1)));
    ctx.arg(2);
    dec::print_timespec(ctx, ctx.u(2), wide);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(3);
  // An absolute sleep (TIMER_ABSTIME) never writes the remaining time.
  if (static_cast<std::uint32_t>(ctx.u(1)) == 0 && dec::is_erestart(ctx)) {
    dec::print_timespec(ctx, ctx.u(3), wide);
  } else {
    ctx.out().ptr(ctx.u(3));
  }
}

// time(tloc): everything at exit, and the date after the return value.
void decode_time(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  ctx.arg(0);
  ctx.structure("time_t", ctx.u(0), true);
  if (!ctx.failed()) {
    std::int64_t t = ctx.word_size() == 4 ? static_cast<std::int32_t>(ctx.ret()) : ctx.ret();
    ctx.syscall().ret_aux.raw(dec::format_date(t));
  }
}

// adjtimex(buf) and clock_adjtime(clock, buf): the struct as the kernel left it, and the
// clock state (TIME_OK, TIME_ERROR, ...) after the return value.
void adjtimex_exit(DecodeCtx& ctx, int i) {
  std::string_view type = wide_time(ctx) ? "timex64" : "timex";
  ctx.arg(i);
  ctx.structure(type, ctx.u(i), true);
  if (!ctx.failed()) {
    const Xlat* x = find_xlat("adjtimex_state");
    auto state = static_cast<std::uint64_t>(ctx.ret());
    std::string_view n = x != nullptr ? xlat_name(*x, state) : std::string_view();
    if (!n.empty()) ctx.syscall().ret_aux.name(n, state);
  }
}

void decode_adjtimex(DecodeCtx& ctx) {
  if (ctx.exiting()) adjtimex_exit(ctx, 0);
}

void decode_clock_adjtime(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    xval(ctx, "clockid", static_cast<std::uint32_t>(ctx.u(0)));
    ctx.syscall().more_at_exit = true;
    return;
  }
  adjtimex_exit(ctx, 1);
}

// getrandom(buf, len, flags): all at exit, the bytes in \x form as strace shows them.
void decode_getrandom(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  ctx.arg(0);
  std::uint64_t addr = ctx.u(0);
  if (ctx.failed() || addr == 0) {
    ctx.out().ptr(addr);
  } else {
    auto got = static_cast<std::uint64_t>(ctx.ret());
    std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(got, ctx.options().string_limit));
    std::string bytes(want, '\0');
    if (want != 0 && !ctx.read(addr, bytes.data(), want)) {
      ctx.out().ptr(addr);
    } else {
      ctx.out().raw(dec::hex_quoted(bytes, got > want));
    }
  }
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
  ctx.arg(2);
  xflags(ctx, "getrandom_flags", static_cast<std::uint32_t>(ctx.u(2)));
}

// FUTEX_WAKE_OP's encoded operation: FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0.
std::string wake_op_text(std::uint32_t v) {
  std::string s;
  if ((v >> 28) & 8) s += "FUTEX_OP_OPARG_SHIFT<<28|";
  auto part = [&](std::string_view table, std::uint32_t val, int shift) {
    const Xlat* x = find_xlat(table);
    std::string_view n = x != nullptr ? xlat_name(*x, val) : std::string_view();
    if (!n.empty()) {
      s += fmt::format("{}<<{}", n, shift);
    } else {
      s += fmt::format("{:#x}<<{} /* {} */", val, shift, dec::unknown_name(table));
    }
  };
  auto hex = [](std::uint32_t x) { return x == 0 ? std::string("0") : fmt::format("{:#x}", x); };
  part("futex_wake_op", (v >> 28) & 7, 28);
  s += fmt::format("|{}<<12|", hex((v >> 12) & 0xfff));
  part("futex_wake_cmp", (v >> 24) & 0xf, 24);
  s += '|';
  s += hex(v & 0xfff);
  return s;
}

void futex_op_name(DecodeCtx& ctx, std::uint32_t op) {
  constexpr std::uint32_t kPrivate = 128, kRealtime = 256;
  const Xlat* x = find_xlat("futex_op");
  auto name_of = [&](std::uint32_t v) {
    return x != nullptr ? xlat_name(*x, v) : std::string_view();
  };
  TokenList& o = ctx.out();
  if (std::string_view n = name_of(op); !n.empty()) {
    o.name(n, op);
    return;
  }
  std::uint32_t cmd = op & ~kRealtime & ~kPrivate;
  // strace names FUTEX_CLOCK_REALTIME with the waits only (FUTEX_WAIT, _BITSET, _REQUEUE_PI).
  bool realtime_ok = (op & kRealtime) && (cmd == 0 || cmd == 9 || cmd == 11);
  if (realtime_ok) {
    o.begin_flags();
    o.name(name_of(op & ~kRealtime), op & ~kRealtime);
    o.name("FUTEX_CLOCK_REALTIME", kRealtime);
    o.end_flags();
    return;
  }
  if (op == (2 | kPrivate)) {
    o.begin_flags();
    o.name("FUTEX_FD", 2);
    o.name("FUTEX_PRIVATE_FLAG", kPrivate);
    o.end_flags();
    return;
  }
  o.hex(op);
  o.comment("FUTEX_???");
}

void decode_futex(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  bool wide = wide_time(ctx);
  auto op = static_cast<std::uint32_t>(ctx.u(1));
  auto val = static_cast<std::uint32_t>(ctx.u(2));
  auto val2 = static_cast<std::uint32_t>(ctx.u(3));
  auto val3 = static_cast<std::uint32_t>(ctx.u(5));
  TokenList& o = ctx.out();
  ctx.arg(0);
  o.ptr(ctx.u(0));
  ctx.arg(1);
  futex_op_name(ctx, op);
  auto put_val = [&] {
    ctx.arg(2);
    o.uint_(val);
  };
  auto put_timeout = [&] {
    ctx.arg_named("timeout");
    dec::print_timespec(ctx, ctx.u(3), wide);
  };
  auto put_val2 = [&] {
    ctx.arg_named("val2");
    o.uint_(val2);
  };
  auto put_uaddr2 = [&] {
    ctx.arg(4);
    o.ptr(ctx.u(4));
  };
  auto put_bitset = [&] {
    ctx.arg(5);
    if (val3 == 0xffffffffu) {
      o.name("FUTEX_BITSET_MATCH_ANY", val3);
    } else {
      o.hex(val3);
    }
  };
  switch (op & 127) {
    case 0:  // FUTEX_WAIT
      put_val();
      put_timeout();
      break;
    case 6:   // FUTEX_LOCK_PI
    case 13:  // FUTEX_LOCK_PI2
      put_timeout();
      break;
    case 9:  // FUTEX_WAIT_BITSET
      put_val();
      put_timeout();
      put_bitset();
      break;
    case 10:  // FUTEX_WAKE_BITSET
      put_val();
      put_bitset();
      break;
    case 3:  // FUTEX_REQUEUE
      put_val();
      put_val2();
      put_uaddr2();
      break;
    case 4:   // FUTEX_CMP_REQUEUE
    case 12:  // FUTEX_CMP_REQUEUE_PI
      put_val();
      put_val2();
      put_uaddr2();
      ctx.arg(5);
      o.uint_(val3);
      break;
    case 5:  // FUTEX_WAKE_OP
      put_val();
      put_val2();
      put_uaddr2();
      ctx.arg(5);
      o.raw(wake_op_text(val3));
      break;
    case 11:  // FUTEX_WAIT_REQUEUE_PI
      put_val();
      put_timeout();
      put_uaddr2();
      break;
    case 1:  // FUTEX_WAKE
    case 2:  // FUTEX_FD
      put_val();
      break;
    case 7:  // FUTEX_UNLOCK_PI
    case 8:  // FUTEX_TRYLOCK_PI
      break;
    default:
      put_val();
      ctx.arg_named("timeout");
      o.ptr(ctx.u(3));
      put_uaddr2();
      ctx.arg(5);
      o.hex(val3);
      break;
  }
}

constexpr DecoderEntry kDecoders[] = {
    {"adjtimex", decode_adjtimex},
    {"clock_adjtime", decode_clock_adjtime},
    {"clock_adjtime64", decode_clock_adjtime},
    {"clock_getres", dec::generic_commented},
    {"clock_getres_time64", dec::generic_commented},
    {"clock_gettime", dec::generic_commented},
    {"clock_gettime64", dec::generic_commented},
    {"clock_nanosleep", decode_clock_nanosleep},
    {"clock_nanosleep_time64", decode_clock_nanosleep},
    {"clock_settime", dec::generic_commented},
    {"clock_settime64", dec::generic_commented},
    {"futex", decode_futex},
    {"futex_time64", decode_futex},
    {"futex_waitv", decode_futex_waitv},
    {"getitimer", dec::generic_commented},
    {"getrandom", decode_getrandom},
    {"nanosleep", decode_nanosleep},
    {"setitimer", dec::generic_commented},
    {"time", decode_time},
    {"timer_create", dec::generic_commented},
    {"timer_gettime", dec::generic_commented},
    {"timer_gettime64", dec::generic_commented},
    {"timer_settime", dec::generic_commented},
    {"timer_settime64", dec::generic_commented},
    {"timerfd_create", dec::generic_commented},
    {"timerfd_gettime", dec::generic_commented},
    {"timerfd_gettime64", dec::generic_commented},
    {"timerfd_settime", dec::generic_commented},
    {"timerfd_settime64", dec::generic_commented},
};

}  // namespace

Family time_family() { return {std::span(kDecoders), dec::time_structs()}; }

}  // namespace ptk::sys
