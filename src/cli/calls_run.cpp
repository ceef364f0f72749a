// `ptk calls` at run time. The process is spawned (and run to its entry point) or attached;
// the CallTracer hooks it (all or nothing); then each event is handled until the process ends
// or ptk is told to stop, when every breakpoint is removed and an attached process let go.
#include "calls_run.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "break_scratch.h"
#include "calls_render.h"
#include "cli_util.h"
#include "entry_point.h"
#include "fork_order.h"
#include "ptk/debug/call_tracer.h"
#include "ptk/inject/remote_call.h"
#include "stop_signals.h"

namespace ptk::cli {
namespace {

// A GNU indirect function's resolver, run in the tracee as the loader runs it: no arguments
// (x86 resolvers read the CPU features the loader recorded), the implementation's address back.
debug::CallTracer::IfuncResolver ifunc_resolver(Session& session) {
  return [&session](pid_t tid, std::uint64_t resolver) -> Result<std::uint64_t> {
    PTK_ASSIGN_OR_RETURN(inject::CallResult r, inject::remote_call(session, tid, resolver, {}));
    if (!r.returned || r.value == 0) {
      return Error(ErrorKind::Unsupported, fmt::format("run the resolver at {:#x}", resolver));
    }
    return r.value;
  };
}

class CallsRun {
 public:
  CallsRun(const CallsOptions& o, std::FILE* out)
      : o_(o),
        session_(session_options()),
        printer_(out, o.json),
        tracer_(session_, bps_, tracer_options(o), printer_) {}
  int run();

 private:
  static SessionOptions session_options() {
    SessionOptions so;
    so.syscall_stops = SyscallStops::None;
    // Children are always seized, so that the int3 bytes they inherit are handled before they
    // run (followed) or scrubbed (not followed, then let go).
    so.follow_forks = true;
    so.wait_policy = default_wait_policy();
    so.wait_policy.interrupt = stop_flag();
    return so;
  }
  static debug::CallTracerOptions tracer_options(const CallsOptions& o) {
    debug::CallTracerOptions t;
    t.libs = o.libs;
    t.globs = o.globs;
    t.format.string_limit = o.string_limit;
    return t;
  }
  Status start();
  Status handle(const Event& ev);
  Status on_trap(const Event& ev);
  Status on_exec(const Event& ev);
  Status start_child(pid_t tid);
  void note_thread(pid_t tid);
  int let_go();
  void warn_unused();

  const CallsOptions& o_;
  Session session_;
  debug::BreakpointSet bps_{session_};
  CallPrinter printer_;
  debug::CallTracer tracer_;
  std::map<pid_t, std::uint64_t> exec_entries_;  // processes that exec'd: their entry point
  std::set<pid_t> unfollowed_forks_, unfollowed_vforks_, seen_tids_;
  ForkOrder fork_order_;
  pid_t pid_ = 0;
  bool spawned_ = false;
  int exit_code_ = 0;
};

Status CallsRun::start() {
  spawned_ = !o_.command.empty();
  if (spawned_) {
    PTK_ASSIGN_OR_RETURN(pid_, spawn_to_entry(session_, o_.command));
  } else {
    pid_ = o_.pid;
    PTK_TRY(session_.attach(pid_));
  }
  bps_.set_scratch_allocator(scratch_allocator(session_));
  tracer_.set_ifunc_resolver(ifunc_resolver(session_));
  // With -l, a library not loaded yet may come with dlopen while a spawned program runs.
  Status s = tracer_.add_process(pid_, spawned_);
  if (!s.ok()) (void)bps_.release(pid_);
  return s;
}

void CallsRun::note_thread(pid_t tid) {
  seen_tids_.insert(tid);
  if (seen_tids_.size() == 2) printer_.prefix_tids();
}

Status CallsRun::on_exec(const Event& ev) {
  bps_.on_exec(ev.pid);
  tracer_.forget_process(ev.pid);
  if (unfollowed_vforks_.erase(ev.pid) != 0) return session_.detach(ev.pid);
  // The new program's libraries are mapped when it reaches its entry point: hook it there.
  PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(ev.tid));
  auto entry = entry_point(ev.pid, regs.arch());
  if (entry && bps_.insert(ev.tid, *entry).ok()) exec_entries_[ev.pid] = *entry;
  return session_.resume(ev);
}

Status CallsRun::start_child(pid_t tid) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  if (unfollowed_forks_.erase(pid) != 0) return session_.detach(pid);
  note_thread(tid);
  return session_.resume(tid);
}

Status CallsRun::on_trap(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(auto hit, bps_.match(ev));
  if (hit) {
    auto e = exec_entries_.find(hit->pid);
    if (e != exec_entries_.end() && e->second == hit->address) {
      exec_entries_.erase(e);
      (void)bps_.remove(hit->pid, hit->address);
      if (Status s = tracer_.add_process(hit->tid, true); !s.ok()) fail("calls", s.error());
    } else {
      PTK_TRY(tracer_.on_hit(*hit));
    }
    return bps_.step_over(*hit);
  }
  PTK_ASSIGN_OR_RETURN(bool stale, bps_.absorb_stale_trap(ev));
  if (stale) return ok_status();
  return session_.resume(ev);  // the program's own trap: passed on
}

Status CallsRun::handle(const Event& ev) {
  switch (ev.kind) {
    case EventKind::Exited:
    case EventKind::Killed:
      if (ev.tid == pid_)
        exit_code_ = ev.kind == EventKind::Exited ? ev.exit_code : 128 + ev.signal;
      if (ev.tid == ev.pid && tracer_.traces(ev.pid)) {
        if (ev.kind == EventKind::Exited)
          printer_.exited(ev.tid, ev.exit_code);
        else
          printer_.killed(ev.tid, ev.signal);
      }
      tracer_.on_thread_exit(ev.tid);
      if (session_.process(ev.pid) == nullptr) {
        bps_.on_exit(ev.pid);
        tracer_.forget_process(ev.pid);
        fork_order_.forget(ev.pid);
      }
      return ok_status();
    case EventKind::Trap:
      note_thread(ev.tid);
      return on_trap(ev);
    case EventKind::Fork:
    case EventKind::Vfork: {
      // A vfork child shares the parent's memory: its int3 bytes are the parent's, so it is
      // tracked until it execs even when not followed.
      bool vfork = ev.kind == EventKind::Vfork;
      PTK_TRY(bps_.on_fork(ev.pid, ev.new_tid, o_.follow_forks || vfork));
      if (o_.follow_forks) {
        PTK_TRY(tracer_.on_fork(ev.tid, ev.new_tid));
      } else {
        (vfork ? unfollowed_vforks_ : unfollowed_forks_).insert(ev.new_tid);
      }
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    }
    case EventKind::Clone:
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    case EventKind::ThreadStart:
      // A return breakpoint right after fork() is in every child (fork_order.h).
      if (fork_order_.park(ev, pid_)) return ok_status();
      return start_child(ev.tid);
    case EventKind::Exec:
      return on_exec(ev);
    default:
      return session_.resume(ev);
  }
}

void CallsRun::warn_unused() {
  for (const std::string& g : tracer_.unmatched_globs()) {
    fmt::print(stderr, "ptk calls: warning: -e '{}' matched no traced function\n", g);
  }
  for (const std::string& lib : tracer_.unseen_libs()) {
    fmt::print(stderr, "ptk calls: warning: -l {}: the program loaded no such library\n", lib);
  }
}

int CallsRun::let_go() {
  printer_.finish();
  // The stop flag would make every wait of the release return at once.
  WaitPolicy quiet = session_.options().wait_policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  int code = spawned_ ? 128 + SIGINT : 0;
  if (!spawned_) {
    std::vector<pid_t> pids;
    for (const auto& entry : session_.processes()) pids.push_back(entry.first);
    for (pid_t pid : pids) {
      if (Status s = bps_.release(pid); !s.ok()) code = fail("calls", s.error());
    }
    if (Status s = session_.detach_all(); !s.ok()) code = fail("calls", s.error());
    fmt::print(stderr, "ptk calls: Process {} detached\n", pid_);
  }
  return code;
}

int CallsRun::run() {
  install_stop_handlers();
  Status s = start();
  if (s.ok()) s = session_.resume_all();
  if (!s.ok()) {
    if (!spawned_ && session_.process(pid_) != nullptr) (void)session_.detach_all();
    return fail("calls", s.error());
  }
  // Printed once every breakpoint is in: a script may wait for this line.
  if (!spawned_) fmt::print(stderr, "ptk calls: Process {} attached\n", pid_);
  while (!session_.empty()) {
    if (*stop_flag()) return let_go();
    std::optional<Event> ev = bps_.next_deferred();
    if (!ev) {
      auto w = session_.wait();
      if (!w.ok()) {
        if (*stop_flag()) return let_go();
        if (w.error().kind() == ErrorKind::NoSuchProcess) break;
        return fail("calls", w.error());
      }
      ev = *w;
    }
    if (Status h = handle(*ev); !h.ok() && h.error().kind() != ErrorKind::TraceeGone) {
      fail("calls", h.error());
    }
  }
  printer_.finish();
  warn_unused();
  return exit_code_;
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
    out = std::fopen(options.output.c_str(), "w");
    if (out == nullptr) {
      return fail("calls", Error::from_errno(errno, fmt::format("open({})", options.output)));
    }
  }
  int code = CallsRun(options, out).run();
  if (out != stderr) std::fclose(out);
  return code;
}

}  // namespace ptk::cli
