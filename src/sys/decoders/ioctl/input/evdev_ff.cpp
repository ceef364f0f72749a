// EVIOCSFF's struct ff_effect (linux/input.h): a force-feedback effect upload.
#include <cstring>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint16_t kFfRumble = 0x50;
constexpr std::uint16_t kFfPeriodic = 0x51;
constexpr std::uint16_t kFfConstant = 0x52;
constexpr std::uint16_t kFfRamp = 0x57;

std::uint16_t u16_at(const unsigned char* p, std::size_t off) {
  std::uint16_t v;
  std::memcpy(&v, p + off, 2);
  return v;
}
std::int16_t s16_at(const unsigned char* p, std::size_t off) {
  std::int16_t v;
  std::memcpy(&v, p + off, 2);
  return v;
}

void envelope(TokenList& o, const unsigned char* p) {
  o.field("envelope");
  o.begin_struct();
  field_u(o, "attack_length", u16_at(p, 0));
  field_u(o, "attack_level", u16_at(p, 2));
  field_u(o, "fade_length", u16_at(p, 4));
  field_x(o, "fade_level", u16_at(p, 6));
  o.end_struct();
}

void pair_u16(TokenList& o, std::string_view name, const unsigned char* p, std::string_view a,
              std::string_view b) {
  o.field(name);
  o.begin_struct();
  field_u(o, a, u16_at(p, 0));
  field_u(o, b, u16_at(p, 2));
  o.end_struct();
}

}  // namespace

void ff_effect(DecodeCtx& ctx, std::uint64_t arg) {
  // type, id, direction, trigger {button, interval}, replay {length, delay} (u16 each but
  // id), then the union at 16: its periodic member ends with a u32 and a pointer.
  bool wide = ctx.word_size() == 8;
  unsigned char e[48] = {};
  if (!fetch(ctx, arg, e, wide ? 48 : 44)) return;
  TokenList& o = ctx.out();
  std::uint16_t type = u16_at(e, 0);
  o.begin_struct();
  o.field("type");
  val(o, "evdev_ff_types", type, "FF_???");
  field_i(o, "id", s16_at(e, 2));
  field_u(o, "direction", u16_at(e, 4));
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return;
  }
  pair_u16(o, "trigger", e + 6, "button", "interval");
  pair_u16(o, "replay", e + 10, "length", "delay");
  const unsigned char* u = e + 16;
  switch (type) {
    case kFfConstant:
      o.field("constant");
      o.begin_struct();
      field_i(o, "level", s16_at(u, 0));
      envelope(o, u + 2);
      o.end_struct();
      break;
    case kFfRamp:
      o.field("ramp");
      o.begin_struct();
      field_i(o, "start_level", s16_at(u, 0));
      field_i(o, "end_level", s16_at(u, 2));
      envelope(o, u + 4);
      o.end_struct();
      break;
    case kFfPeriodic: {
      o.field("periodic");
      o.begin_struct();
      field_u(o, "waveform", u16_at(u, 0));
      field_u(o, "period", u16_at(u, 2));
      field_i(o, "magnitude", s16_at(u, 4));
      field_i(o, "offset", s16_at(u, 6));
      field_u(o, "phase", u16_at(u, 8));
      envelope(o, u + 10);
      std::uint32_t len = 0;
      std::uint64_t data = 0;
      std::memcpy(&len, u + 20, 4);
      std::memcpy(&data, u + 24, wide ? 8 : 4);
      field_u(o, "custom_len", len);
      o.field("custom_data");
      o.ptr(data);
      o.end_struct();
      break;
    }
    case kFfRumble:
      pair_u16(o, "rumble", u, "strong_magnitude", "weak_magnitude");
      break;
    default:
      break;
  }
  o.end_struct();
}

}  // namespace ptk::sys::ioctl
