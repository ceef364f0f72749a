// `ptk break` at run time: the engine runs the process with a BreakJob (ptk/engine/break_job.h);
// this file renders what it reports.
#include "break/break_run.h"

#include <fmt/format.h>

#include <cstdio>

#include "common/engine_run.h"
#include "ptk/engine/break_job.h"
#include "ptk/engine/tracee_end.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

// The hits as BreakPrinter lines (or only counted, with --count), and the end of the program.
class BreakRender : public engine::BreakSink, public engine::Part {
 public:
  BreakRender(engine::Engine& engine, const BreakOptions& o)
      : o_(o), printer_(engine.session(), o.actions, stdout) {}
  void set_job(const engine::BreakJob& job) { job_ = &job; }

  void note(std::string_view text) override {
    fmt::print(stderr, "ptk break: {}\n", sys::printable(text));
  }
  void hit(const engine::BreakLocation& location, const debug::BreakpointHit& hit,
           const debug::SymbolTable* symbols) override {
    if (!o_.count) printer_.hit(location.spec, hit, location.hits, symbols);
  }
  void after_hits() override {
    if (!o_.count) std::fflush(stdout);  // a reader may wait for the line
  }
  void watch(const debug::WatchHit& wh) override {
    printer_.watch(wh.spec.label, wh.tid, wh.ip, wh.old_value, wh.new_value);
    std::fflush(stdout);
  }
  void on_end(engine::Engine& engine, const WaitStatus& end) override {
    // As gdb does ("Program terminated with signal SIGKILL"): a program that did not end by
    // itself is reported; its exit status is ptk's.
    if (end.kind() == WaitStatus::Kind::Killed) {
      fmt::print(stderr, "ptk break: {}\n",
                 engine::describe_end(engine.pid(), engine.program(), end));
    }
  }
  void finish(engine::Engine& /*engine*/, bool /*interrupted*/) override {
    if (!o_.count || job_ == nullptr) return;
    for (const engine::BreakLocation& l : job_->locations()) printer_.count(l.spec, l.hits);
    std::fflush(stdout);
  }

 private:
  const BreakOptions& o_;
  BreakPrinter printer_;
  const engine::BreakJob* job_ = nullptr;
};

}  // namespace

int run_break(const BreakOptions& options) {
  engine::Engine engine(
      engine_options("break", options.pid, options.command, options.follow_forks));
  BreakRender render(engine, options);
  engine::BreakJob job(engine,
                       {.locations = options.locations,
                        .watches = options.watches,
                        .once = options.once,
                        .pending = options.pending},
                       render);
  render.set_job(job);
  engine.add(job);
  engine.add(render);
  return run_engine("break", engine, false);
}

}  // namespace ptk::cli
