// `ptk calls` at run time: the CallTracer hooks the process (all or nothing) and turns hits
// into calls; common/breakpoint_run.h starts the process, runs the events and lets it go.
#include "calls/calls_run.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <set>

#include "calls/calls_render.h"
#include "calls/calls_summary.h"
#include "common/breakpoint_run.h"
#include "common/cli_util.h"
#include "ptk/debug/call_tracer.h"
#include "ptk/inject/remote_call.h"

namespace ptk::cli {
namespace {

// A GNU indirect function's resolver, run in the tracee as the loader runs it: no arguments
// (x86 resolvers read the CPU features the loader recorded), the implementation's address back.
debug::CallTracer::IfuncResolver ifunc_resolver(Session& session) {
  return [&session](pid_t tid, std::uint64_t resolver) -> Result<std::uint64_t> {
    return inject::resolve_ifunc(session, tid, resolver);
  };
}

class CallsRun : public BreakpointRun {
 public:
  CallsRun(const CallsOptions& o, std::FILE* out)
      : BreakpointRun("calls", o.follow_forks, o.pid, o.command),
        out_(out),
        summary_mode_(o.summary),
        printer_(out, {.json = o.json, .timestamps = o.timestamps, .durations = o.durations}),
        tracer_(session_, bps_, tracer_options(o),
                o.summary ? static_cast<debug::CallSink&>(summary_) : printer_) {}

 private:
  static debug::CallTracerOptions tracer_options(const CallsOptions& o) {
    debug::CallTracerOptions t;
    t.libs = o.libs;
    t.globs = o.globs;
    t.format.string_limit = o.string_limit;
    return t;
  }
  Status arm() override;
  Status on_hit(const debug::BreakpointHit& hit) override;
  Status on_thread_start(pid_t tid) override {
    note_thread(tid);
    return ok_status();
  }
  void on_fork(pid_t parent_tid, pid_t child) override;
  void on_exec(const Event& ev) override { tracer_.forget_process(ev.pid); }
  Status on_new_program(pid_t /*pid*/, pid_t tid) override {
    return tracer_.add_process(tid, true);
  }
  void on_exit(const Event& ev) override;
  void on_process_gone(pid_t pid) override { tracer_.forget_process(pid); }
  void on_end(const WaitStatus& end) override;
  void finish(bool interrupted) override;
  bool writes_to_file() const override { return out_ != stderr; }
  void note_thread(pid_t tid);

  std::FILE* out_;
  const bool summary_mode_;
  CallPrinter printer_;
  CallSummary summary_;
  debug::CallTracer tracer_;
  std::set<pid_t> seen_tids_;
  bool end_shown_ = false;  // the program's "+++ exited/killed +++" line
};

Status CallsRun::arm() {
  tracer_.set_ifunc_resolver(ifunc_resolver(session_));
  // With -l, a library not loaded yet may come with dlopen while a spawned program runs.
  return tracer_.add_process(pid_, spawned_);
}

void CallsRun::note_thread(pid_t tid) {
  seen_tids_.insert(tid);
  if (seen_tids_.size() == 2) printer_.prefix_tids();
}

void CallsRun::on_fork(pid_t parent_tid, pid_t child) {
  if (Status s = tracer_.on_fork(parent_tid, child); !s.ok()) fail("calls", s.error());
}

Status CallsRun::on_hit(const debug::BreakpointHit& hit) {
  note_thread(hit.tid);
  return tracer_.on_hit(hit);
}

void CallsRun::on_exit(const Event& ev) {
  if (ev.tid == ev.pid && tracer_.traces(ev.pid) && !summary_mode_) {
    if (ev.kind == EventKind::Exited) {
      printer_.exited(ev.tid, ev.exit_code);
    } else {
      printer_.killed(ev.tid, ev.signal);
    }
    if (ev.tid == pid_) end_shown_ = true;
  }
  tracer_.on_thread_exit(ev.tid);
}

void CallsRun::on_end(const WaitStatus& end) {
  // The program's end was reported to an operation under way (a resolver call in it, say),
  // not to the event loop: shown all the same.
  if (end_shown_ || summary_mode_) return;
  end_shown_ = true;
  if (end.kind() == WaitStatus::Kind::Exited) {
    printer_.exited(pid_, end.exit_code());
  } else {
    printer_.killed(pid_, end.term_signal());
  }
}

void CallsRun::finish(bool interrupted) {
  printer_.finish();
  if (summary_mode_) std::fputs(summary_.table().c_str(), out_);
  if (interrupted) return;
  for (const std::string& g : tracer_.unmatched_globs()) {
    fmt::print(stderr, "ptk calls: warning: -e '{}' matched no traced function\n", g);
  }
  for (const std::string& lib : tracer_.unseen_libs()) {
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
  int code = CallsRun(options, out).run();
  if (out != stderr) std::fclose(out);
  return code;
}

}  // namespace ptk::cli
