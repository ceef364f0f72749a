// Building blocks of the file and memory families.
#include "file_util.h"

#include <fmt/format.h>
#include <time.h>

#include <utility>

namespace ptk::sys::ffam {
namespace {

// The placeholders strace prints for unknown values, per table. Tables not listed get none
// (strace passes no default for them, e.g. fsmagic).
constexpr std::pair<std::string_view, std::string_view> kUnknown[] = {
    {"access_mode", "?_OK"},        {"at_flags", "AT_???"},
    {"dirent_types", "DT_???"},     {"faccessat_flags", "AT_???"},
    {"madvise_advice", "MADV_???"}, {"mlock_flags", "MLOCK_???"},
    {"mlockall_flags", "MCL_???"},  {"mmap_flags", "MAP_???"},
    {"mmap_prot", "PROT_???"},      {"mremap_flags", "MREMAP_???"},
    {"msync_flags", "MS_???"},      {"open_resolve_flags", "RESOLVE_???"},
    {"rename_flags", "RENAME_??"},  // sic: strace's renameat2 placeholder has two marks
    {"statfs_flags", "ST_???"},     {"statx_attrs", "STATX_ATTR_???"},
    {"statx_mask", "STATX_???"},
};

constexpr std::uint64_t kOpenAccMode = 3;
constexpr std::uint64_t kOpenCreat = 0100;
constexpr std::uint64_t kOpenTmpfileBit = 020000000;  // __O_TMPFILE

void emit_unknown(DecodeCtx& ctx, std::string_view table, std::uint64_t value) {
  ctx.out().hex(value);
  std::string_view note = unknown_of(table);
  if (!note.empty()) ctx.out().xlat_note(note);
}

// The named bits of `value` and the hex remainder, inside an open flags group. Returns false
// when no bit has a name; the remainder is then emitted only with `force_rest`.
bool emit_bits(TokenList& o, const Xlat& x, std::uint64_t value, bool force_rest) {
  std::uint64_t rest = value;
  bool any = false;
  for (const XlatEntry& e : x.entries) {
    if (e.value == 0 || (rest & e.value) != e.value) continue;
    o.name(e.name, e.value);
    rest &= ~e.value;
    any = true;
  }
  if (rest != 0 && (any || force_rest)) o.hex(rest);
  return any;
}

}  // namespace

std::string_view unknown_of(std::string_view table) {
  for (const auto& [name, note] : kUnknown) {
    if (name == table) return note;
  }
  return {};
}

void flags(DecodeCtx& ctx, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  TokenList& o = ctx.out();
  if (x == nullptr) {
    o.hex(value);
    return;
  }
  if (value == 0) {
    std::string_view zero = xlat_name(*x, 0);
    if (zero.empty()) {
      o.hex(0);
    } else {
      o.name(zero, 0);
    }
    return;
  }
  std::size_t mark = o.size();
  o.begin_flags();
  if (!emit_bits(o, *x, value, false)) {
    o.truncate(mark);
    emit_unknown(ctx, table, value);
    return;
  }
  o.end_flags();
}

void xval(DecodeCtx& ctx, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (!n.empty()) {
    ctx.out().name(n, value, kHexValue);  // raw: as an unknown one, in hex
  } else {
    emit_unknown(ctx, table, value);
  }
}

bool open_takes_mode(std::uint64_t flags) { return (flags & (kOpenCreat | kOpenTmpfileBit)) != 0; }

void open_flags(DecodeCtx& ctx, std::uint64_t value) {
  TokenList& o = ctx.out();
  o.begin_flags();
  const Xlat* modes = find_xlat("open_access_modes");
  std::string_view acc = modes != nullptr ? xlat_name(*modes, value & kOpenAccMode) : "";
  std::uint64_t rest = value;
  if (!acc.empty()) {
    o.name(acc, value & kOpenAccMode);
    rest &= ~kOpenAccMode;
  }
  if (rest != 0) {
    if (const Xlat* x = find_xlat("open_flags")) {
      emit_bits(o, *x, rest, true);
    } else {
      o.hex(rest);
    }
  }
  o.end_flags();
}

void umode(DecodeCtx& ctx, std::uint64_t mode) { ctx.out().oct(mode & 0xffff); }

void symbolic_mode(DecodeCtx& ctx, std::uint32_t mode) {
  constexpr std::uint32_t kFmt = 0170000, kSuid = 04000, kSgid = 02000, kSvtx = 01000;
  TokenList& o = ctx.out();
  std::string number = fmt::format("{:#03o}", mode);
  std::string_view type;
  if (mode & kFmt) {
    const Xlat* x = find_xlat("file_types");
    type = x != nullptr ? xlat_name(*x, mode & kFmt) : "";
    if (type.empty()) {  // not a file type: the number as it is
      o.raw(number);
      return;
    }
  }
  std::string text(type);
  if (!text.empty()) text += '|';
  if (mode & kSuid) text += "S_ISUID|";
  if (mode & kSgid) text += "S_ISGID|";
  if (mode & kSvtx) text += "S_ISVTX|";
  text += fmt::format("{:#03o}", mode & ~(kFmt | kSuid | kSgid | kSvtx));
  // The octal number with -X raw, both with -X verbose (0100640 /* S_IFREG|0640 */).
  o.styled(number, text);
}

void device(DecodeCtx& ctx, std::uint64_t dev) {
  // The kernel's encoding (new_encode_dev, widened by glibc's 64-bit dev_t layout).
  std::uint64_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~std::uint64_t{0xfff});
  std::uint64_t minor = (dev & 0xff) | ((dev >> 12) & ~std::uint64_t{0xff});
  auto hex = [](std::uint64_t v) { return v == 0 ? std::string("0") : fmt::format("{:#x}", v); };
  // The number with -X raw, both with -X verbose (0xfe00 /* makedev(0xfe, 0) */).
  ctx.out().styled(hex(dev), fmt::format("makedev({}, {})", hex(major), hex(minor & 0xffffffff)));
}

std::string date_comment(std::int64_t sec, std::uint64_t frac, int digits) {
  std::uint64_t max = 0;
  for (int i = 0, p = 1; i < digits; ++i) {
    p *= 10;
    max = static_cast<std::uint64_t>(p) - 1;
  }
  if ((sec == 0 && frac == 0) || frac > max) return {};
  time_t t = static_cast<time_t>(sec);
  struct tm tm {};
  if (static_cast<std::int64_t>(t) != sec || localtime_r(&t, &tm) == nullptr) return {};
  char buf[64];
  std::size_t n = strftime(buf, sizeof buf, "%FT%T", &tm);
  if (n == 0) return {};
  std::string out(buf, n);
  if (frac > 0) out += fmt::format(".{:0{}}", frac, digits);
  n = strftime(buf, sizeof buf, "%z", &tm);
  if (n == 0) return {};
  out.append(buf, n);
  return out;
}

void time_note(DecodeCtx& ctx, std::int64_t sec, std::uint64_t frac, int digits) {
  std::string note = date_comment(sec, frac, digits);
  // A date is no name of a number: -X raw keeps it, as strace does.
  if (!note.empty()) ctx.out().comment(note);
}

std::string hex_string(std::string_view bytes, bool more) {
  std::string out = "\"";
  for (char c : bytes) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
  out += '"';
  if (more) out += "...";
  return out;
}

void arg_value(DecodeCtx& ctx, int i) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  const ArgSpec& a = spec.args[static_cast<std::size_t>(i)];
  std::uint64_t v = ctx.value(i);
  switch (a.type) {
    case ArgType::Flags:
      flags(ctx, a.param, v);
      break;
    case ArgType::Enum:
      xval(ctx, a.param, v);
      break;
    case ArgType::Mode:
      umode(ctx, v);
      break;
    default:
      ctx.generic(i);
      break;
  }
}

void decode_table_args(DecodeCtx& ctx) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  int split = spec.nargs;
  for (int i = 0; i < spec.nargs; ++i) {
    ArgType t = spec.args[static_cast<std::size_t>(i)].type;
    if (t == ArgType::OutBuf || t == ArgType::StructOut) {
      split = i;
      break;
    }
  }
  int from = ctx.entering() ? 0 : split;
  int to = ctx.entering() ? split : spec.nargs;
  if (ctx.entering()) ctx.syscall().more_at_exit = split < spec.nargs;
  for (int i = from; i < to; ++i) {
    if (is_high_half(spec, static_cast<std::size_t>(i))) continue;
    ctx.arg(i);
    arg_value(ctx, i);
  }
}

}  // namespace ptk::sys::ffam
