// The scratch pages of ptk_debug's breakpoints (BreakpointSet::ScratchAllocator and
// ScratchReleaser): an mmap and a munmap run in the tracee. ptk_debug sits below ptk_inject
// and cannot inject itself, so whoever links both hands it these.
#pragma once

#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::inject {

// One read+execute anonymous page per call, placed near the breakpoint when the kernel can.
debug::BreakpointSet::ScratchAllocator scratch_page_allocator(Session& session);
// Unmaps such a page through a stopped thread.
debug::BreakpointSet::ScratchReleaser scratch_page_releaser(Session& session);
// Both, set on `bps` (the session must outlive it).
void provide_scratch_pages(debug::BreakpointSet& bps, Session& session);

}  // namespace ptk::inject
