// The data of control messages (struct cmsghdr's payload) by level and type, as strace's
// msghdr.c prints them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "decoders/families.h"

namespace ptk::sys::dec {

// `data` is a copy of the `len` payload bytes read from `data_addr` in the tracee (for the
// printers that read a sockaddr again from there).
void print_cmsg_data(DecodeCtx& ctx, int level, int type, const unsigned char* data,
                     std::size_t len, std::uint64_t data_addr);

}  // namespace ptk::sys::dec
