// Libraries loaded and unloaded while a process runs (dlopen, dlclose), seen through the
// dynamic loader's debugger interface (<link.h>, struct r_debug): the loader calls the empty
// function at r_debug.r_brk before and after each change of its link map, with r_state saying
// which (RT_ADD / RT_DELETE before, RT_CONSISTENT after). A LibraryWatch keeps one breakpoint
// there, in the caller's BreakpointSet, and at each hit tells what changed.
//
// Use: start() once the loader has run (at the program's entry point, or after attach); for
// each BreakpointSet hit with is_hit(), call on_hit() and then BreakpointSet::step_over() as for
// any breakpoint. on_hit() answers:
//   Unloading: a dlclose is about to unmap objects, but the loader does not say which. The
//     caller removes its breakpoints in every module listed in `unloading` (every object loaded
//     after start(): objects the program was linked with are never unloaded) while they are
//     still mapped, so that no original byte is written back into memory that is gone or
//     reused.
//   Changed: the link map is consistent again; the SymbolTable has been refreshed. `added`
//     lists the objects mapped since the last event, and after an Unloading also those of
//     `unloading` that are still mapped (the caller inserts their breakpoints again);
//     `removed` names the objects gone.
// A statically linked program has no loader: start() fails with NotFound.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug {

struct LibraryEvent {
  enum class Kind : std::uint8_t { None, Unloading, Changed };
  Kind kind = Kind::None;
  std::vector<const Module*> added;      // Changed (pointers into the SymbolTable)
  std::vector<std::string> removed;      // Changed: paths
  std::vector<const Module*> unloading;  // Unloading
};

class LibraryWatch {
 public:
  // Finds r_debug (the loader's _r_debug) in the process of stopped thread `tid`, described by
  // `symbols`, and inserts a breakpoint at r_brk. `symbols` must outlive the watch; it is
  // refreshed at each consistent state.
  static Result<LibraryWatch> start(Session& session, BreakpointSet& bps, SymbolTable& symbols,
                                    pid_t tid);

  pid_t pid() const { return pid_; }
  std::uint64_t address() const { return brk_; }
  bool is_hit(const BreakpointHit& hit) const { return hit.pid == pid_ && hit.address == brk_; }
  Result<LibraryEvent> on_hit(const BreakpointHit& hit);
  // Removes the breakpoint (BreakpointSet::release() removes it too).
  Status stop();

  // After fork, when BreakpointSet::on_fork followed the child (which inherits the breakpoint):
  // the same watch for the child, over the child's own table.
  LibraryWatch for_child(pid_t child, SymbolTable& child_symbols) const;

 private:
  LibraryWatch(Session& s, BreakpointSet& b, SymbolTable& t) : session_(&s), bps_(&b), table_(&t) {}
  std::set<std::string> current_paths() const;

  Session* session_;
  BreakpointSet* bps_;
  SymbolTable* table_;
  pid_t pid_ = 0;
  std::uint64_t r_debug_ = 0, brk_ = 0;
  std::size_t word_ = 8;
  std::set<std::string> initial_;  // objects mapped at start(): never unloaded
  std::set<std::string> known_;    // objects mapped at the last event
  bool after_unload_ = false;
};

}  // namespace ptk::debug
