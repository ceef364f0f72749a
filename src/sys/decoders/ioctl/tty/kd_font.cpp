// 'K' requests on what the console draws: screen maps, fonts (GIO_FONT*, KDFONTOP), the
// unicode-to-font map and the colour map. Gets show their buffers at exit, sets at entry.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "kd.h"

namespace ptk::sys::ioctl::kd {
namespace {

constexpr std::uint64_t kScreenMapSize = 256;  // E_TABSZ
// GIO_FONT/PIO_FONT: KDFONTOP's 256 characters of 8x32 pixels.
constexpr std::uint64_t kFontSize = 8192;
constexpr std::uint64_t kCmapSize = 3 * 16;
// Unicode screen map entries that map straight to a font position (linux/kd.h).
constexpr std::uint16_t kUniDirectBase = 0xf000;
constexpr std::uint16_t kUniDirectMask = 0x1ff;
// The kernel caps the fonts it reads and writes at 32 pixels wide and 512 characters.
constexpr std::uint32_t kMaxFontWidth = 32;
constexpr std::uint32_t kMaxFontChars = 512;
constexpr std::uint64_t kMaxFontName = 32;

constexpr std::uint32_t kOpSet = 0;
constexpr std::uint32_t kOpGet = 1;
constexpr std::uint32_t kOpSetDefault = 2;
constexpr std::uint32_t kOpCopy = 3;

// A struct that ends in a pointer: `head` bytes of fields, then the pointer at the tracee's
// word alignment (struct unimapdesc, consolefontdesc, console_font_op).
struct PtrStruct {
  unsigned char head[20] = {};
  std::uint64_t ptr = 0;
};

std::size_t ptr_offset(const DecodeCtx& ctx, std::size_t head) {
  auto word = static_cast<std::size_t>(ctx.word_size());
  return (head + word - 1) / word * word;
}

// Reads it; `print`: as fetch() does, printing NULL or the address when it cannot.
bool read_ptr_struct(DecodeCtx& ctx, std::uint64_t addr, std::size_t head, PtrStruct& v,
                     bool print) {
  // The head rounded up to a word, then the pointer: 32 bytes for the 20-byte head on x86_64.
  unsigned char buf[(sizeof v.head + 7) / 8 * 8 + 8] = {};
  std::size_t off = ptr_offset(ctx, head);
  std::size_t size = off + static_cast<std::size_t>(ctx.word_size());
  if (head > sizeof v.head || size > sizeof buf) return false;
  if (print ? !fetch(ctx, addr, buf, size) : !ctx.read(addr, buf, size)) return false;
  std::memcpy(v.head, buf, head);
  std::memcpy(&v.ptr, buf + off, static_cast<std::size_t>(ctx.word_size()));
  return true;
}

template <typename T>
T field_at(const PtrStruct& v, std::size_t off) {
  T x;
  std::memcpy(&x, v.head + off, sizeof x);
  return x;
}

// A get's buffer at exit, a set's at entry: the bytes in hex, the address after a failure.
Res buffer(DecodeCtx& ctx, bool get, std::uint64_t arg, std::uint64_t len) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  if (failed_exit(ctx)) {
    ctx.out().ptr(arg);
  } else {
    hex_bytes(ctx, arg, len);
  }
  return Res::Done;
}

// GIO_UNISCRNMAP/PIO_UNISCRNMAP: 256 u16 entries; those that name a font position directly
// show it as UNI_DIRECT_BASE+N.
Res uni_screen_map(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  if (get && ctx.entering()) return Res::Exit;
  ctx.arg(2);
  TokenList& o = ctx.out();
  if (failed_exit(ctx) && arg != 0) {
    o.ptr(arg);
    return Res::Done;
  }
  desc::array(ctx, arg, kScreenMapSize, 2, [&](const unsigned char* p) {
    std::uint16_t v;
    std::memcpy(&v, p, sizeof v);
    if ((v & ~kUniDirectMask) != kUniDirectBase) {
      o.hex(v);
    } else {
      o.styled(hex_text(v), "UNI_DIRECT_BASE+" + hex_text(v & kUniDirectMask));
    }
  });
  return Res::Done;
}

// GIO_UNIMAP/PIO_UNIMAP: struct unimapdesc {u16 entry_ct; struct unipair *entries}. The get
// shows the count the kernel stored at exit, and as many entries as the caller had room for.
Res unimap(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  PtrStruct v;
  std::uint64_t count = 0;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!read_ptr_struct(ctx, arg, 2, v, true)) return Res::Done;
    count = field_at<std::uint16_t>(v, 0);
    o.begin_struct();
    field_u(o, "entry_ct", count);
    if (get) {
      ctx.syscall().priv = count;
      return Res::Exit;
    }
  } else {
    // Reread even after a failure: the kernel reports the count it needs with ENOMEM.
    if (!read_ptr_struct(ctx, arg, 2, v, false)) {
      o.ptr(arg);
      o.end_struct();
      return Res::Done;
    }
    o.raw(" => ");
    o.uint_(field_at<std::uint16_t>(v, 0));
    o.raw(", ");
    count = ctx.syscall().priv & ~kExitPending;
  }
  o.field("entries");
  constexpr std::int64_t kEnomem = 12;
  if (failed_exit(ctx) && (ctx.ret() != -kEnomem || (v.ptr != 0 && count != 0))) {
    o.ptr(v.ptr);
  } else {
    desc::array(ctx, v.ptr, count, 4, [&](const unsigned char* p) {
      std::uint16_t pair[2];
      std::memcpy(pair, p, sizeof pair);
      o.begin_struct();
      field_x(o, "unicode", pair[0]);
      field_x(o, "fontpos", pair[1]);
      o.end_struct();
    });
  }
  o.end_struct();
  return Res::Done;
}

// PIO_UNIMAPCLR: struct unimapinit, three u16 hints.
Res unimap_clear(DecodeCtx& ctx, std::uint64_t arg) {
  ctx.arg(2);
  std::uint16_t v[3];
  if (!fetch(ctx, arg, v)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_u(o, "advised_hashsize", v[0]);
  field_u(o, "advised_hashstep", v[1]);
  field_u(o, "advised_hashlevel", v[2]);
  o.end_struct();
  return Res::Done;
}

// GIO_FONTX/PIO_FONTX: struct consolefontdesc {u16 charcount, charheight; char *chardata}; the
// data is an address until the kernel has filled it in.
Res fontx(DecodeCtx& ctx, bool get, std::uint64_t arg) {
  TokenList& o = ctx.out();
  PtrStruct v;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!read_ptr_struct(ctx, arg, 4, v, true)) return Res::Done;
  } else {
    if (ctx.failed() || !read_ptr_struct(ctx, arg, 4, v, false)) return Res::Done;
    o.raw(" => ");
  }
  auto count = field_at<std::uint16_t>(v, 0);
  o.begin_struct();
  field_u(o, "charcount", count);
  field_u(o, "charheight", field_at<std::uint16_t>(v, 2));
  o.field("chardata");
  bool pending = get && ctx.entering();
  if (pending) {
    o.ptr(v.ptr);
  } else {
    hex_bytes(ctx, v.ptr, std::uint64_t{std::min<std::uint32_t>(count, kMaxFontChars)} * 32);
  }
  o.end_struct();
  return pending ? Res::Exit : Res::Done;
}

// KD_FONT_OP_SET_DEFAULT's font name: at most 32 bytes the kernel expects NUL-terminated
// (strace's printstr_ex with QUOTE_0_TERMINATED | QUOTE_EXPECT_TRAILING_0).
void font_name(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  std::size_t limit = ctx.options().string_limit;
  std::size_t want = std::min<std::size_t>(limit + 1, kMaxFontName);
  auto s = ctx.memory().read_string(RemoteAddr(addr), want);
  if (!s.ok() || (!s->terminated && s->bytes.size() < want)) {
    o.ptr(addr);
    return;
  }
  // The last of the 32 bytes is the NUL's place: a name that fills it is cut.
  std::size_t size = std::min(want, limit);
  if (size == kMaxFontName) --size;
  if (s->terminated && s->bytes.size() <= size) {
    o.str(s->bytes);
  } else {
    o.str(std::string_view(s->bytes).substr(0, size), kTruncated);
  }
}

// KDFONTOP: struct console_font_op {u32 op, flags, width, height, charcount; u8 *data}; each
// operation shows the members it uses, the get's data at exit.
Res font_op(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  PtrStruct v;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!read_ptr_struct(ctx, arg, 20, v, true)) return Res::Done;
  } else {
    if (ctx.failed() || !read_ptr_struct(ctx, arg, 20, v, false)) return Res::Done;
    o.raw(" => ");
  }
  auto op = field_at<std::uint32_t>(v, 0);
  auto width = field_at<std::uint32_t>(v, 8);
  auto chars = field_at<std::uint32_t>(v, 16);
  bool sized = op != kOpSetDefault && op != kOpCopy;
  o.begin_struct();
  if (ctx.entering()) {
    o.field("op");
    val(o, "kd_font_ops", op, "KD_FONT_OP_???");
    if (sized) {
      o.field("flags");
      flags(o, "kd_font_flags", field_at<std::uint32_t>(v, 4), "KD_FONT_FLAG_???");
    }
  }
  if (op != kOpCopy) field_u(o, "width", width);
  field_u(o, "height", field_at<std::uint32_t>(v, 12));
  if (sized) field_u(o, "charcount", chars);
  switch (op) {
    case kOpGet:
    case kOpSet:
      o.field("data");
      if (op == kOpGet && ctx.entering()) {
        o.ptr(v.ptr);
      } else {
        std::uint64_t row = (std::min(width, kMaxFontWidth) + 7) / 8;
        hex_bytes(ctx, v.ptr, row * 32 * std::min(chars, kMaxFontChars));
      }
      break;
    case kOpSetDefault:
      if (ctx.entering()) {
        o.field("data");
        font_name(ctx, v.ptr);
      }
      break;
    case kOpCopy:
      break;
    default:
      o.field("data");
      o.ptr(v.ptr);
      break;
  }
  o.end_struct();
  if (op == kOpSet || op == kOpCopy) return Res::Done;
  return ctx.entering() ? Res::Exit : Res::Done;
}

}  // namespace

Res font(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  switch (code) {
    case kGioScrnMap:
    case kPioScrnMap:
      return buffer(ctx, code == kGioScrnMap, arg, kScreenMapSize);
    case kGioFont:
    case kPioFont:
      return buffer(ctx, code == kGioFont, arg, kFontSize);
    case kGioCmap:
    case kPioCmap:
      return buffer(ctx, code == kGioCmap, arg, kCmapSize);
    case kGioUniScrnMap:
    case kPioUniScrnMap:
      return uni_screen_map(ctx, code == kGioUniScrnMap, arg);
    case kGioUnimap:
    case kPioUnimap:
      return unimap(ctx, code == kGioUnimap, arg);
    case kPioUnimapClr:
      return unimap_clear(ctx, arg);
    case kGioFontx:
    case kPioFontx:
      return fontx(ctx, code == kGioFontx, arg);
    case kFontOp:
      return font_op(ctx, arg);
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl::kd
