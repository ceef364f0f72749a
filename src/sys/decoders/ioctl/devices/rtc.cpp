// 'p' requests: real-time clocks (linux/rtc.h).
#include <cstring>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kAlmRead = 0x80247008;
constexpr std::uint32_t kRdTime = 0x80247009;
constexpr std::uint32_t kAlmSet = 0x40247007;
constexpr std::uint32_t kSetTime = 0x4024700a;
constexpr std::uint32_t kIrqpSet = 0x4008700c;
constexpr std::uint32_t kEpochSet = 0x4008700e;
constexpr std::uint32_t kIrqpRead = 0x8008700b;
constexpr std::uint32_t kEpochRead = 0x8008700d;
constexpr std::uint32_t kWkalmRd = 0x80287010;
constexpr std::uint32_t kWkalmSet = 0x4028700f;
constexpr std::uint32_t kPllGet = 0x80207011;
constexpr std::uint32_t kPllSet = 0x40207012;
constexpr std::uint32_t kVlRead = 0x80047013;
constexpr std::uint32_t kParamGet = 0x40187013;
constexpr std::uint32_t kParamSet = 0x40187014;
// RTC_{AIE,UIE,PIE,WIE}_{ON,OFF} and RTC_VL_CLR take nothing.
constexpr std::uint32_t kNoArg[] = {0x7001, 0x7002, 0x7003, 0x7004, 0x7005,
                                    0x7006, 0x700f, 0x7010, 0x7014};

constexpr std::uint64_t kParamFeatures = 0;
constexpr std::uint64_t kParamCorrection = 1;
constexpr std::uint64_t kParamBackupSwitchMode = 2;

struct RtcParam {
  std::uint64_t param;
  std::uint64_t value;  // uvalue, svalue or ptr
  std::uint32_t index;
  std::uint32_t pad;
};

void rtc_time(DecodeCtx& ctx, const std::int32_t (&t)[9]) {
  static constexpr std::string_view kNames[] = {"tm_sec",  "tm_min",  "tm_hour",
                                                "tm_mday", "tm_mon",  "tm_year",
                                                "tm_wday", "tm_yday", "tm_isdst"};
  TokenList& o = ctx.out();
  bool full = ctx.options().verbose;
  o.begin_struct();
  for (int i = 0; i < (full ? 9 : 6); ++i) field_i(o, kNames[i], t[i]);
  o.end_struct(!full);
}

// RTC_FEATURE_* are bit numbers; strace names the bits "1<<RTC_FEATURE_*".
constexpr NamedBit kFeatureBits[] = {
    {0, "1<<RTC_FEATURE_ALARM"},
    {1, "1<<RTC_FEATURE_ALARM_RES_MINUTE"},
    {2, "1<<RTC_FEATURE_NEED_WEEK_DAY"},
    {3, "1<<RTC_FEATURE_ALARM_RES_2S"},
    {4, "1<<RTC_FEATURE_UPDATE_INTERRUPT"},
    {5, "1<<RTC_FEATURE_CORRECTION"},
    {6, "1<<RTC_FEATURE_BACKUP_SWITCH_MODE"},
    {7, "1<<RTC_FEATURE_ALARM_WAKEUP_ONLY"},
};

void param_value(TokenList& o, const RtcParam& p) {
  switch (p.param) {
    case kParamFeatures:
      o.field("uvalue");
      bit_flags(o, kFeatureBits, p.value, "1<<RTC_FEATURE_???");
      break;
    case kParamCorrection:
      field_i(o, "svalue", static_cast<std::int64_t>(p.value));
      break;
    case kParamBackupSwitchMode:
      o.field("uvalue");
      val(o, "rtc_backup_switch_modes", p.value, "RTC_BSM_???");
      break;
    default:
      field_x(o, "uvalue", p.value);
      break;
  }
}

// PARAM_GET: which parameter at entry, " => " its value at exit; PARAM_SET: all at entry.
Res param(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  bool get = code == kParamGet;
  if (ctx.entering()) {
    ctx.arg(2);
  } else {
    ctx.out().raw(" => ");
  }
  RtcParam p;
  if (!fetch(ctx, arg, p)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  if (ctx.entering()) {
    o.field("param");
    val(o, "rtc_params", p.param, "RTC_PARAM_???");
  }
  if (ctx.entering() != get) param_value(o, p);
  if (ctx.entering()) field_u(o, "index", p.index);
  if (p.pad != 0) field_x(o, "__pad", p.pad);
  o.end_struct();
  return ctx.entering() && get ? Res::Exit : Res::Done;
}

}  // namespace

Res rtc(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  for (std::uint32_t c : kNoArg) {
    if (c == code) return Res::Done;
  }
  if (code == kParamGet || code == kParamSet) return param(ctx, code, arg);
  bool get = code == kAlmRead || code == kRdTime || code == kIrqpRead || code == kEpochRead ||
             code == kWkalmRd || code == kPllGet || code == kVlRead;
  bool set = code == kAlmSet || code == kSetTime || code == kIrqpSet || code == kEpochSet ||
             code == kWkalmSet || code == kPllSet;
  if (!get && !set) return Res::Hex;
  // struct rtc_pll_info ends with a long: the i386 layout is not decoded.
  if ((code == kPllGet || code == kPllSet) && ctx.word_size() != 8) return Res::Hex;
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  TokenList& o = ctx.out();
  switch (code) {
    case kIrqpSet:
    case kEpochSet:
      o.uint_(arg);
      break;
    case kIrqpRead:
    case kEpochRead:
      desc::num_ulong(ctx, arg);
      break;
    case kVlRead: {
      std::uint32_t v = 0;
      if (!fetch(ctx, arg, v)) break;
      o.begin_array();
      flags(o, "rtc_vl_flags", v, "RTC_VL_???");
      o.end_array();
      break;
    }
    case kWkalmRd:
    case kWkalmSet: {
      unsigned char w[40];  // enabled, pending, a pad byte, then struct rtc_time at 4
      if (!fetch(ctx, arg, w)) break;
      std::int32_t t[9];
      std::memcpy(t, w + 4, sizeof t);
      o.begin_struct();
      field_u(o, "enabled", w[0]);
      field_u(o, "pending", w[1]);
      o.field("time");
      rtc_time(ctx, t);
      o.end_struct();
      break;
    }
    case kPllGet:
    case kPllSet: {
      std::int64_t p[4];  // six ints, then the long pll_clock
      if (!fetch(ctx, arg, p)) break;
      std::int32_t v[6];
      std::memcpy(v, p, sizeof v);
      static constexpr std::string_view kFields[] = {"pll_ctrl", "pll_value",   "pll_max",
                                                     "pll_min",  "pll_posmult", "pll_negmult"};
      o.begin_struct();
      for (int i = 0; i < 6; ++i) field_i(o, kFields[i], v[i]);
      field_i(o, "pll_clock", p[3]);
      o.end_struct();
      break;
    }
    default: {  // the rtc_time requests
      std::int32_t t[9];
      if (fetch(ctx, arg, t)) rtc_time(ctx, t);
      break;
    }
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
