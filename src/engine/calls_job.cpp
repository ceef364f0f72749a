#include "ptk/engine/calls_job.h"

#include <utility>

#include "ptk/inject/remote_call.h"

namespace ptk::engine {

CallsJob::CallsJob(Engine& engine, debug::CallTracerOptions options, debug::CallSink& sink)
    : tracer_(engine.session(), engine.breakpoints(), std::move(options), sink) {}

Status CallsJob::arm(Engine& engine) {
  // A GNU indirect function's resolver, run in the tracee as the loader runs it: no arguments
  // (x86 resolvers read the CPU features the loader recorded), the implementation's address
  // back.
  Session& session = engine.session();
  tracer_.set_ifunc_resolver([&session](pid_t tid, std::uint64_t resolver) {
    return inject::resolve_ifunc(session, tid, resolver);
  });
  // With -l, a library not loaded yet may come with dlopen while a spawned program runs.
  return tracer_.add_process(engine.pid(), engine.spawned());
}

void CallsJob::on_fork(Engine& engine, pid_t parent_tid, pid_t child) {
  // The child runs on unhooked: said, not fatal.
  if (Status s = tracer_.on_fork(parent_tid, child); !s.ok()) engine.report(s.error());
}

}  // namespace ptk::engine
