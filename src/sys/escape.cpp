#include "ptk/sys/escape.h"

#include <cstdint>

namespace ptk::sys {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool is_printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

// The length of the well-formed UTF-8 sequence `s` starts with (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_sequence_length(std::string_view s) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (len == 0 || c > 0xf4 || s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((b(i) & 0xc0) != 0x80) return 0;
  }
  if (c == 0xe0 && b(1) < 0xa0) return 0;   // overlong
  if (c == 0xed && b(1) >= 0xa0) return 0;  // surrogate
  if (c == 0xf0 && b(1) < 0x90) return 0;   // overlong
  if (c == 0xf4 && b(1) >= 0x90) return 0;  // past U+10FFFF
  return len;
}

void append_hex(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// Octal with as few digits as needed, but all three when an octal digit follows, so that
// "\1" "7" is not read back as "\17".
void append_octal(std::string& out, unsigned char c, bool digit_next) {
  out += '\\';
  if (digit_next || c >= 64) out += static_cast<char>('0' + (c >> 6));
  if (digit_next || c >= 8) out += static_cast<char>('0' + ((c >> 3) & 7));
  out += static_cast<char>('0' + (c & 7));
}

bool octal_digit_at(std::string_view bytes, std::size_t i) {
  return i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '7';
}

// The body of append_quoted and append_fd_path: strace's string_quote, with `also` the bytes
// escaped on top of the usual ones.
void append_escaped(std::string& out, std::string_view bytes, int xlevel, std::string_view also) {
  bool hex = xlevel == 2;
  if (xlevel == 1) {
    // strace -x: one byte that is neither printable nor white space (\t..\r; \a and \b are
    // not) switches the whole string to hex.
    for (unsigned char c : bytes) {
      if (!is_printable(c) && !(c >= '\t' && c <= '\r')) {
        hex = true;
        break;
      }
    }
  }
  out.reserve(out.size() + bytes.size() + 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (hex) {
      append_hex(out, c);
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (is_printable(c) && also.find(static_cast<char>(c)) == std::string_view::npos) {
      out += static_cast<char>(c);
      continue;
    }
    if (xlevel == 3) {
      append_hex(out, c);  // --strings-in-hex=non-ascii-chars: \x0e where the default has \16
    } else {
      append_octal(out, c, octal_digit_at(bytes, i + 1));
    }
  }
}

}  // namespace

void append_quoted(std::string& out, std::string_view bytes, int xlevel, bool more) {
  out += '"';
  append_escaped(out, bytes, xlevel, {});
  out += '"';
  if (more) out += "...";
}

void append_fd_path(std::string& out, std::string_view path, int xlevel) {
  append_escaped(out, path, xlevel, "<>");
}

void append_printable(std::string& out, std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (is_printable(c)) {
      out += static_cast<char>(c);
    } else {
      append_octal(out, c, octal_digit_at(bytes, i + 1));
    }
  }
}

std::string printable(std::string_view bytes) {
  std::string out;
  append_printable(out, bytes);
  return out;
}

void append_json_string(std::string& out, std::string_view bytes) {
  out += '"';
  std::size_t i = 0;
  auto escape_byte = [&](unsigned char c) {
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  };
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            escape_byte(c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Copy a well-formed UTF-8 sequence as is; anything else byte by byte as \u00XX. The C1
    // controls U+0080..U+009F (0xc2 0x80..0x9f) are escaped too: a terminal may act on them
    // (U+009B is CSI), and \u0080..\u009f is the same string to a JSON reader.
    if (c == 0xc2 && i + 1 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(bytes[i + 1]) <= 0x9f) {
      escape_byte(static_cast<unsigned char>(bytes[i + 1]));
      i += 2;
    } else if (std::size_t len = utf8_sequence_length(bytes.substr(i)); len != 0) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      escape_byte(c);
      ++i;
    }
  }
  out += '"';
}

std::string json_string(std::string_view bytes) {
  std::string out;
  append_json_string(out, bytes);
  return out;
}

}  // namespace ptk::sys
