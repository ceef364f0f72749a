// getsockopt/setsockopt: the level, the option and its value, by level and option.
#pragma once

#include "decoders/families.h"

namespace ptk::sys::dec {

void decode_getsockopt(DecodeCtx& ctx);
void decode_setsockopt(DecodeCtx& ctx);

// A constant that -X raw shows in hex (strace's printxval), whatever its size: the name
// inside a one-member flags group, which the renderer prints as hex under -X raw/verbose.
void hex_name(TokenList& o, std::string_view table, std::uint64_t value);

}  // namespace ptk::sys::dec
