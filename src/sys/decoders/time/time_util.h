// Building blocks shared by the time, network and i386 decoder families: strace's spelling of
// unknown values, the generic argument walk with it, and the time structs other families print
// through (timespec in futex, recvmmsg, ppoll, ...).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decoders/families.h"

namespace ptk::sys::dec {

// strace's placeholder for a value a table lacks: "CLOCK_???" for clockid.
std::string unknown_name(std::string_view table);

// A value of a table: its name, or the hex number and a /* PREFIX_??? */ comment.
void xval(TokenList& out, std::string_view table, std::uint64_t value);
void xval(DecodeCtx& ctx, std::string_view table, std::uint64_t value);
// An OR of flags: NAME|NAME|0xrest; a value without a known bit is hex and the comment.
void xflags(TokenList& out, std::string_view table, std::uint64_t value);
void xflags(DecodeCtx& ctx, std::string_view table, std::uint64_t value);

// Argument i as the generic decoder shows it, with unknown enum and flag values spelled as
// strace spells them.
void arg_value(DecodeCtx& ctx, int i);
// The generic decoder with arg_value: inputs at entry, from the first output on at exit.
void generic_commented(DecodeCtx& ctx);

// Bytes in \x form whatever they are (strace's QUOTE_FORCE_HEX: getrandom, addresses).
std::string hex_quoted(std::string_view bytes, bool more);

// Time structs: `wide` is the 64-bit layout of the *_time64 calls on either ABI, else the
// tracee's own (32-bit longs on i386). Each prints the address when it cannot read it.
void print_timespec(DecodeCtx& ctx, std::uint64_t addr, bool wide);
void print_timeval(DecodeCtx& ctx, std::uint64_t addr);
void print_itimerspec(DecodeCtx& ctx, std::uint64_t addr, bool wide);
void print_itimerval(DecodeCtx& ctx, std::uint64_t addr);
// A UTC-offset date as strace prints it next to a time_t: 2026-11-26T15:00:06+0000.
std::string format_date(std::int64_t t);
// True for the kernel's restart codes: a sleep interrupted by a signal, whose remaining time
// strace shows.
bool is_erestart(const DecodeCtx& ctx);

// The tracee's word (long, pointer) as a signed value read from `bytes`.
std::int64_t read_long(const DecodeCtx& ctx, const unsigned char* bytes);

}  // namespace ptk::sys::dec
