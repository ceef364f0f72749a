// Extensible structs (open_how, clone_args, mount_attr, ...): the kernel accepts a caller's
// struct larger than the one it knows when the extra bytes are zero, so strace shows the bytes
// past the known fields when any of them is not.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys {

// Inside an open struct: the bytes [known, total) at addr as "/* bytes K..T-1 */ "\x..""
// when some are nonzero, "???" when unreadable, nothing when all are zero. Returns true when
// it printed something. `total` is capped at a page, as the kernel reads no more.
bool struct_ext_tail(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t known, std::uint64_t total);

}  // namespace ptk::sys
