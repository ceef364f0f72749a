// BreakJob: `ptk break` as an engine part. Its locations are set in every traced process
// (BreakTargets: pending while their library is not loaded, set again after an execve), its
// watchpoints (hardware, in the first process) too; each hit goes to a BreakSink.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/debug/watchpoints.h"
#include "ptk/engine/break_targets.h"
#include "ptk/engine/engine.h"

namespace ptk::engine {

struct BreakJobOptions {
  std::vector<std::string> locations;  // symbol, file:line, lib:symbol, 0xADDR...
  std::vector<std::string> watches;    // SYMBOL|ADDR[:w|rw][:LEN]
  bool once = false;                   // a location is taken out after its first hit
  bool pending = false;                // a location no process has (yet) waits for one
};

// Where a BreakJob's reports go; called on the engine's thread, the thread stopped.
class BreakSink {
 public:
  virtual ~BreakSink() = default;
  // A location that is pending when the job arms (one line, e.g. "libm.so.6:cos: pending").
  virtual void note(std::string_view /*text*/) {}
  // A hit of `location` (its hit count already includes this one). `symbols`: the process's.
  virtual void hit(const BreakLocation& location, const debug::BreakpointHit& hit,
                   const debug::SymbolTable* symbols) = 0;
  // After the hits of one stop were reported (a reader may be waiting for the lines).
  virtual void after_hits() {}
  virtual void watch(const debug::WatchHit& hit) = 0;
};

class BreakJob : public Part {
 public:
  BreakJob(Engine& engine, BreakJobOptions options, BreakSink& sink);

  // Every location as typed, with its hit count.
  const std::vector<BreakLocation>& locations() const { return targets_.locations(); }

  bool uses_breakpoints() const override { return true; }
  Status arm(Engine& engine) override;
  Status on_hit(Engine& engine, const debug::BreakpointHit& hit) override;
  Result<bool> on_other_trap(Engine& engine, const Event& ev) override;
  Status on_thread_start(Engine& /*engine*/, pid_t tid) override {
    return watch_ ? watch_->on_thread_start(tid) : ok_status();
  }
  void on_fork(Engine& engine, pid_t parent_tid, pid_t child) override;
  void on_exec(Engine& engine, const Event& ev) override;
  Status on_new_program(Engine& /*engine*/, pid_t pid, pid_t /*tid*/) override {
    targets_.arm_new_program(pid);
    return ok_status();
  }
  void on_process_gone(Engine& /*engine*/, pid_t pid) override { targets_.on_exit(pid); }
  Status before_detach(Engine& /*engine*/) override {
    return watch_ ? watch_->remove_all() : ok_status();
  }

 private:
  Status set_watches(Engine& engine);

  BreakJobOptions options_;
  BreakSink& sink_;
  BreakTargets targets_;
  std::unique_ptr<debug::Watchpoints> watch_;
};

}  // namespace ptk::engine
