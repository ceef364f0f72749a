// Flag and value tables ("xlat", after strace's name): number <-> symbolic name, as data in
// data/xlat/*.txt, generated into constexpr arrays by tools/gen_xlat.py.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ptk::sys {

struct XlatEntry {
  std::uint64_t value;
  std::string_view name;
};

enum class XlatKind : std::uint8_t {
  Values,  // each number is one name (enums, commands)
  Bits,    // an OR of single- or multi-bit flags
};

struct Xlat {
  std::string_view name;
  XlatKind kind;
  std::span<const XlatEntry> entries;  // in the order of the data file
  // strace's placeholder for a value without a name, shown as a comment after its number:
  // `0x8 /* FSCONFIG_??? */` (data file: #unknown, else the names' common prefix).
  std::string_view unknown;
  bool other_decimal = false;  // a value without a name is a signed decimal, no comment (#other)
};

// nullptr when there is no table of that name.
const Xlat* find_xlat(std::string_view name);
// The name of a value, or empty.
std::string_view xlat_name(const Xlat& table, std::uint64_t value);
// The value of a name, for parsing user input (-e signal=, inject error=...).
bool xlat_value(const Xlat& table, std::string_view name, std::uint64_t& value);

}  // namespace ptk::sys
