// One AbiInfo per supported ABI, defined in abi_<name>.cpp. Adding an ABI means adding a file
// here and a case to abi(); no other code changes.
#pragma once

#include "ptk/arch/arch.h"

namespace ptk {

extern const AbiInfo kAbiX86_64;
extern const AbiInfo kAbiI386;

}  // namespace ptk
