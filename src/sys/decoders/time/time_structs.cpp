// Struct printers of the time family, each for the tracee's ABI (32-bit longs on i386).
#include "time_structs.h"

#include <signal.h>

#include <cstring>

#include "time_util.h"

namespace ptk::sys::dec {
namespace {

void timespec_fn(DecodeCtx& ctx, std::uint64_t addr) { print_timespec(ctx, addr, false); }
void timespec64_fn(DecodeCtx& ctx, std::uint64_t addr) { print_timespec(ctx, addr, true); }
void timeval_fn(DecodeCtx& ctx, std::uint64_t addr) { print_timeval(ctx, addr); }
void itimerspec_fn(DecodeCtx& ctx, std::uint64_t addr) { print_itimerspec(ctx, addr, false); }
void itimerspec64_fn(DecodeCtx& ctx, std::uint64_t addr) { print_itimerspec(ctx, addr, true); }
void itimerval_fn(DecodeCtx& ctx, std::uint64_t addr) { print_itimerval(ctx, addr); }

void timezone_fn(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t tz[2];
  if (!ctx.read(addr, tz)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("tz_minuteswest");
  o.int_(tz[0]);
  o.field("tz_dsttime");
  o.int_(tz[1]);
  o.end_struct();
}

// time_t in memory (time(), stime()): [1700000000 /* 2023-11-14T22:13:20+0000 */].
void time_t_fn(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char raw[8];
  if (!ctx.read(addr, raw, static_cast<std::size_t>(ctx.word_size()))) {
    ctx.out().ptr(addr);
    return;
  }
  std::int64_t t = read_long(ctx, raw);
  TokenList& o = ctx.out();
  o.begin_array();
  o.int_(t);
  o.comment(format_date(t));
  o.end_array();
}

// The kernel's timer_t is an int on both ABIs.
void timer_t_fn(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t id;
  if (!ctx.read(addr, id)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  ctx.out().int_(id);
  ctx.out().end_array();
}

// struct sigevent: sigval (a word), signo, notify, then a union whose thread id or thread
// function and attributes strace shows by notify type.
void sigevent_fn(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char raw[32];
  std::size_t ws = static_cast<std::size_t>(ctx.word_size());
  std::size_t len = 3 * ws + 8 + (ws == 8 ? 0 : 4);  // through the attributes pointer
  if (!ctx.read(addr, raw, len)) {
    ctx.out().ptr(addr);
    return;
  }
  auto word = [&](std::size_t off) {
    std::int64_t v = read_long(ctx, raw + off);
    return ws == 4 ? static_cast<std::uint64_t>(static_cast<std::uint32_t>(v))
                   : static_cast<std::uint64_t>(v);
  };
  auto int_at = [&](std::size_t off) {
    std::int32_t v;
    std::memcpy(&v, raw + off, sizeof v);
    return v;
  };
  std::uint64_t value = word(0);
  std::int32_t signo = int_at(ws);
  std::int32_t notify = int_at(ws + 4);
  std::size_t un = ws + 8;  // the union, word aligned on both ABIs
  TokenList& o = ctx.out();
  o.begin_struct();
  if (value != 0) {
    o.field("sigev_value");
    o.begin_struct();
    o.field("sival_int");
    o.int_(int_at(0));
    o.field("sival_ptr");
    o.ptr(value);
    o.end_struct();
  }
  o.field("sigev_signo");
  if (notify == SIGEV_SIGNAL || notify == SIGEV_THREAD || notify == SIGEV_THREAD_ID) {
    ctx.signal(signo);
  } else {
    o.uint_(static_cast<std::uint32_t>(signo));
  }
  o.field("sigev_notify");
  xval(o, "sigev_notify", static_cast<std::uint32_t>(notify));
  if (notify == SIGEV_THREAD_ID) {
    o.field("sigev_notify_thread_id");
    o.int_(int_at(un));
  } else if (notify == SIGEV_THREAD) {
    o.field("sigev_notify_function");
    o.ptr(word(un));
    o.field("sigev_notify_attributes");
    o.ptr(word(un + ws));
  }
  o.end_struct();
}

// struct timex with W-sized longs: the natural alignment of W gives the kernel's padding on
// both ABIs, and __kernel_timex (clock_adjtime64) is the 64-bit layout on either.
template <typename W>
struct Timex {
  std::uint32_t modes;
  W offset, freq, maxerror, esterror;
  std::int32_t status;
  W constant, precision, tolerance;
  W time_sec, time_usec;
  W tick, ppsfreq, jitter;
  std::int32_t shift;
  W stabil, jitcnt, calcnt, errcnt, stbcnt;
  std::int32_t tai;
  std::int32_t pad[11];
};

template <typename W>
void print_timex(DecodeCtx& ctx, std::uint64_t addr) {
  Timex<W> t{};
  if (!ctx.read(addr, t)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  auto num = [&](std::string_view name, std::int64_t v) {
    o.field(name);
    o.int_(v);
  };
  o.begin_struct();
  o.field("modes");
  xflags(o, "adjtimex_modes", t.modes);
  num("offset", t.offset);
  num("freq", t.freq);
  num("maxerror", t.maxerror);
  num("esterror", t.esterror);
  o.field("status");
  xflags(o, "adjtimex_status", static_cast<std::uint32_t>(t.status));
  num("constant", t.constant);
  num("precision", t.precision);
  num("tolerance", t.tolerance);
  o.field("time");
  o.begin_struct();
  num("tv_sec", t.time_sec);
  num("tv_usec", t.time_usec);
  o.end_struct();
  num("tick", t.tick);
  num("ppsfreq", t.ppsfreq);
  num("jitter", t.jitter);
  num("shift", t.shift);
  num("stabil", t.stabil);
  num("jitcnt", t.jitcnt);
  num("calcnt", t.calcnt);
  num("errcnt", t.errcnt);
  num("stbcnt", t.stbcnt);
  num("tai", t.tai);
  o.end_struct();
}

void timex_fn(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 8) {
    print_timex<std::int64_t>(ctx, addr);
  } else {
    print_timex<std::int32_t>(ctx, addr);
  }
}

void timex64_fn(DecodeCtx& ctx, std::uint64_t addr) { print_timex<std::int64_t>(ctx, addr); }

constexpr StructEntry kStructs[] = {
    {"itimerspec", itimerspec_fn}, {"itimerspec64", itimerspec64_fn},
    {"itimerval", itimerval_fn},   {"sigevent", sigevent_fn},
    {"time_t", time_t_fn},         {"timer_t", timer_t_fn},
    {"timespec", timespec_fn},     {"timespec64", timespec64_fn},
    {"timeval", timeval_fn},       {"timex", timex_fn},
    {"timex64", timex64_fn},       {"timezone", timezone_fn},
};

}  // namespace

std::span<const StructEntry> time_structs() { return kStructs; }

}  // namespace ptk::sys::dec
