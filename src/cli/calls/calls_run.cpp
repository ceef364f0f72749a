// `ptk calls` at run time: the engine runs the process with a CallsJob
// (ptk/engine/calls_job.h); this file renders the calls, the program's end and the summary.
#include "calls/calls_run.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <set>

#include "calls/calls_render.h"
#include "calls/calls_summary.h"
#include "common/cli_util.h"
#include "common/engine_run.h"
#include "ptk/engine/calls_job.h"

namespace ptk::cli {
namespace {

debug::CallTracerOptions tracer_options(const CallsOptions& o) {
  debug::CallTracerOptions t;
  t.libs = o.libs;
  t.globs = o.globs;
  t.format.string_limit = o.string_limit;
  return t;
}

// Added before the CallsJob: a thread is counted before its first call is printed, and a
// process's exit line is printed while the CallTracer still knows it.
class CallsRender : public engine::Part {
 public:
  CallsRender(const CallsOptions& o, std::FILE* out)
      : out_(out),
        summary_mode_(o.summary),
        printer_(out, {.json = o.json, .timestamps = o.timestamps, .durations = o.durations}) {}
  void set_job(const engine::CallsJob& job) { job_ = &job; }
  debug::CallSink& sink() {
    return summary_mode_ ? static_cast<debug::CallSink&>(summary_) : printer_;
  }

  Status on_hit(engine::Engine& /*engine*/, const debug::BreakpointHit& hit) override {
    note_thread(hit.tid);
    return ok_status();
  }
  Status on_thread_start(engine::Engine& /*engine*/, pid_t tid) override {
    note_thread(tid);
    return ok_status();
  }
  void on_exit(engine::Engine& engine, const Event& ev) override;
  void on_end(engine::Engine& engine, const WaitStatus& end) override;
  void finish(engine::Engine& engine, bool interrupted) override;

 private:
  void note_thread(pid_t tid) {
    seen_tids_.insert(tid);
    if (seen_tids_.size() == 2) printer_.prefix_tids();
  }

  std::FILE* out_;
  const bool summary_mode_;
  CallPrinter printer_;
  CallSummary summary_;
  const engine::CallsJob* job_ = nullptr;
  std::set<pid_t> seen_tids_;
  bool end_shown_ = false;  // the program's "+++ exited/killed +++" line
};

void CallsRender::on_exit(engine::Engine& engine, const Event& ev) {
  if (ev.tid == ev.pid && job_->tracer().traces(ev.pid) && !summary_mode_) {
    if (ev.kind == EventKind::Exited) {
      printer_.exited(ev.tid, ev.exit_code);
    } else {
      printer_.killed(ev.tid, ev.signal);
    }
    if (ev.tid == engine.pid()) end_shown_ = true;
  }
}

void CallsRender::on_end(engine::Engine& engine, const WaitStatus& end) {
  // The program's end was reported to an operation under way (a resolver call in it, say),
  // not to the event loop: shown all the same.
  if (end_shown_ || summary_mode_) return;
  end_shown_ = true;
  if (end.kind() == WaitStatus::Kind::Exited) {
    printer_.exited(engine.pid(), end.exit_code());
  } else {
    printer_.killed(engine.pid(), end.term_signal());
  }
}

void CallsRender::finish(engine::Engine& /*engine*/, bool interrupted) {
  printer_.finish();
  if (summary_mode_) std::fputs(summary_.table().c_str(), out_);
  if (interrupted) return;
  for (const std::string& g : job_->tracer().unmatched_globs()) {
    fmt::print(stderr, "ptk calls: warning: -e '{}' matched no traced function\n", g);
  }
  for (const std::string& lib : job_->tracer().unseen_libs()) {
    fmt::print(stderr, "ptk calls: warning: -l {}: the program loaded no such library\n", lib);
  }
}

}  // namespace

std::string check_glob(const std::string& glob) {
  std::string_view g = glob;
  if (g.starts_with('!')) g.remove_prefix(1);
  if (g.empty()) return "an empty pattern";
  // fnmatch takes an unclosed '[' as a plain character: almost surely not what was meant.
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] == '\\') {
      ++i;
    } else if (g[i] == '[') {
      std::size_t close = g.find(']', i + 2);
      if (close == std::string_view::npos) return "'[' without a closing ']'";
      i = close;
    }
  }
  return {};
}

int run_calls(const CallsOptions& options) {
  std::FILE* out = stderr;
  if (!options.output.empty()) {
    out = std::fopen(options.output.c_str(), "we");  // e: O_CLOEXEC, not the program's
    if (out == nullptr) {
      return fail("calls", Error::from_errno(errno, fmt::format("open({})", options.output)));
    }
  }
  engine::Engine engine(
      engine_options("calls", options.pid, options.command, options.follow_forks));
  CallsRender render(options, out);
  engine::CallsJob job(engine, tracer_options(options), render.sink());
  render.set_job(job);
  engine.add(render);
  engine.add(job);
  int code = run_engine("calls", engine, out != stderr);
  if (out != stderr) std::fclose(out);
  return code;
}

}  // namespace ptk::cli
