// Where `ptk break`'s locations are, in each traced process: resolved against that process's
// own symbols; pending while the library that defines them is not loaded (a LibraryWatch
// re-resolves them at each dlopen, and takes them out before a dlclose unmaps them); set again
// after an execve, once the new program reaches its entry point (its libraries mapped).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/debug/library_watch.h"
#include "ptk/debug/symbols.h"

namespace ptk::engine {

struct BreakLocation {
  std::string spec;  // as the user typed it
  std::uint64_t hits = 0;
  bool active = true;  // false once removed by --once
  bool set = false;    // inserted in some process at some time
};

class BreakTargets {
 public:
  // `pending`: a location no process has (yet) is pending instead of an error.
  BreakTargets(Session& session, debug::BreakpointSet& bps, std::vector<std::string> specs,
               bool pending);

  // Sets every location in the process ptk spawned (stopped at its entry point) or attached.
  // Fails on a location that cannot be set, unless it is `lib:symbol` of a library not loaded
  // yet (or --pending): those are pending, and `notes` says so (one line each). The caller
  // releases the BreakpointSet on failure.
  Status arm_first(pid_t pid, std::vector<std::string>& notes);
  // A process whose program is not there yet (a command stopped before its execve): its
  // locations are set once its new program reaches its entry point (arm_new_program).
  void track(pid_t pid) { procs_[pid]; }

  // What a hit means for the loader's notification function (dlopen, dlclose). The caller then
  // goes on as for any hit: the user's locations at the address, and the step-over.
  Status on_hit(const debug::BreakpointHit& hit);
  // The user's locations at a hit.
  std::vector<BreakLocation*> locations_at(const debug::BreakpointHit& hit);
  // --once: takes the location out of every process.
  void deactivate(BreakLocation& location);

  // Process lifecycle, after the BreakpointSet's own on_fork / on_exec.
  void on_fork(pid_t parent, pid_t child);  // a followed child
  void on_exec(pid_t pid);                  // forgets the old image's symbols and addresses
  // The new program reached its entry point: its locations are set (as they resolve).
  void arm_new_program(pid_t pid);
  void on_exit(pid_t pid) { procs_.erase(pid); }

  const debug::SymbolTable* symbols(pid_t pid) const;
  const std::vector<BreakLocation>& locations() const { return locs_; }

 private:
  static constexpr std::uint64_t kUnset = 0;
  static constexpr std::uint64_t kGaveUp = ~std::uint64_t{0};  // resolved, but not insertable

  struct Proc {
    std::optional<debug::SymbolTable> symbols;
    std::optional<debug::LibraryWatch> libs;
    std::vector<std::uint64_t> addresses;  // per location: kUnset (pending), kGaveUp, or where
  };

  Status arm(pid_t pid, Proc& p, std::vector<std::string>* notes);
  bool may_wait(const std::string& spec, const debug::SymbolTable& symbols) const;
  Status on_library_event(pid_t pid, Proc& p, const debug::LibraryEvent& ev);

  Session& session_;
  debug::BreakpointSet& bps_;
  std::vector<BreakLocation> locs_;
  bool pending_ = false;
  std::map<pid_t, Proc> procs_;  // node-based: a Proc's SymbolTable never moves (LibraryWatch)
};

}  // namespace ptk::engine
