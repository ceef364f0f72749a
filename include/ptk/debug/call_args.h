// Arguments and return values of library calls, decoded by a Prototype into values with their
// text: the integer arguments by the ABI (x86_64 SysV: rdi rsi rdx rcx r8 r9, then the stack;
// i386 cdecl: every argument on the stack above the return address), strings read from the
// tracee and quoted as strace quotes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/registers.h"
#include "ptk/core/memory.h"
#include "ptk/debug/call_prototypes.h"

namespace ptk::debug {

struct CallValue {
  ArgType type = ArgType::Hex;
  std::uint64_t raw = 0;  // the register or stack word
  std::string text;       // as shown: 42, "abc"..., 0x7ffd1000, NULL, '\n'
};

struct CallFormat {
  std::size_t string_limit = 32;  // bytes of a string shown before "..."
  std::size_t max_variadic = 8;   // arguments a format may name that are shown
};

// The integer argument `index` (0-based) at the function's first instruction, when every
// argument before it is an integer too.
std::uint64_t call_arg(const Registers& regs, Memory& mem, int index);

// The thread's XSAVE image (Session::get_xstate), for floating-point values: asked for only when
// a prototype or a format has one. An empty span: unknown (the value shows as "?").
using FloatState = std::function<std::span<const std::byte>()>;

// `raw` shown as `type` (strings are read from `mem`; Double and Float: the value's bits).
std::string format_value(ArgType type, std::uint64_t raw, std::size_t word, Memory& mem,
                         const CallFormat& fmt);

// The arguments of a call at its entry, with the variadic ones a Format argument names.
std::vector<CallValue> decode_args(const Prototype& proto, const Registers& regs, Memory& mem,
                                   const CallFormat& fmt, const FloatState& floats = {});
// The return value (rax / eax) at the return address; type Void gives "<void>".
CallValue decode_return(const Prototype& proto, const Registers& regs, Memory& mem,
                        const CallFormat& fmt, const FloatState& floats = {});

// The argument types a printf format consumes, in order (floating point conversions take a
// double: variadic floats are promoted), up to `max` or an unknown conversion.
std::vector<ArgType> format_conversions(std::string_view format, std::size_t max);

// A character as C writes it: 'a', '\n', '\0', '\377'.
std::string quote_char(unsigned char c);

}  // namespace ptk::debug
