// CallsJob: `ptk calls` as an engine part. A CallTracer hooks the library calls of every traced
// process (at its entry point, attached, or after an execve) and hands each call to its
// CallSink; GNU indirect functions are resolved by running their resolver in the tracee.
#pragma once

#include <sys/types.h>

#include "ptk/debug/call_tracer.h"
#include "ptk/engine/engine.h"

namespace ptk::engine {

class CallsJob : public Part {
 public:
  CallsJob(Engine& engine, debug::CallTracerOptions options, debug::CallSink& sink);

  const debug::CallTracer& tracer() const { return tracer_; }

  bool uses_breakpoints() const override { return true; }
  Status arm(Engine& engine) override;
  Status on_hit(Engine& /*engine*/, const debug::BreakpointHit& hit) override {
    return tracer_.on_hit(hit);
  }
  void on_fork(Engine& engine, pid_t parent_tid, pid_t child) override;
  void on_exec(Engine& /*engine*/, const Event& ev) override { tracer_.forget_process(ev.pid); }
  Status on_new_program(Engine& /*engine*/, pid_t /*pid*/, pid_t tid) override {
    return tracer_.add_process(tid, true);
  }
  void on_exit(Engine& /*engine*/, const Event& ev) override { tracer_.on_thread_exit(ev.tid); }
  void on_process_gone(Engine& /*engine*/, pid_t pid) override { tracer_.forget_process(pid); }

 private:
  debug::CallTracer tracer_;
};

}  // namespace ptk::engine
