// The V4L2 value printers: rectangles, fractions, fourcc codes, and the values strace composes
// from several tables (buffer flags, control ids), spelled out per -X style.
#include <fmt/format.h>

#include "v4l2.h"

namespace ptk::sys::ioctl::vid {
namespace {

// A value of `table` as printxval spells it in abbrev and verbose style.
struct Styled {
  std::string abbrev;
  std::string verbose;
};

Styled xval_styled(std::string_view table, std::uint64_t v, std::string_view unknown) {
  std::string_view n = name_of(table, v);
  std::string num = hex_text(v);
  if (n.empty()) {
    std::string s = fmt::format("{} /* {} */", num, unknown);
    return {s, s};
  }
  return {std::string(n), fmt::format("{} /* {} */", num, n)};
}

// printflags: NAME|NAME|0xrest, a number without known bits with the placeholder.
Styled flags_styled(std::string_view table, std::uint64_t v, std::string_view unknown) {
  const Xlat* x = find_xlat(table);
  std::string names;
  std::uint64_t rest = v;
  if (x != nullptr && v != 0) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 || (rest & e.value) != e.value) continue;
      if (!names.empty()) names += '|';
      names += e.name;
      rest &= ~e.value;
    }
  }
  std::string num = hex_text(v);
  if (names.empty()) {
    std::string s = v == 0 ? num : fmt::format("{} /* {} */", num, unknown);
    return {s, s};
  }
  if (rest != 0) names += '|' + hex_text(rest);
  return {names, fmt::format("{} /* {} */", num, names)};
}

void join(Styled& to, const Styled& part) {
  if (!to.abbrev.empty()) {
    to.abbrev += '|';
    to.verbose += '|';
  }
  to.abbrev += part.abbrev;
  to.verbose += part.verbose;
}

// strace's print_char with quotes: printable characters as themselves (quote and backslash
// escaped), others as \xNN.
std::string quoted_char(unsigned char c) {
  if (c >= ' ' && c < 0x7f) {
    if (c == '\'' || c == '\\') return fmt::format("'\\{}'", static_cast<char>(c));
    return fmt::format("'{}'", static_cast<char>(c));
  }
  return fmt::format("'\\x{:02x}'", c);
}

}  // namespace

void next(TokenList& o, std::string_view name) {
  o.raw(", ");
  o.field(name);
}

void changed_struct(TokenList& o) {
  o.end_struct();
  o.raw(" => ");
  o.begin_struct();
}

void rect(TokenList& o, const Rect& r) {
  o.begin_struct();
  field_i(o, "left", r.left);
  field_i(o, "top", r.top);
  field_u(o, "width", r.width);
  field_u(o, "height", r.height);
  o.end_struct();
}

void fract(TokenList& o, const Fract& f) {
  o.raw(fmt::format("{}/{}", f.numerator, f.denominator));
}

void kernel_version(TokenList& o, std::uint32_t v) {
  o.styled(hex_text(v),
           fmt::format("KERNEL_VERSION({}, {}, {})", v >> 16, (v >> 8) & 0xff, v & 0xff));
}

void fourcc(TokenList& o, std::uint32_t v, std::string_view table) {
  std::string s = fmt::format("v4l2_fourcc({}, {}, {}, {})", quoted_char(v & 0xff),
                              quoted_char((v >> 8) & 0xff), quoted_char((v >> 16) & 0xff),
                              quoted_char(v >> 24));
  std::string_view n = table.empty() ? std::string_view() : name_of(table, v);
  if (!n.empty()) s += fmt::format(" /* {} */", n);
  o.styled(hex_text(v), s, s);
}

void buf_flags(TokenList& o, std::uint32_t v) {
  constexpr std::uint32_t kTimestampMask = 0xe000;
  constexpr std::uint32_t kTstampSrcMask = 0x70000;
  std::uint32_t rest = v & ~kTimestampMask & ~kTstampSrcMask;
  Styled s;
  if (rest != 0) s = flags_styled("v4l2_buf_flags", rest, "V4L2_BUF_FLAG_???");
  join(s, xval_styled("v4l2_buf_flags_ts_type", v & kTimestampMask, "V4L2_BUF_FLAG_TIMESTAMP_???"));
  join(s, xval_styled("v4l2_buf_flags_ts_src", v & kTstampSrcMask, "V4L2_BUF_FLAG_TSTAMP_SRC_???"));
  o.styled(hex_text(v), s.abbrev, s.verbose);
}

void cid(TokenList& o, std::uint32_t id, bool next_flags) {
  constexpr std::uint32_t kNextMask = 0xc0000000;  // V4L2_CTRL_FLAG_NEXT_CTRL|_NEXT_COMPOUND
  std::uint32_t rest = id;
  Styled s;
  if (next_flags && (id & kNextMask) != 0) {
    s = flags_styled("v4l2_control_query_flags", id & kNextMask, "V4L2_CTRL_FLAG_NEXT_???");
    rest &= ~kNextMask;
  }
  std::string_view n = name_of("v4l2_control_ids", rest);
  if (!n.empty()) {
    join(s, {std::string(n), fmt::format("{} /* {} */", hex_text(rest), n)});
  } else {
    // The class the id falls in (the greatest class value not above it), when within it.
    const Xlat* classes = find_xlat("v4l2_control_classes");
    const XlatEntry* best = nullptr;
    if (classes != nullptr) {
      for (const XlatEntry& e : classes->entries) {
        if (e.value <= rest && (best == nullptr || e.value > best->value)) best = &e;
      }
    }
    if (best != nullptr && rest - best->value < 0x10000) {
      std::string text = fmt::format("{}+{}", best->name, hex_text(rest - best->value));
      join(s, {text, fmt::format("{} /* {} */", hex_text(rest), text)});
    } else {
      std::string text = fmt::format("{} /* V4L2_CID_??? */", hex_text(rest));
      join(s, {text, text});
    }
  }
  o.styled(hex_text(id), s.abbrev, s.verbose);
}

bool array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t size,
           const std::function<void(const unsigned char*)>& elem) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return false;
  }
  if (n == 0) {
    o.begin_array();
    o.end_array();
    return false;
  }
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(n, size, &bytes) || addr + bytes <= addr) {
    o.ptr(addr);
    return false;
  }
  const DecodeOptions& opts = ctx.options();
  std::uint64_t limit = opts.verbose ? n : std::min<std::uint64_t>(n, opts.abbrev_array);
  limit = std::min<std::uint64_t>(limit, opts.max_array);
  unsigned char buf[64];
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t at = addr + i * size;
    if (!ctx.read(at, buf, size)) {
      if (i == 0) {
        o.ptr(addr);
        return false;
      }
      o.raw("...");
      o.comment(hex_text(at));
      o.end_array();
      return false;
    }
    if (i == 0) o.begin_array();
    if (i >= limit) {
      o.end_array(true);
      return true;
    }
    elem(buf);
  }
  o.end_array();
  return true;
}

}  // namespace ptk::sys::ioctl::vid
