// One AbiInfo per supported ABI, defined in abi_<name>.cpp. Adding an ABI means adding a file
// here, a case to abi() and its syscall column; code that depends on the ABI's behaviour says
// so with a switch over Arch, which the compiler checks for the new case.
#pragma once

#include "ptk/arch/arch.h"

namespace ptk {

extern const AbiInfo kAbiX86_64;
extern const AbiInfo kAbiI386;
extern const AbiInfo kAbiAarch64;

}  // namespace ptk
