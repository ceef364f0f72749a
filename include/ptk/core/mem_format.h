// Text forms of tracee memory: xxd-style hexdumps, hex byte strings and addresses typed by a
// user, sizes in human units. Pure functions (no tracee involved).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"

namespace ptk {

inline constexpr std::size_t kHexdumpBytesPerLine = 16;

// Hex digits an address column needs so that every address up to `last` has the same width:
// at least 8 (as xxd), more for a higher address.
int hexdump_address_width(std::uint64_t last);

// Appends the lines of an xxd-style dump of `bytes`, the first at address `addr`:
//   00401000: 4865 6c6c 6f2c 2070 7472 6163 650a 0000  Hello, ptrace...
// 16 bytes a line in groups of two, then the bytes as ASCII ('.' for anything unprintable).
// A short last line is padded so its ASCII column lines up with the others.
void append_hexdump(std::string& out, std::uint64_t addr, std::span<const std::byte> bytes,
                    int address_width);

// Bytes from hex digits: "48656c6c6f", "48 65 6c 6c 6f", "\x48\x65" and an optional "0x" in
// front all work. InvalidArgument, naming the problem, for an odd number of digits, a non-hex
// character or no digit at all.
Result<std::vector<std::byte>> parse_hex_bytes(std::string_view text);

// A tracee address as hex, with or without "0x" ("0x7ffd1000", "401000"). InvalidArgument
// for anything else, or a value past 64 bits.
Result<std::uint64_t> parse_address(std::string_view text);

// A number as a user types it in a location, an offset or a length: decimal, or hex with "0x"
// or "0X" ("123", "0x7b"). nullopt for anything else, or a value past 64 bits.
std::optional<std::uint64_t> parse_number(std::string_view text);

// A byte count: decimal, or hex with "0x"; an optional binary suffix k/K, m/M, g/G.
Result<std::uint64_t> parse_size(std::string_view text);

// "4.0K", "132K", "1.5M", "12G", "512B": as `ls -sh` rounds, one decimal below 10 units.
std::string human_size(std::uint64_t bytes);

}  // namespace ptk
