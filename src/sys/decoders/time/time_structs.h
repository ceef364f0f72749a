// Struct printers of the time family (timespec, timeval, itimerspec, timex, sigevent, ...),
// found by other families through ctx.structure().
#pragma once

#include <span>

#include "decoders/families.h"

namespace ptk::sys::dec {

std::span<const StructEntry> time_structs();

}  // namespace ptk::sys::dec
