// 'K' requests whose argument is a number, a set of LEDs or a mode, by value or by pointer to
// one; the others go to kd_keys.cpp and kd_font.cpp.
#include "kd.h"

#include <fmt/format.h>

#include <climits>
#include <string>

namespace ptk::sys::ioctl {
namespace {

using namespace kd;

// The PC speaker's timer input (the kernel's PIT_TICK_RATE): a divisor of it sets the tone.
constexpr std::uint64_t kPitTickRate = 1193182;

// KDADDIO's ports of interest to video cards, which strace counts from GPFIRST.
constexpr std::uint64_t kGpFirst = 0x3b4;
constexpr std::uint64_t kGpLast = 0x3df;

constexpr NamedBit kLeds[] = {{0, "LED_SCR"}, {1, "LED_NUM"}, {2, "LED_CAP"}};
// KDGKBLED/KDSKBLED: the LEDs' state in the low nibble and their default in the high one.
constexpr NamedBit kKbLeds[] = {{0, "LED_SCR"},    {1, "LED_NUM"},    {2, "LED_CAP"},
                                {4, "LED_SCR<<4"}, {5, "LED_NUM<<4"}, {6, "LED_CAP<<4"}};

bool is_get(std::uint32_t code) {
  switch (code) {
    case kGetLed:
    case kGkbType:
    case kGetMode:
    case kGkbMode:
    case kGkbMeta:
    case kGkbLed:
      return true;
    default:
      return false;
  }
}

// One value of the request's kind; `get`: it was read from the tracee (shown in brackets).
void value(DecodeCtx& ctx, std::uint32_t code, std::uint32_t v) {
  TokenList& o = ctx.out();
  switch (code) {
    case kGetLed:
    case kSetLed:
      bit_flags(o, kLeds, v & 0xff, "LED_???");
      break;
    case kGkbLed:
    case kSkbLed:
      bit_flags(o, kKbLeds, v & 0xff, "LED_???");
      break;
    case kGkbType:
      val(o, "kd_kbd_types", v & 0xff, "KB_???");
      break;
    case kGetMode:
    case kSetMode:
      val(o, "kd_modes", v, "KD_???");
      break;
    case kGkbMode:
    case kSkbMode:
      val_d(o, "kd_kbd_modes", static_cast<std::int32_t>(v), "K_???");
      break;
    default:  // KDGKBMETA, KDSKBMETA
      val(o, "kd_meta_vals", v, "K_???");
      break;
  }
}

// The sizes of what the get requests store: a char for the LEDs and the keyboard type, an int
// for the rest.
std::size_t get_size(std::uint32_t code) {
  return code == kGetLed || code == kGkbLed || code == kGkbType ? 1 : 4;
}

Res by_value(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (is_get(code)) {
    if (ctx.entering()) return Res::Exit;
    ctx.arg(2);
    std::uint32_t v = 0;
    if (!fetch(ctx, arg, &v, get_size(code))) return Res::Done;
    ctx.out().begin_array();
    value(ctx, code, v);
    ctx.out().end_array();
    return Res::Done;
  }
  ctx.arg(2);
  value(ctx, code, static_cast<std::uint32_t>(arg));
  return Res::Done;
}

void sound(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  TokenList& o = ctx.out();
  o.uint_(arg);
  auto freq = static_cast<std::uint32_t>(arg != 0 ? kPitTickRate / arg : 0);
  o.xlat_note(freq != 0 ? fmt::format("{} Hz", freq) : std::string("off"));
}

// KDMKTONE: the duration in ms in the high half, the timer divisor in the low one.
void tone(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  TokenList& o = ctx.out();
  auto v = static_cast<std::uint32_t>(arg);
  std::uint32_t ticks = v >> 16;
  std::uint32_t count = v & 0xffff;
  if (ticks != 0) {
    o.raw(fmt::format("{}<<16|{}", ticks, count));
  } else {
    o.uint_(count);
  }
  std::uint64_t freq = ticks != 0 && count != 0 ? kPitTickRate / count : 0;
  o.xlat_note(freq != 0 ? fmt::format("{} Hz, {} ms", freq, ticks) : std::string("off"));
}

void io_port(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  ctx.out().hex(arg);
  if (arg >= kGpFirst && arg <= kGpLast) {
    ctx.out().xlat_note(fmt::format("GPFIRST + {}", arg - kGpFirst));
  }
}

void sig_accept(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  if (arg < INT_MAX) {
    ctx.signal(static_cast<std::int64_t>(arg));
  } else {
    ctx.out().uint_(arg);
  }
}

}  // namespace

Res vt(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kKiocSound:
      sound(ctx, arg);
      return Res::Done;
    case kMkTone:
      tone(ctx, arg);
      return Res::Done;
    case kAddIo:
    case kDelIo:
      io_port(ctx, arg);
      return Res::Done;
    case kSigAccept:
      sig_accept(ctx, arg);
      return Res::Done;
    case kGetLed:
    case kSetLed:
    case kGkbLed:
    case kSkbLed:
    case kGkbType:
    case kGetMode:
    case kSetMode:
    case kGkbMode:
    case kSkbMode:
    case kGkbMeta:
    case kSkbMeta:
      return by_value(ctx, code, arg);
    case kEnabIo:
    case kDisabIo:
    case kMapDisp:
    case kUnmapDisp:
    case kPioFontReset:
      return Res::Done;  // no argument
    default: {
      Res r = keys(ctx, code, arg);
      return r != Res::Hex ? r : font(ctx, code, arg);
    }
  }
}

}  // namespace ptk::sys::ioctl
