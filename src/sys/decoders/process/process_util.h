// Helpers shared by the process and signal decoders: strace's printxval/printflags (with
// their "/* PREFIX_??? */" comments for unknown values), clock ticks, named arguments and
// small bounded reads of tracee words and arrays.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "ptk/sys/decode.h"

namespace ptk::sys::pfam {

// The table's name for v, or empty.
std::string_view xlat_lookup(std::string_view table, std::uint64_t v);
// strace's printxval: the name, else v in hex followed by /* unknown */ ("SIG_???").
void xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);
// Like xval for a C int value: looked up sign-extended (tables hold -1 as all ones), shown
// in hex as the 32-bit value when unknown.
void xval_int(TokenList& o, std::string_view table, std::int32_t v, std::string_view unknown);
// strace's printflags: NAME|NAME|0xrest in table order; 0 as the table's zero entry or "0";
// a nonzero value no name matches as hex with /* unknown */ (no comment when unknown is
// empty, as strace's printflags_in with no default).
void xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);
// The names of v's bits inside an open FlagsBegin, without the remainder; returns the bits
// no name took.
std::uint64_t xflags_names(TokenList& o, std::string_view table, std::uint64_t v);

// strace's printsignal: SIGINT, SIGRT_3, or the number.
void signal_value(TokenList& o, std::int64_t sig);
// clock_t ticks and, when nonzero, the seconds in a comment: 5 /* 0.05 s */.
void clock_ticks(TokenList& o, std::uint64_t ticks);
// A uid or gid of `bits` (16 or 32) bits: the all-ones value prints as -1.
void id_value(TokenList& o, std::uint64_t id, int bits);

// Starts argument `name` and prints "name=" before its value (clone's named arguments).
void named_arg(DecodeCtx& ctx, std::string_view name);
// Index of the syscall table's argument called `name`, or -1.
int arg_index(DecodeCtx& ctx, std::string_view name);

// A word of the tracee's size (4 or 8 bytes), zero-extended; false when unreadable.
bool read_word(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t& v);
// strace's printnum_*: "[value]" of an int/word read at addr, or the address (NULL, an
// unreadable pointer, or the output of a failed call at exit).
void int_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output);
void uint_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output);
// strace's printnum_fd: "[fd]" with -y's details of the descriptor.
void fd_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output);
void ptr_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output);
void ulong_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output);

// strace's print_array: [e0, e1, ...] of n elements of elem_size bytes, each printed by
// `print` from its bytes; NULL for 0, [] for n == 0, the address when the first element is
// unreadable, "..." after -s elements without -v, "... /* 0xaddr */" at an unreadable one.
void print_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                 const std::function<void(const unsigned char*)>& print);

// A decoder that first clears what a previous syscall of the thread may have left in the
// reused DecodedSyscall (more_at_exit, priv); the decoder then sets what it needs.
template <DecoderFn F>
void fresh(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = false;
    ctx.syscall().priv = 0;
  }
  F(ctx);
}

}  // namespace ptk::sys::pfam
