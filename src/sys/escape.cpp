#include "escape.h"

#include <cstdint>

namespace ptk::sys {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool printable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

void append_hex(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

}  // namespace

void append_quoted(std::string& out, std::string_view bytes, int xlevel, bool more) {
  bool hex = xlevel >= 2;
  if (xlevel == 1) {
    // strace -x: one byte that is neither printable nor one of \a..\r switches the whole
    // string to hex.
    for (unsigned char c : bytes) {
      if (!printable(c) && !(c >= '\a' && c <= '\r')) {
        hex = true;
        break;
      }
    }
  }
  out.reserve(out.size() + bytes.size() + 2);
  out += '"';
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
    if (printable(c)) {
      out += static_cast<char>(c);
      continue;
    }
    // Octal with as few digits as needed, but all three when an octal digit follows, so that
    // "\1" "7" is not read back as "\17".
    out += '\\';
    bool digit_next = i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
    if (digit_next || c >= 64) out += static_cast<char>('0' + (c >> 6));
    if (digit_next || c >= 8) out += static_cast<char>('0' + ((c >> 3) & 7));
    out += static_cast<char>('0' + (c & 7));
  }
  out += '"';
  if (more) out += "...";
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
    // Copy a well-formed UTF-8 sequence as is; anything else byte by byte as \u00XX.
    int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len != 0 && i + len <= bytes.size();
    for (int k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(bytes[i + k]) >> 6) == 2;
    }
    if (ok) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      escape_byte(c);
      ++i;
    }
  }
  out += '"';
}

}  // namespace ptk::sys
