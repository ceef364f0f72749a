// A syscall written as C: `write(1, "hi\n", 3)`, `mmap(NULL, 4096, 3, 0x22, -1, 0)`,
// `getpid()`. Arguments are integers (decimal, 0x hex, 0 octal, negative), "strings" with C
// escapes (\n \t \\ \" \0 \xHH \ooo ...), or NULL. Parsing is pure: the strings are pushed into
// the tracee, and the name looked up in its ABI, by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"

namespace ptk::inject {

struct SyscallArgExpr {
  enum class Kind : std::uint8_t { Integer, String, Null };
  Kind kind = Kind::Integer;
  std::uint64_t value = 0;  // Integer (two's complement for negative numbers)
  std::string bytes;        // String: the bytes after unescaping, without a terminating NUL
  std::string text;         // as written
};

struct SyscallExpr {
  std::string name;
  std::vector<SyscallArgExpr> args;
  std::string cast;  // a call's leading cast, "(int)getpid()" -> "int"; "" when none
};

// An error names the column and the token where the text stops making sense.
Result<SyscallExpr> parse_syscall_expr(std::string_view text);

// A function call in the same syntax (`ptk call`): the name is a location as
// debug::SymbolTable::resolve reads it ("puts", "libc:puts", "0x401000"), optionally preceded
// by a cast of the result ("(int)getpid()"); arguments may carry casts, which are ignored.
Result<SyscallExpr> parse_call_expr(std::string_view text);

// Names of `candidates` within a small edit distance of `name`, closest first (at most 3):
// for "did you mean ...?".
std::vector<std::string> close_names(std::string_view name,
                                     const std::vector<std::string_view>& candidates);

}  // namespace ptk::inject
