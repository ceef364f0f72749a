// '=' requests: PTP hardware clocks (linux/ptp_clock.h). The getters with an input part
// (PTP_SYS_OFFSET*, PTP_PIN_GETFUNC*) open the struct at entry and finish it at exit.
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kGetCaps = 0x80503d01;
constexpr std::uint32_t kGetCaps2 = 0x80503d0a;
constexpr std::uint32_t kExtts = 0x40103d02;
constexpr std::uint32_t kExtts2 = 0x40103d0b;
constexpr std::uint32_t kPerout = 0x40383d03;
constexpr std::uint32_t kPerout2 = 0x40383d0c;
constexpr std::uint32_t kEnablePps = 0x40043d04;
constexpr std::uint32_t kEnablePps2 = 0x40043d0d;
constexpr std::uint32_t kSysOffset = 0x43403d05;
constexpr std::uint32_t kSysOffset2 = 0x43403d0e;
constexpr std::uint32_t kPinGet = 0xc0603d06;
constexpr std::uint32_t kPinGet2 = 0xc0603d0f;
constexpr std::uint32_t kPinSet = 0x40603d07;
constexpr std::uint32_t kPinSet2 = 0x40603d10;
constexpr std::uint32_t kPrecise = 0xc0403d08;
constexpr std::uint32_t kPrecise2 = 0xc0403d11;
constexpr std::uint32_t kExtended = 0xc4c03d09;
constexpr std::uint32_t kExtended2 = 0xc4c03d12;

constexpr std::uint32_t kPeroutDutyCycle = 2;
constexpr std::uint32_t kPeroutPhase = 4;
constexpr std::uint32_t kMaxSamples = 25;

struct ClockTime {
  std::int64_t sec;
  std::uint32_t nsec;
  std::uint32_t reserved;
};
struct Caps {
  std::int32_t v[8];
  std::uint32_t rsv[12];
};
struct Extts {
  std::uint32_t index;
  std::uint32_t flags;
  std::uint32_t rsv[2];
};
struct Perout {
  ClockTime start;  // or phase, with PTP_PEROUT_PHASE
  ClockTime period;
  std::uint32_t index;
  std::uint32_t flags;
  union {
    ClockTime on;  // with PTP_PEROUT_DUTY_CYCLE
    std::uint32_t rsv[4];
  };
};
struct SysOffset {
  std::uint32_t n_samples;
  std::uint32_t rsv[3];
  ClockTime ts[2 * kMaxSamples + 1];
};
struct PinDesc {
  char name[64];
  std::uint32_t index;
  std::uint32_t func;
  std::uint32_t chan;
  std::uint32_t rsv[5];
};
struct Precise {
  ClockTime device;
  ClockTime sys_realtime;
  ClockTime sys_monoraw;
  std::uint32_t rsv[4];
};
struct Extended {
  std::uint32_t n_samples;
  std::uint32_t rsv[3];
  ClockTime ts[kMaxSamples][3];
};
static_assert(sizeof(Caps) == 80 && sizeof(Perout) == 56 && sizeof(SysOffset) == 832);
static_assert(sizeof(PinDesc) == 96 && sizeof(Precise) == 64 && sizeof(Extended) == 1216);

// The date of a wall-clock time, as strace comments it: 2124-11-08T05:45:45.123456789+0000
// (no fraction for whole seconds); empty for the zero time and for times that are not one.
std::string date_text(std::int64_t sec, std::uint32_t nsec) {
  if ((sec == 0 && nsec == 0) || nsec >= 1000000000) return {};
  auto t = static_cast<std::time_t>(sec);
  std::tm tm{};
  if (::localtime_r(&t, &tm) == nullptr) return {};
  char date[64];
  char zone[16];
  if (std::strftime(date, sizeof date, "%FT%T", &tm) == 0) return {};
  std::strftime(zone, sizeof zone, "%z", &tm);
  if (nsec == 0) return fmt::format("{}{}", date, zone);
  return fmt::format("{}.{:09}{}", date, nsec, zone);
}

void clock_time(TokenList& o, const ClockTime& t, bool wall) {
  o.begin_struct();
  field_i(o, "sec", t.sec);
  field_u(o, "nsec", t.nsec);
  if (t.reserved != 0) field_x(o, "reserved", t.reserved);
  o.end_struct();
  if (!wall) return;
  std::string date = date_text(t.sec, t.nsec);
  if (!date.empty()) o.xlat_note(date);  // not with -X raw
}

void clock_field(TokenList& o, std::string_view name, const ClockTime& t, bool wall) {
  o.field(name);
  clock_time(o, t, wall);
}

// rsv=[...], only when some reserved word is set.
void rsv(DecodeCtx& ctx, std::span<const std::uint32_t> words) {
  if (std::all_of(words.begin(), words.end(), [](std::uint32_t w) { return w == 0; })) return;
  TokenList& o = ctx.out();
  o.field("rsv");
  o.begin_array();
  for (std::uint32_t w : words) o.hex(w);
  o.end_array();
}

// Up to `count` elements of an array inside a struct, cut at the -s limit without -v.
template <typename Fn>
void local_array(DecodeCtx& ctx, std::uint64_t count, Fn&& fn) {
  std::uint64_t limit =
      ctx.options().verbose ? count : std::min<std::uint64_t>(count, ctx.options().abbrev_array);
  ctx.out().begin_array();
  for (std::uint64_t i = 0; i < limit; ++i) fn(i);
  ctx.out().end_array(limit < count);
}

template <typename T>
bool input(DecodeCtx& ctx, std::uint64_t arg, T& v) {
  ctx.arg(2);
  return fetch(ctx, arg, v);
}

bool input(DecodeCtx& ctx, std::uint64_t arg, void* buf, std::size_t len) {
  ctx.arg(2);
  return fetch(ctx, arg, buf, len);
}

void caps(DecodeCtx& ctx, const Caps& c) {
  static constexpr std::string_view kNames[] = {
      "max_adj", "n_alarm", "n_ext_ts",           "n_per_out",
      "pps",     "n_pins",  "cross_timestamping", "adjust_phase"};
  TokenList& o = ctx.out();
  o.begin_struct();
  for (int i = 0; i < 8; ++i) field_i(o, kNames[i], c.v[i]);
  rsv(ctx, c.rsv);
  o.end_struct();
}

void perout(DecodeCtx& ctx, const Perout& p, bool v2) {
  TokenList& o = ctx.out();
  o.begin_struct();
  if (p.flags & kPeroutPhase) {
    clock_field(o, "phase", p.start, false);
  } else {
    clock_field(o, "start", p.start, true);
  }
  clock_field(o, "period", p.period, false);
  field_u(o, "index", p.index);
  o.field("flags");
  flags(o, "ptp_perout_flags", p.flags, "PTP_PEROUT_???");
  if (p.flags & kPeroutDutyCycle) {
    clock_field(o, "on", p.on, false);
  } else if (v2) {
    rsv(ctx, p.rsv);
  }
  o.end_struct();
}

// The samples of PTP_SYS_OFFSET*, closing the struct opened at entry.
template <typename T, typename Fn>
Res samples_at_exit(DecodeCtx& ctx, std::uint64_t arg, Fn&& fn) {
  TokenList& o = ctx.out();
  T v;
  // The entry's tokens are rendered apart from these: the separator is spelled out.
  if (!ctx.failed()) {
    if (ctx.read(arg, v)) {
      o.raw(", ");
      o.field("ts");
      fn(v, std::min(v.n_samples, kMaxSamples));
    } else {
      o.raw(", ???");
    }
  }
  o.end_struct();
  return Res::Done;
}

Res pin(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  bool get = code == kPinGet || code == kPinGet2;
  TokenList& o = ctx.out();
  PinDesc p;
  if (ctx.entering()) {
    if (!input(ctx, arg, p)) return Res::Done;
    o.begin_struct();
    field_u(o, "index", p.index);
    if (code == kPinGet2) rsv(ctx, p.rsv);
    if (get) return Res::Exit;
    o.field("func");
    val(o, "ptp_pin_funcs", p.func, "PTP_PF_???");
    field_u(o, "chan", p.chan);
    if (code == kPinSet2) rsv(ctx, p.rsv);
    o.end_struct();
    return Res::Done;
  }
  // The getters' rest. The entry's tokens are rendered apart from these, outside the struct's
  // frame: the separators are spelled out.
  if (!ctx.failed()) {
    if (ctx.read(arg, p)) {
      o.raw(", ");
      o.field("name");
      cstring(o, p.name, sizeof p.name);
      o.raw(", ");
      o.field("func");
      val(o, "ptp_pin_funcs", p.func, "PTP_PF_???");
      o.raw(", ");
      field_u(o, "chan", p.chan);
    } else {
      o.raw(", ???");
    }
  }
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res ptp(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  // -e verbose= without ioctl: structs stay addresses.
  if (!ctx.options().dereference) return Res::Hex;
  TokenList& o = ctx.out();
  switch (code) {
    case kGetCaps:
    case kGetCaps2: {
      if (ctx.entering()) return Res::Exit;
      Caps c;
      if (input(ctx, arg, c)) caps(ctx, c);
      return Res::Done;
    }
    case kExtts:
    case kExtts2: {
      Extts e;
      if (!input(ctx, arg, e)) return Res::Done;
      o.begin_struct();
      field_u(o, "index", e.index);
      o.field("flags");
      flags(o, "ptp_extts_flags", e.flags, "PTP_???");
      if (code == kExtts2) rsv(ctx, e.rsv);
      o.end_struct();
      return Res::Done;
    }
    case kPerout:
    case kPerout2: {
      Perout p;
      if (input(ctx, arg, p)) perout(ctx, p, code == kPerout2);
      return Res::Done;
    }
    case kEnablePps:
    case kEnablePps2:
      ctx.arg(2);
      o.hex(arg);
      return Res::Done;
    case kPinGet:
    case kPinGet2:
    case kPinSet:
    case kPinSet2:
      return pin(ctx, code, arg);
    case kPrecise:
    case kPrecise2: {
      if (ctx.entering()) return Res::Exit;
      Precise p;
      if (!input(ctx, arg, p)) return Res::Done;
      o.begin_struct();
      clock_field(o, "device", p.device, true);
      clock_field(o, "sys_realtime", p.sys_realtime, true);
      clock_field(o, "sys_monoraw", p.sys_monoraw, false);
      rsv(ctx, p.rsv);
      o.end_struct();
      return Res::Done;
    }
    default:
      break;
  }
  bool extended = code == kExtended || code == kExtended2;
  if (!extended && code != kSysOffset && code != kSysOffset2) return Res::Hex;
  if (ctx.entering()) {
    // The whole struct must be readable (strace reads it all), though only its head shows.
    Extended v;
    if (!input(ctx, arg, &v, extended ? sizeof(Extended) : sizeof(SysOffset))) return Res::Done;
    o.begin_struct();
    field_u(o, "n_samples", v.n_samples);
    rsv(ctx, v.rsv);
    return Res::Exit;
  }
  if (extended) {
    return samples_at_exit<Extended>(ctx, arg, [&](const Extended& v, std::uint32_t n) {
      local_array(ctx, n, [&](std::uint64_t i) {
        o.begin_array();
        for (const ClockTime& t : v.ts[i]) clock_time(o, t, true);
        o.end_array();
      });
    });
  }
  return samples_at_exit<SysOffset>(ctx, arg, [&](const SysOffset& v, std::uint32_t n) {
    local_array(ctx, 2 * n + 1, [&](std::uint64_t i) { clock_time(o, v.ts[i], true); });
  });
}

}  // namespace ptk::sys::ioctl
