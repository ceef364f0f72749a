// TraceJob: syscall tracing as an engine part -- sys::Tracer's decoded model, filters and hooks
// (tamper rules, -k stacks) -- so that one run traces syscalls and hits breakpoints or follows
// library calls at once. The sink sees what `ptk trace` prints: syscalls, signals, exits.
//
// Hook delays (SyscallHook::take_delay, tamper's delay_enter/delay_exit) need the tracer's own
// loop (Tracer::run): here they are not taken.
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

 private:
  sys::Tracer tracer_;
};

}  // namespace ptk::engine
