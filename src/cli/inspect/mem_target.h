// The ADDR argument of `ptk mem`: a hex address, or a location in the process's symbols.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ptk/base/result.h"

namespace ptk::cli {

struct MemTarget {
  std::uint64_t address = 0;
  std::string description;  // what a symbol resolved to ("g_count in prog"); empty for hex
};

// "0x7ffd1000" is an address, anywhere (stack, heap, unmapped: the read or write says).
// Anything else is resolved in the symbols of the process (debug::SymbolTable::resolve):
// "g_count", "libc:environ", "main+4", "prog.c:12"; bare hex digits that name no symbol
// ("401000") are an address too. Reads /proc/PID/maps and the ELF files only: the process
// need not be attached.
Result<MemTarget> parse_target(pid_t pid, std::string_view spec);

}  // namespace ptk::cli
