// 'K' requests on the keyboard's tables: keymap entries, function key strings, diacritics,
// scancode-to-keycode entries and the repeat rate. The get requests show what the caller
// filled in at entry and the rest at exit, inside the same braces.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "kd.h"

namespace ptk::sys::ioctl::kd {
namespace {

// The key types (KTYP) whose values are characters.
constexpr unsigned kTypeLatin = 0;
constexpr unsigned kTypeMeta = 8;
constexpr unsigned kTypeLetter = 11;
constexpr unsigned kTypeDead2 = 13;
constexpr unsigned kTypeFn = 1;

// The entries of struct kbdiacrs and kbdiacrsuc (the kernel's MAX_DIACR).
constexpr std::uint32_t kMaxDiacr = 256;
// struct kbsentry's string.
constexpr std::size_t kFuncString = 512;

// kb_table when it is no keymap of its own: a set of modifiers, named by bit (KG_*).
constexpr NamedBit kModifiers[] = {
    {0, "1<<KG_SHIFT"},  {1, "1<<KG_ALTGR"},  {2, "1<<KG_CTRL"},  {3, "1<<KG_ALT"},
    {4, "1<<KG_SHIFTL"}, {5, "1<<KG_SHIFTR"}, {6, "1<<KG_CTRLL"}, {7, "1<<KG_CTRLR"},
};

// A character as C spells it in single quotes: 'a', '\n', '\'', '\x7f'.
std::string char_text(unsigned char c) {
  std::string s = "'";
  if (c >= ' ' && c < 0x7f) {
    if (c == '\'' || c == '\\') s += '\\';
    s += static_cast<char>(c);
  } else if (c >= '\t' && c <= '\r') {
    s += '\\';
    s += "tnvfr"[c - '\t'];
  } else {
    s += fmt::format("\\x{:02x}", c);
  }
  s += '\'';
  return s;
}

// What a keymap entry means: the key's name, else K(type, value) with the value a character
// for the types that hold one.
std::string key_text(std::uint16_t v) {
  std::string_view name = name_of("kd_keys", v);
  if (!name.empty()) return std::string(name);
  unsigned type = v >> 8;
  unsigned kval = v & 0xff;
  std::string_view type_name = name_of("kd_key_types", type);
  bool is_char =
      type == kTypeLatin || type == kTypeMeta || type == kTypeLetter || type == kTypeDead2;
  return fmt::format("K({}, {})", type_name.empty() ? hex_text(type) : std::string(type_name),
                     is_char ? char_text(static_cast<unsigned char>(kval)) : hex_text(kval));
}

// At exit the entry's open struct goes on: the tokens of the exit render apart from the
// entry's (outside its braces), so the separator is spelled out.
void next_field(DecodeCtx& ctx) {
  if (ctx.exiting()) ctx.out().raw(", ");
}

// KDGKBENT/KDSKBENT: struct kbentry {u8 kb_table, kb_index; u16 kb_value}.
Res entry(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(2);
    std::uint8_t head[2];
    if (!fetch(ctx, arg, head, sizeof head)) return Res::Done;
    o.begin_struct();
    o.field("kb_table");
    std::string_view table = name_of("kd_key_tables", head[0]);
    if (!table.empty()) {
      o.name_hex(table, head[0]);
    } else {
      bit_flags(o, kModifiers, head[0], "K_???");
    }
    field_u(o, "kb_index", head[1]);
    if (get) return Res::Exit;
  } else if (ctx.failed()) {
    o.end_struct();
    return Res::Done;
  }
  next_field(ctx);
  std::uint16_t value = 0;
  if (ctx.read(arg + 2, value)) {
    field_x(o, "kb_value", value);
    o.xlat_note(key_text(value));
  } else {
    o.field("kb_value");
    o.raw("???");
  }
  o.end_struct();
  return Res::Done;
}

// KDGKBSENT/KDSKBSENT: struct kbsentry {u8 kb_func; u8 kb_string[512]}.
Res func_string(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(2);
    std::uint8_t func = 0;
    if (!fetch(ctx, arg, func)) return Res::Done;
    o.begin_struct();
    o.field("kb_func");
    std::string_view name = name_of("kd_keys", kTypeFn << 8 | func);
    if (!name.empty()) {
      o.name_hex(fmt::format("KVAL({})", name), func);
    } else {
      o.hex(func);
      o.xlat_note(
          "KVAL(K_???"
          ")");  // split: no trigraph
    }
    if (get) return Res::Exit;
  } else if (ctx.failed()) {
    o.end_struct();
    return Res::Done;
  }
  next_field(ctx);
  o.field("kb_string");
  auto s = ctx.memory().read_string(RemoteAddr(arg + 1), kFuncString);
  if (!s.ok() || (!s->terminated && s->bytes.size() < kFuncString)) {
    o.raw("???");
  } else {
    // Up to -s bytes; "..." unless the NUL came within them.
    std::size_t limit = ctx.options().string_limit;
    if (s->terminated && s->bytes.size() < limit) {
      o.str(s->bytes);
    } else {
      o.str(std::string_view(s->bytes).substr(0, limit), kTruncated);
    }
  }
  o.end_struct();
  return Res::Done;
}

// KDGKBDIACR(UC)/KDSKBDIACR(UC): a count and up to 256 entries of `size` bytes.
template <typename Elem>
Res diacritics(DecodeCtx& ctx, bool get, std::uint64_t arg, std::string_view name, std::size_t size,
               Elem&& elem) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  std::uint32_t count = 0;
  if (!fetch(ctx, arg, count)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "kb_cnt", count);
  o.field(name);
  std::uint64_t n = std::min(count, kMaxDiacr);
  std::uint64_t shown = desc::array(ctx, arg + 4, n, size, elem);
  // A count past the table's size: strace marks the entries it left out.
  if (count > kMaxDiacr && shown == n) {
    o.truncate(o.size() - 1);
    o.end_array(true);
  }
  o.end_struct();
  return Res::Done;
}

Res diacr(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  return diacritics(ctx, get, arg, "kbdiacr", 3, [&](const unsigned char* p) {
    o.begin_struct();
    o.field("diacr");
    o.raw(char_text(p[0]));
    o.field("base");
    o.raw(char_text(p[1]));
    o.field("result");
    o.raw(char_text(p[2]));
    o.end_struct();
  });
}

Res diacr_uc(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  return diacritics(ctx, get, arg, "kbdiacruc", 12, [&](const unsigned char* p) {
    std::uint32_t v[3];
    __builtin_memcpy(v, p, sizeof v);
    o.begin_struct();
    field_x(o, "diacr", v[0]);
    field_x(o, "base", v[1]);
    field_x(o, "result", v[2]);
    o.end_struct();
  });
}

// KDGETKEYCODE/KDSETKEYCODE: struct kbkeycode {u32 scancode, keycode}; the get shows the
// keycode the kernel stored after " => ".
Res keycode(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(2);
    std::uint32_t v[2];
    if (!fetch(ctx, arg, v)) return Res::Done;
    o.begin_struct();
    field_x(o, "scancode", v[0]);
    field_x(o, "keycode", v[1]);
    if (get) return Res::Exit;
    o.end_struct();
    return Res::Done;
  }
  std::uint32_t code = 0;
  if (!ctx.failed() && ctx.read(arg + 4, code)) {
    o.raw(" => ");
    o.hex(code);
  }
  o.end_struct();
  return Res::Done;
}

void repeat(TokenList& o, const std::int32_t (&v)[2]) {
  o.begin_struct();
  field_i(o, "delay", v[0]);
  field_i(o, "period", v[1]);
  o.end_struct();
}

// KDKBDREP: struct kbd_repeat {int delay, period}, in and out.
Res kbd_repeat(DecodeCtx& ctx, std::uint64_t arg) {
  std::int32_t v[2];
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, v)) return Res::Done;
    repeat(ctx.out(), v);
    return Res::Exit;
  }
  if (ctx.failed() || !ctx.read(arg, v)) return Res::Done;
  ctx.out().raw(" => ");
  repeat(ctx.out(), v);
  return Res::Done;
}

}  // namespace

Res keys(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kGkbEnt:
    case kSkbEnt:
      return entry(ctx, code == kGkbEnt, arg);
    case kGkbSent:
    case kSkbSent:
      return func_string(ctx, code == kGkbSent, arg);
    case kGkbDiacr:
    case kSkbDiacr:
      return diacr(ctx, code == kGkbDiacr, arg);
    case kGkbDiacrUc:
    case kSkbDiacrUc:
      return diacr_uc(ctx, code == kGkbDiacrUc, arg);
    case kGetKeycode:
    case kSetKeycode:
      return keycode(ctx, code == kGetKeycode, arg);
    case kKbdRep:
      return kbd_repeat(ctx, arg);
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl::kd
