// What a Run's callbacks are handed: views of one stop, usable only during the callback (a
// view kept past it raises ptk.Error).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "ptk/core/memory.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/tamper/hook.h"

namespace ptk::py {

class Run;

// A syscall stop under a tamper callback (tamper::SyscallContext).
struct TamperView {
  tamper::SyscallContext* ctx = nullptr;  // null once the callback returned
  tamper::SyscallContext& get() const;
};

// A breakpoint hit.
struct HitView {
  Run* run = nullptr;  // null once the callback returned
  debug::BreakpointHit hit;
  std::string location;
  std::uint64_t hits = 0;
  Memory& memory() const;
};

void register_views(pybind11::module_& m);

}  // namespace ptk::py
