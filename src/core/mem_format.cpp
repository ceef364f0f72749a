#include "ptk/core/mem_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <iterator>

namespace ptk {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_hex_prefix(std::string_view text) {
  return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

Error invalid(std::string call, std::string hint) {
  return Error(ErrorKind::InvalidArgument, std::move(call), 0, std::move(hint));
}

}  // namespace

int hexdump_address_width(std::uint64_t last) {
  int bits = 64 - std::countl_zero(last | 1);
  return std::max(8, (bits + 3) / 4);
}

void append_hexdump(std::string& out, std::uint64_t addr, std::span<const std::byte> bytes,
                    int address_width) {
  auto it = std::back_inserter(out);
  for (std::size_t line = 0; line < bytes.size(); line += kHexdumpBytesPerLine) {
    std::size_t n = std::min(kHexdumpBytesPerLine, bytes.size() - line);
    fmt::format_to(it, "{:0{}x}:", addr + line, address_width);
    for (std::size_t i = 0; i < kHexdumpBytesPerLine; ++i) {
      if (i % 2 == 0) out += ' ';
      if (i < n) {
        fmt::format_to(it, "{:02x}", static_cast<unsigned>(bytes[line + i]));
      } else {
        out += "  ";
      }
    }
    out += "  ";
    for (std::size_t i = 0; i < n; ++i) {
      auto c = static_cast<unsigned char>(bytes[line + i]);
      out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
    }
    out += '\n';
  }
}

Result<std::vector<std::byte>> parse_hex_bytes(std::string_view text) {
  std::string_view rest = text;
  if (has_hex_prefix(rest)) rest.remove_prefix(2);
  std::vector<std::byte> out;
  int high = -1;  // the first digit of a byte, while waiting for the second
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    // Separators between bytes (never inside one): spaces, colons, commas, "\x".
    if (high < 0 && (c == ' ' || c == ':' || c == ',' || c == '\t')) continue;
    if (high < 0 && c == '\\' && i + 1 < rest.size() && rest[i + 1] == 'x') {
      ++i;
      continue;
    }
    int d = hex_digit(c);
    if (d < 0) {
      return invalid(fmt::format("hex bytes \"{}\"", text),
                     high >= 0 ? fmt::format("'{}' splits a byte: write two digits per byte", c)
                               : fmt::format("'{}' is not a hex digit", c));
    }
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<std::byte>(high * 16 + d));
      high = -1;
    }
  }
  if (high >= 0) {
    return invalid(fmt::format("hex bytes \"{}\"", text),
                   "an odd number of hex digits: write two digits per byte, e.g. 0f not f");
  }
  if (out.empty()) return invalid(fmt::format("hex bytes \"{}\"", text), "no bytes given");
  return out;
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
  int base = 10;
  if (has_hex_prefix(text)) {
    text.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<std::uint64_t> parse_address(std::string_view text) {
  std::string_view digits = text;
  if (has_hex_prefix(digits)) digits.remove_prefix(2);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
  if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size()) {
    return invalid(fmt::format("address \"{}\"", text),
                   "an address is a hex number, e.g. 0x7ffd5c7e1a40");
  }
  if (ec == std::errc::result_out_of_range) {
    return invalid(fmt::format("address \"{}\"", text), "more than 64 bits");
  }
  return value;
}

Result<std::uint64_t> parse_size(std::string_view text) {
  std::string_view digits = text;
  int base = 10;
  if (has_hex_prefix(digits)) {
    digits.remove_prefix(2);
    base = 16;
  }
  int shift = 0;
  if (base == 10 && !digits.empty()) {
    switch (digits.back()) {
      case 'k':
      case 'K':
        shift = 10;
        break;
      case 'm':
      case 'M':
        shift = 20;
        break;
      case 'g':
      case 'G':
        shift = 30;
        break;
      default:
        break;
    }
    if (shift != 0) digits.remove_suffix(1);
  }
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size()) {
    return invalid(fmt::format("size \"{}\"", text),
                   "a size is a number of bytes: 64, 0x40, 4k, 1M");
  }
  if (ec == std::errc::result_out_of_range || (shift != 0 && (value >> (64 - shift)) != 0)) {
    return invalid(fmt::format("size \"{}\"", text), "more than 64 bits");
  }
  return value << shift;
}

std::string human_size(std::uint64_t bytes) {
  static constexpr char kUnits[] = "BKMGTPE";
  if (bytes < 1024) return fmt::format("{}B", bytes);
  // Like ls -h, round up, so that a size never reads smaller than it is.
  int unit = 0;
  std::uint64_t scale = 1;
  while (unit < 6 && bytes / scale >= 1024) {
    scale *= 1024;
    ++unit;
  }
  // Tenths of the unit, rounded up; rem * 10 cannot overflow as rem < scale <= 2^60.
  std::uint64_t whole = bytes / scale;
  std::uint64_t rem = bytes % scale;
  std::uint64_t tenths = whole * 10 + (rem * 10 + scale - 1) / scale;
  if (tenths < 100) return fmt::format("{}.{}{}", tenths / 10, tenths % 10, kUnits[unit]);
  std::uint64_t units = whole + (rem != 0 ? 1 : 0);
  if (units >= 1024 && unit < 6) return fmt::format("1.0{}", kUnits[unit + 1]);
  return fmt::format("{}{}", units, kUnits[unit]);
}

}  // namespace ptk
