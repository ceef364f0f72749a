// Prototypes of library functions for `ptk calls`: how to show each integer argument and the
// return value. The built-in ones (common libc functions) are a table of C-like declarations,
// parsed once; functions not in it get one from DWARF when their object has it, or the
// unknown-function prototype (a few arguments and the return value in hex).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"

namespace ptk::debug {

// How a value is shown. Integers and pointers are one integer register or stack word of the
// ABI; Double and Float travel in vector registers (x86_64: xmm0-7, returned in xmm0) or on the
// stack (i386: 8 or 4 bytes, returned in the x87 st(0)).
enum class ArgType : std::uint8_t {
  Void,    // return only: "<void>"
  Int,     // signed 32-bit
  UInt,    // unsigned 32-bit
  Long,    // signed word
  ULong,   // unsigned word (size_t and friends)
  Hex,     // a word in hex
  Oct,     // a mode: 0644
  Char,    // 'a'
  Ptr,     // hex, NULL for 0
  String,  // char*: the string it points to, quoted and cut at the string limit
  Buffer,  // bytes whose count is the next argument (write's buffer): quoted, cut likewise
  Format,  // a printf format: a string, and the variadic arguments it names are shown too
  Func,    // a function pointer: hex
  Double,  // double: 1.5
  Float,   // float
};

std::string_view to_string(ArgType type);
std::optional<ArgType> arg_type_named(std::string_view name);

struct Prototype {
  std::string name;
  ArgType ret = ArgType::Hex;
  std::vector<ArgType> args;
  bool variadic = false;  // "..." after the fixed arguments
  bool noreturn = false;  // never returns (exit, abort): no return breakpoint
  bool guessed = false;   // the unknown-function prototype
};

// One declaration: "RET NAME(TYPE, TYPE, ...)" with an optional trailing "noreturn", TYPE
// from to_string(ArgType), "..." last for variadic functions, "()" for none.
Result<Prototype> parse_prototype(std::string_view line);

// The built-in prototype of a function, or null.
const Prototype* builtin_prototype(std::string_view name);

// For functions nothing is known about: kGuessedArgs arguments and the return value in hex.
inline constexpr int kGuessedArgs = 3;
Prototype guessed_prototype(std::string name);

}  // namespace ptk::debug

namespace ptk::debug {

// Prototypes of the external functions defined in the object at `path`, from its own DWARF
// (DW_TAG_subprogram and its formal parameters: integers by size and sign, double and float,
// char* as a string, function pointers, other pointers). Functions with a parameter or result
// of another kind (long double, structures by value) are left out. Empty without DWARF;
// a separate debug file is not read (libc's is large, and its functions are built in).
std::map<std::string, Prototype, std::less<>> dwarf_prototypes(const std::string& path);

}  // namespace ptk::debug
