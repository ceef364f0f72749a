// A forked child's first stop, held until its parent's fork event has been handled.
//
// Session hands out a new child's start before its parent's fork event (so that children
// start in the order they were made). But a child begins with its parent's int3 bytes, which
// a BreakpointSet tracks (followed) or scrubs (not followed) only at the fork event: a child
// resumed at its start could run into one first and die of the SIGTRAP. The commands that
// insert breakpoints park such a child here, stopped, and start it once the event is handled.
#pragma once

#include <sys/types.h>

#include <set>

#include "ptk/core/event.h"

namespace ptk::engine {

class ForkOrder {
 public:
  // At a ThreadStart: true when it is the first stop of a new process (not `first_pid`, the
  // one ptk spawned or attached) whose fork event has not been handled; it stays stopped.
  bool park(const Event& ev, pid_t first_pid) {
    if (ev.tid != ev.pid || ev.pid == first_pid || announced_.count(ev.pid) != 0) return false;
    parked_.insert(ev.pid);
    return true;
  }
  // At a Fork, Vfork or Clone event, once handled: true when its child was parked (the caller
  // starts it now).
  bool announce(pid_t child) {
    announced_.insert(child);
    return parked_.erase(child) != 0;
  }
  bool any_parked() const { return !parked_.empty(); }
  // The process is gone: its pid may come back as another child.
  void forget(pid_t pid) { announced_.erase(pid); }

 private:
  std::set<pid_t> announced_, parked_;
};

}  // namespace ptk::engine
