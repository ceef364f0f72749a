// The arguments of the 'E' requests (linux/input.h): reads are shown at exit, writes at entry.
#include <algorithm>
#include <cstring>
#include <vector>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kGetVersion = 0x80044501;
constexpr std::uint32_t kGetEffects = 0x80044584;
constexpr std::uint32_t kGetId = 0x80084502;
constexpr std::uint32_t kGetRep = 0x80084503;
constexpr std::uint32_t kGetKeycode = 0x80084504;
constexpr std::uint32_t kGetKeycodeV2 = 0x80284504;
constexpr std::uint32_t kSetRep = 0x40084503;
constexpr std::uint32_t kSetKeycode = 0x40084504;
constexpr std::uint32_t kSetKeycodeV2 = 0x40284504;
constexpr std::uint32_t kRemoveFf = 0x40044581;
constexpr std::uint32_t kGrab = 0x40044590;
constexpr std::uint32_t kRevoke = 0x40044591;
constexpr std::uint32_t kSetClockId = 0x400445a0;
constexpr std::uint32_t kSetFf64 = 0x40304580;  // struct ff_effect holds a pointer:
constexpr std::uint32_t kSetFf32 = 0x402c4580;  // 48 bytes on x86_64, 44 on i386

// A bitmap's table of bit names, its highest bit number (the *_MAX of input-event-codes.h)
// and its placeholder.
struct Bits {
  std::string_view table;
  std::uint32_t max;
  std::string_view unknown;
};

// EVIOCGBIT(type, len): the bitmap of that event type's codes (type 0: of the types).
const Bits* type_bits(std::uint32_t type) {
  // By type number: the types themselves (0, where EV_SYN would be), then EV_KEY..EV_SW.
  static constexpr Bits kTypes[] = {
      {"evdev_types", 0x1f, "EV_???"}, {"evdev_keycodes", 0x2ff, "KEY_???"},
      {"evdev_rel", 0x0f, "REL_???"},  {"evdev_abs", 0x3f, "ABS_???"},
      {"evdev_misc", 0x07, "MSC_???"}, {"evdev_switch", 0x10, "SW_???"},
  };
  static constexpr Bits kLed = {"evdev_leds", 0x0f, "LED_???"};
  static constexpr Bits kSnd = {"evdev_snd", 0x07, "SND_???"};
  static constexpr Bits kRep = {"evdev_autorepeat", 0x01, "REP_???"};
  static constexpr Bits kFf = {"evdev_ff_types", 0x7f, "FF_???"};
  static constexpr Bits kFfStatus = {"evdev_ff_status", 0x01, "FF_STATUS_???"};
  switch (type) {
    case 0:
      return &kTypes[0];
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return &kTypes[type];
    case 0x11:
      return &kLed;
    case 0x12:
      return &kSnd;
    case 0x14:
      return &kRep;
    case 0x15:
      return &kFf;
    case 0x17:
      return &kFfStatus;
    default:
      return nullptr;
  }
}

// A bitmap the kernel wrote (the return value is its length in bytes): the set bits by name,
// at most four without -v, then the words in hex (-X raw/verbose only).
void bitset(DecodeCtx& ctx, std::uint64_t arg, const Bits& bits) {
  std::uint64_t rval = static_cast<std::uint64_t>(ctx.ret());
  std::uint64_t nbits = rval > bits.max / 8 ? bits.max : rval * 8;
  auto ws = static_cast<std::uint64_t>(ctx.word_size());
  std::uint64_t size = (nbits + 7) / 8;
  size = (size + ws - 1) / ws * ws;
  TokenList& o = ctx.out();
  if (ctx.failed() || size == 0) {
    o.ptr(arg);
    return;
  }
  std::vector<unsigned char> buf(size);
  if (!ctx.read(arg, buf.data(), size)) {
    o.ptr(arg);
    return;
  }
  auto bit_set = [&](std::uint64_t i) { return (buf[i / 8] >> (i % 8)) & 1; };
  o.begin_names_set();
  int shown = 0;
  for (std::uint64_t i = 0; i < nbits; ++i) {
    if (!bit_set(i)) continue;
    if (shown > 3 && !ctx.options().verbose) {
      o.raw("...");
      break;
    }
    val(o, bits.table, i, bits.unknown);
    ++shown;
  }
  o.end_set();
  o.begin_numbers_array();
  for (std::uint64_t at = 0; at < size; at += ws) {
    std::uint64_t word = 0;
    std::memcpy(&word, buf.data() + at, ws);
    o.hex(word);
  }
  o.end_array();
}

void absinfo(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  // struct input_absinfo: value, minimum, maximum, fuzz, flat, resolution (s32 each); the
  // request's size says how much of it the caller has (resolution came in 2.6.31).
  constexpr std::size_t kOrig = 20;
  constexpr std::size_t kFull = 24;
  std::size_t size = ioc_size(code);
  if (size < kOrig) {
    ctx.out().ptr(arg);
    return;
  }
  std::uint32_t a[6] = {};
  if (!fetch(ctx, arg, a, std::min(size, kFull))) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "value", a[0]);
  field_u(o, "minimum", a[1]);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return;
  }
  field_u(o, "maximum", a[2]);
  field_u(o, "fuzz", a[3]);
  field_u(o, "flat", a[4]);
  bool more = false;
  if (size > kOrig) {
    if (size >= kFull) field_u(o, "resolution", a[5]);
    more = size != kFull;
  }
  o.end_struct(more);
}

void keycode(DecodeCtx& ctx, std::uint64_t arg) {
  std::uint32_t k[2];
  if (!fetch(ctx, arg, k)) return;
  TokenList& o = ctx.out();
  o.begin_array();
  o.uint_(k[0]);
  val(o, "evdev_keycodes", k[1], "KEY_???");
  o.end_array();
}

void keycode_v2(DecodeCtx& ctx, std::uint64_t arg) {
  // struct input_keymap_entry: flags, len (u8), index (u16), keycode (u32), scancode[32].
  unsigned char e[40];
  if (!fetch(ctx, arg, e)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "flags", e[0]);
  field_u(o, "len", e[1]);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return;
  }
  std::uint16_t index = 0;
  std::uint32_t kc = 0;
  std::memcpy(&index, e + 2, 2);
  std::memcpy(&kc, e + 4, 4);
  field_u(o, "index", index);
  o.field("keycode");
  val(o, "evdev_keycodes", kc, "KEY_???");
  o.field("scancode");
  o.begin_array();
  for (int i = 8; i < 40; ++i) o.hex(e[i]);
  o.end_array();
  o.end_struct();
}

void id(DecodeCtx& ctx, std::uint64_t arg) {
  std::uint16_t v[4];  // struct input_id
  if (!fetch(ctx, arg, v)) return;
  static constexpr std::string_view kNames[] = {"bustype", "vendor", "product", "version"};
  TokenList& o = ctx.out();
  o.begin_struct();
  for (int i = 0; i < 4; ++i) field_u(o, kNames[i], v[i]);
  o.end_struct();
}

void mtslots(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  std::uint32_t n = ioc_size(code) / 4;
  std::uint32_t slot_code = 0;
  if (n == 0) {
    ctx.out().ptr(arg);
    return;
  }
  if (!fetch(ctx, arg, slot_code)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("code");
  val(o, "evdev_mtslots", slot_code, "ABS_MT_???");
  o.field("values");
  desc::array(ctx, arg + 4, n - 1, 4, [&](const unsigned char* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    o.int_(v);
  });
  o.end_struct();
}

void int_pair(DecodeCtx& ctx, std::uint64_t arg) {
  std::uint32_t v[2];
  if (!fetch(ctx, arg, v)) return;
  ctx.out().begin_array();
  ctx.out().uint_(v[0]);
  ctx.out().uint_(v[1]);
  ctx.out().end_array();
}

void read_arg(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  std::uint32_t v = 0;
  switch (code) {
    case kGetVersion:
    case kGetEffects:
      if (fetch(ctx, arg, v)) {
        o.begin_array();
        if (code == kGetVersion) {
          o.hex(v);
        } else {
          o.uint_(v);
        }
        o.end_array();
      }
      return;
    case kGetId:
      return id(ctx, arg);
    case kGetRep:
      return int_pair(ctx, arg);
    case kGetKeycode:
      return keycode(ctx, arg);
    case kGetKeycodeV2:
      return keycode_v2(ctx, arg);
    default:
      break;
  }
  static constexpr Bits kProps = {"evdev_props", 0x1f, "PROP_???"};
  static constexpr Bits kKeys = {"evdev_keycodes", 0x2ff, "KEY_???"};
  static constexpr Bits kLeds = {"evdev_leds", 0x0f, "LED_???"};
  static constexpr Bits kSnd = {"evdev_snd", 0x07, "SND_???"};
  static constexpr Bits kSw = {"evdev_switch", 0x10, "SW_???"};
  std::uint32_t nr = ioc_nr(code);
  switch (nr) {
    case 0x0a:
      return mtslots(ctx, code, arg);
    case 0x06:  // EVIOCGNAME, EVIOCGPHYS, EVIOCGUNIQ: as many bytes as returned
    case 0x07:
    case 0x08:
      if (ctx.failed()) {
        o.ptr(arg);
      } else {
        ctx.buffer(arg, static_cast<std::uint64_t>(ctx.ret()));
      }
      return;
    case 0x09:
      return bitset(ctx, arg, kProps);
    case 0x18:
      return bitset(ctx, arg, kKeys);
    case 0x19:
      return bitset(ctx, arg, kLeds);
    case 0x1a:
      return bitset(ctx, arg, kSnd);
    case 0x1b:
      return bitset(ctx, arg, kSw);
    default:
      break;
  }
  if ((nr & ~0x3fu) == 0x40) return absinfo(ctx, code, arg);
  if ((nr & ~0x1fu) == 0x20) {
    std::uint32_t type = nr & 0x1f;
    if (type == 0x16) {  // EV_PWR has no codes: an int
      desc::num_int(ctx, arg);
      return;
    }
    const Bits* bits = type_bits(type);
    if (bits != nullptr) return bitset(ctx, arg, *bits);
  }
  o.ptr(arg);
}

}  // namespace

Res evdev(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (ioc_dir(code) == kIocRead) {
    if (ctx.entering()) return Res::Exit;
    ctx.arg(2);
    read_arg(ctx, code, arg);
    return Res::Done;
  }
  if (ioc_dir(code) != kIocWrite) return Res::Hex;
  ctx.arg(2);
  TokenList& o = ctx.out();
  switch (code) {
    case kSetRep:
      int_pair(ctx, arg);
      break;
    case kSetKeycode:
      keycode(ctx, arg);
      break;
    case kSetKeycodeV2:
      keycode_v2(ctx, arg);
      break;
    case kRemoveFf:
      o.int_(static_cast<std::int32_t>(arg));
      break;
    case kGrab:
    case kRevoke:
      o.uint_(arg);
      break;
    case kSetClockId:
      desc::num_uint(ctx, arg);
      break;
    default:
      if (code == (ctx.word_size() == 4 ? kSetFf32 : kSetFf64)) {
        ff_effect(ctx, arg);
      } else if ((ioc_nr(code) & ~0x3fu) == 0xc0) {
        absinfo(ctx, code, arg);
      } else {
        o.ptr(arg);
      }
      break;
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
