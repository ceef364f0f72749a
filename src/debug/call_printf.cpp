// printf formats, for the variadic arguments of the printf family in `ptk calls`: which
// arguments each conversion consumes, as C says (C11 7.21.6.1).
#include <string_view>

#include "ptk/debug/call_args.h"

namespace ptk::debug {
namespace {

// The length modifier of a conversion decides between int and long.
ArgType integer_type(bool wide, bool is_signed) {
  if (wide) return is_signed ? ArgType::Long : ArgType::ULong;
  return is_signed ? ArgType::Int : ArgType::UInt;
}

}  // namespace

std::vector<ArgType> format_conversions(std::string_view format, std::size_t max) {
  std::vector<ArgType> out;
  for (std::size_t i = 0; i < format.size() && out.size() < max; ++i) {
    if (format[i] != '%') continue;
    ++i;
    while (i < format.size() &&
           std::string_view("-+ #0'I").find(format[i]) != std::string_view::npos)
      ++i;
    // Width and precision: digits, or '*' taking an int argument.
    for (int part = 0; part < 2 && i < format.size(); ++part) {
      if (part == 1) {
        if (format[i] != '.') break;
        ++i;
      }
      if (i < format.size() && format[i] == '*') {
        out.push_back(ArgType::Int);
        ++i;
      }
      while (i < format.size() && format[i] >= '0' && format[i] <= '9') ++i;
    }
    bool wide = false, long_double = false;
    while (i < format.size() &&
           std::string_view("hlqLjzt").find(format[i]) != std::string_view::npos) {
      wide = wide || format[i] != 'h';
      long_double = long_double || format[i] == 'L';
      ++i;
    }
    if (i >= format.size()) break;
    switch (format[i]) {
      case 'd':
      case 'i':
        out.push_back(integer_type(wide, true));
        break;
      case 'u':
        out.push_back(integer_type(wide, false));
        break;
      case 'x':
      case 'X':
      case 'o':
        out.push_back(ArgType::Hex);
        break;
      case 'c':
        out.push_back(ArgType::Char);
        break;
      case 's':
        out.push_back(ArgType::String);
        break;
      case 'p':
      case 'n':
        out.push_back(ArgType::Ptr);
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A':
        if (long_double) return out;  // 80-bit: neither one word nor one vector slot
        out.push_back(ArgType::Double);
        break;
      case '%':
      case 'm':
        break;
      default:
        return out;  // unknown: the rest cannot be placed
    }
  }
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace ptk::debug
