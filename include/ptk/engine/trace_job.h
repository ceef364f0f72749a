// TraceJob: syscall tracing as an engine part -- sys::Tracer's decoded model, filters and hooks
// (tamper rules, -k stacks) -- so that one run traces syscalls and hits breakpoints or follows
// library calls at once. The sink sees what `ptk trace` prints: syscalls, signals, exits.
#pragma once

#include <utility>

#include "ptk/engine/engine.h"
#include "ptk/sys/tracer.h"

namespace ptk::engine {

class TraceJob : public Part {
 public:
  TraceJob(Engine& engine, sys::TracerOptions options, sys::TraceSink& sink)
      : tracer_(engine.session(), std::move(options), sink) {}

  sys::Tracer& tracer() { return tracer_; }

  bool wants_syscalls() const override { return true; }
  void observe(Engine& /*engine*/, const Event& ev) override { (void)tracer_.dispatch(ev); }
  bool holds_threads(Engine& /*engine*/) override { return tracer_.drain(); }
  std::chrono::microseconds take_delay(Engine& /*engine*/, pid_t tid) override {
    return tracer_.take_delay(tid);
  }
  void before_wait(Engine& /*engine*/) override { tracer_.before_wait(); }
  void after_wait(Engine& /*engine*/) override { tracer_.after_wait(); }

 private:
  sys::Tracer tracer_;
};

}  // namespace ptk::engine
