// Argument printers shared by the decoders of the newer syscall families (mount API, SysV
// IPC, quotactl, io_uring, ...): most of their flags and commands are C unsigned ints, of
// which the kernel ignores the upper half of the register.
#pragma once

#include <cstdint>
#include <string_view>

#include "ptk/sys/decode.h"

namespace ptk::sys::afam {

// Argument i's low 32 bits: the value of a C int or unsigned int argument.
inline std::uint32_t u32(const DecodeCtx& ctx, int i) {
  return static_cast<std::uint32_t>(ctx.u(i));
}

// strace's printflags: NAME|NAME|0xrest; the zero entry of the table (or 0) for 0; a value no
// name matches as hex with `unknown` ("MS_???") as a note -Xraw omits.
void xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);
// strace's printxval: the name (its number in hex under -X), else hex and the `unknown` note.
void xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);

// Starts argument i and prints it as flags of `table` (strace's printflags of an unsigned int),
// with `unknown` ("MS_???") as the comment of a value no name matches.
void flags32_arg(DecodeCtx& ctx, int i, std::string_view table, std::string_view unknown);
// Starts argument i and prints it as one value of `table` (printxval of an unsigned int).
void xval32_arg(DecodeCtx& ctx, int i, std::string_view table, std::string_view unknown);
// Starts argument i as a C int in decimal.
void int_arg(DecodeCtx& ctx, int i);
// Starts argument i as a C unsigned int in decimal.
void uint_arg(DecodeCtx& ctx, int i);
// A descriptor where AT_FDCWD means nothing: negative numbers in decimal.
void plain_fd(DecodeCtx& ctx, std::int64_t fd);
// Starts argument i as a descriptor, a directory descriptor, a path, an address.
void fd_arg(DecodeCtx& ctx, int i);
void dirfd_arg(DecodeCtx& ctx, int i);
void path_arg(DecodeCtx& ctx, int i);
void ptr_arg(DecodeCtx& ctx, int i);

// A NUL-terminated string the kernel reads at most `len` bytes of (strace's printstr_ex with
// QUOTE_0_TERMINATED): the bytes before the NUL, or all `len` and "..." when none is a NUL; the
// address when they cannot be read. -s bounds it further.
void bounded_string(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);
// `len` bytes (cut at -s) all in \x form, as strace's QUOTE_FORCE_HEX; the address when
// unreadable.
void hex_buffer(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len);

}  // namespace ptk::sys::afam
