// Where a spawned program's own code starts, for the commands that must wait until its
// libraries are mapped before they can resolve a location in them (ptk step --from, ptk break).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "ptk/arch/arch.h"

namespace ptk::cli {

// The program's entry point (AT_ENTRY of /proc/PID/auxv): by the time it runs, the dynamic
// linker has mapped every library the program needs. nullopt if auxv cannot be read.
std::optional<std::uint64_t> entry_point(pid_t pid, Arch arch);

}  // namespace ptk::cli
