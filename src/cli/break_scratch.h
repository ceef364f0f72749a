// The scratch pages of ptk break's breakpoints (BreakpointSet::ScratchAllocator): an mmap run
// in the tracee through ptk_inject. ptk_debug sits below ptk_inject and cannot inject itself,
// so the CLI, which links both, hands it this allocator.
#pragma once

#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::cli {

debug::BreakpointSet::ScratchAllocator scratch_allocator(Session& session);

}  // namespace ptk::cli
