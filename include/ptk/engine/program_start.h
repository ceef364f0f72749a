// Where a spawned program's own code starts, for the commands that must wait until its
// libraries are mapped before they can resolve a location in them (ptk step --from, ptk break).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"
#include "ptk/core/session.h"

namespace ptk::engine {

// The program's entry point (AT_ENTRY of /proc/PID/auxv): by the time it runs, the dynamic
// linker has mapped every library the program needs. nullopt if auxv cannot be read.
std::optional<std::uint64_t> entry_point(pid_t pid, Arch arch);

// Spawns `argv` (ptk's stop signals reset to their defaults in the child), sets `pid`, and
// runs it to the program's entry point, where it stays stopped with no signal pending (ptk
// break, ptk calls). `pid` is set as soon as the program runs, so that a caller whose program
// was killed on the way to its entry (TraceeGone) can still report its end.
Status spawn_to_entry(Session& session, const std::vector<std::string>& argv, pid_t& pid);

}  // namespace ptk::engine
