// prctl's values as strace prints them: flag names of arguments and results (left out under
// -X raw where strace leaves them out), vector lengths, the tagged-address control word.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ptk/sys/decode.h"

namespace ptk::sys::prctl_values {

// PR_SET_TAGGED_ADDR_CTRL's word: the enable bit, the MTE check mode, the tag mask.
std::string tagged_addr_text(std::uint64_t v);
// v in hex, 0 as "0".
std::string hex_text(std::uint64_t v);
// The names of v's bits joined by '|', the bits no name takes in hex after them; empty when
// no name matches at all. 0 is the table's name for 0, if it has one.
std::string flag_names(std::string_view table, std::uint64_t v);
// strace's printxval: the name (-X raw: the number in hex), else the number with the unknown
// placeholder in a comment -X raw leaves out.
void pr_xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);
// strace's printflags: an unknown value's placeholder is a note -X raw leaves out.
void pr_xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown);
// A returned value's flag names after " = 0x...", unless none matches or -X raw.
void ret_flags(DecodeCtx& ctx, std::string_view table);
// PR_SVE_SET_VL's and PR_SME_SET_VL's value: its flags by name, then the vector length.
std::string vl_text(std::string_view table, std::uint64_t v);
void vl_arg(TokenList& o, std::string_view table, std::uint64_t v);
// A vector length returned: in hex, with its flags when it has any.
void vl_ret(DecodeCtx& ctx, std::string_view table);

}  // namespace ptk::sys::prctl_values
