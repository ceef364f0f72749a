// --tips: what ptk trace says at the end. (The options that act on the run are the engine's:
// ptk/engine/trace_controls.h, ptk/engine/command_start.h.)
#pragma once

#include <string>

namespace ptk::cli {

// --tips: a line about ptk, printed at the end.
std::string tip_of_the_run(unsigned seed);

}  // namespace ptk::cli
