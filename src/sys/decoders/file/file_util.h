// Building blocks of the file and memory families: strace's spelling of flags and values with
// the "/* PREFIX_??? */" note for unknown ones, modes, device numbers and dates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decoders/families.h"

namespace ptk::sys::ffam {

// strace's placeholder for a value `table` lacks ("PROT_???"), or empty when strace prints
// none for that table.
std::string_view unknown_of(std::string_view table);

// An OR of flags as strace's printflags: NAME|NAME|0xrest; a nonzero value without any known
// bit is the hex number and the table's placeholder in a comment.
void flags(DecodeCtx& ctx, std::string_view table, std::uint64_t value);
// One value of a table: its name, or the hex number and the placeholder comment.
void xval(DecodeCtx& ctx, std::string_view table, std::uint64_t value);

// open(2) flags: the access mode first (O_RDONLY even when 0), then the other flags.
void open_flags(DecodeCtx& ctx, std::uint64_t value);
// True when the open flags make the kernel read the mode argument.
bool open_takes_mode(std::uint64_t flags);

// A umode_t argument (chmod, mkdir, open): 16 bits in octal, as strace's %#03ho.
void umode(DecodeCtx& ctx, std::uint64_t mode);
// A mode with its file type: S_IFREG|S_ISUID|0644, or octal when the type is unknown.
void symbolic_mode(DecodeCtx& ctx, std::uint32_t mode);
// A device number of the kernel's encoding: makedev(0x8, 0x1).
void device(DecodeCtx& ctx, std::uint64_t dev);

// The local date strace shows next to a time: 2023-11-14T22:13:20.123456789+0000. `frac` is in
// units of 10^-digits seconds (digits 9 for ns, 6 for us, 0 for none). Empty when strace shows
// no comment (the epoch itself, a fraction out of range, a time localtime cannot convert).
std::string date_comment(std::int64_t sec, std::uint64_t frac, int digits);
// Appends the date comment of a time, if any.
void time_note(DecodeCtx& ctx, std::int64_t sec, std::uint64_t frac, int digits);

// Bytes in \x form whatever they are (strace's QUOTE_FORCE_HEX), quoted, "..." after when cut.
std::string hex_string(std::string_view bytes, bool more);

// Argument i as the syscall table says, with unknown flags and values spelled as strace spells
// them and Mode arguments as umode_t.
void arg_value(DecodeCtx& ctx, int i);
// The generic walk with arg_value: inputs at entry, from the first output on at exit.
void decode_table_args(DecodeCtx& ctx);

// A little-endian field of a struct read from the tracee.
template <typename T>
T load(const unsigned char* p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace ptk::sys::ffam
