// `ptk break` at run time. The process is spawned (and run to its entry point, where its
// libraries are mapped) or attached; every location is resolved and inserted before it runs
// (all or nothing); then each event is handled until the process ends or ptk is told to stop.
#include "break_run.h"
#include "entry_point.h"

#include <fmt/format.h>
#include <signal.h>

#include <charconv>
#include <csignal>
#include <iterator>
#include <memory>
#include <optional>
#include <set>

#include "break_scratch.h"
#include "break_targets.h"
#include "cli_util.h"
#include "fork_order.h"
#include "ptk/core/proc.h"
#include "ptk/debug/watchpoints.h"
#include "stop_signals.h"

namespace ptk::cli {
namespace {

class BreakRun {
 public:
  explicit BreakRun(const BreakOptions& o)
      : o_(o),
        session_(session_options()),
        targets_(session_, bps_, o.locations, o.pending),
        printer_(session_, o.actions, stdout) {}
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
  Status start();
  Status set_points();
  Status set_watches();
  Status handle(const Event& ev);
  Status on_trap(const Event& ev);
  Status start_child(pid_t tid);
  void on_hit(const debug::BreakpointHit& hit);
  int let_go();
  void print_counts();

  const BreakOptions& o_;
  Session session_;
  debug::BreakpointSet bps_{session_};
  BreakTargets targets_;
  std::unique_ptr<debug::Watchpoints> watch_;
  BreakPrinter printer_;
  std::set<pid_t> unfollowed_forks_, unfollowed_vforks_;
  ForkOrder fork_order_;
  pid_t pid_ = 0;
  bool spawned_ = false;
  int exit_code_ = 0;
};

Status BreakRun::start() {
  spawned_ = !o_.command.empty();
  if (!spawned_) {
    pid_ = o_.pid;
    PTK_TRY(session_.attach(pid_));
  } else {
    PTK_ASSIGN_OR_RETURN(pid_, spawn_to_entry(session_, o_.command));
  }
  bps_.set_scratch_allocator(scratch_allocator(session_));
  return ok_status();
}

Status BreakRun::set_points() {
  std::vector<std::string> notes;
  PTK_TRY(targets_.arm_first(pid_, notes));
  for (const std::string& note : notes) fmt::print(stderr, "ptk break: {}\n", note);
  return ok_status();
}

Status BreakRun::set_watches() {
  if (o_.watches.empty()) return ok_status();
  watch_ = std::make_unique<debug::Watchpoints>(session_, pid_);
  const debug::SymbolTable* symbols = targets_.symbols(pid_);
  if (symbols == nullptr) {
    return Error(ErrorKind::NotFound, fmt::format("symbols of process {}", pid_));
  }
  for (const std::string& text : o_.watches) {
    debug::WatchSpec spec;
    spec.label = text;
    std::size_t colon = text.find(':');
    std::string head = text.substr(0, colon);
    if (colon != std::string::npos) {
      PTK_TRY(debug::parse_watch_suffix(std::string_view(text).substr(colon + 1), spec));
    }
    std::uint64_t addr = 0;
    std::string_view digits = head;
    int base = digits.starts_with("0x") ? 16 : 10;
    if (base == 16) digits.remove_prefix(2);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), addr, base);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      auto found = symbols->find(head);
      if (found.empty()) {
        // Not a data symbol: any location (its error names close matches).
        PTK_ASSIGN_OR_RETURN(debug::ResolvedLocation where, symbols->resolve(head));
        addr = where.address;
      } else {
        addr = found.front()->address;
      }
    }
    spec.address = addr;
    PTK_TRY(watch_->add(spec));
  }
  return ok_status();
}

void BreakRun::on_hit(const debug::BreakpointHit& hit) {
  for (BreakLocation* l : targets_.locations_at(hit)) {
    ++l->hits;
    if (!o_.count) printer_.hit(l->spec, hit, l->hits, targets_.symbols(hit.pid));
    if (o_.once) targets_.deactivate(*l);
  }
  if (!o_.count) std::fflush(stdout);  // a reader may wait for the line
}

Status BreakRun::on_trap(const Event& ev) {
  PTK_ASSIGN_OR_RETURN(auto hit, bps_.match(ev));
  if (hit) {
    // ptk's own breakpoints first (a new program's entry point, the loader's notifications).
    // Whatever they fail at, the thread must go on.
    Status internal = targets_.on_hit(*hit);
    on_hit(*hit);
    Status s = bps_.step_over(*hit);
    return internal.ok() ? s : internal;
  }
  PTK_ASSIGN_OR_RETURN(bool stale, bps_.absorb_stale_trap(ev));
  if (stale) return ok_status();
  if (watch_ && debug::Watchpoints::is_hw_trap(ev)) {
    PTK_ASSIGN_OR_RETURN(auto wh, watch_->decode_hit(ev));
    if (wh) {
      printer_.watch(wh->spec.label, wh->tid, wh->ip, wh->old_value, wh->new_value);
      std::fflush(stdout);
      return session_.resume(ev.tid, Resume::Default, 0);
    }
  }
  return session_.resume(ev);  // the program's own trap: passed on
}

Status BreakRun::start_child(pid_t tid) {
  const Thread* t = session_.thread(tid);
  pid_t pid = t != nullptr ? t->pid : tid;
  if (unfollowed_forks_.erase(pid) != 0) return session_.detach(pid);
  if (watch_) PTK_TRY(watch_->on_thread_start(tid));
  return session_.resume(tid);
}

Status BreakRun::handle(const Event& ev) {
  switch (ev.kind) {
    case EventKind::Exited:
    case EventKind::Killed:
      if (ev.tid == pid_)
        exit_code_ = ev.kind == EventKind::Exited ? ev.exit_code : 128 + ev.signal;
      if (session_.process(ev.pid) == nullptr) {
        bps_.on_exit(ev.pid);
        targets_.on_exit(ev.pid);
        fork_order_.forget(ev.pid);
      }
      return ok_status();
    case EventKind::Trap:
      return on_trap(ev);
    case EventKind::Fork:
    case EventKind::Vfork: {
      // A vfork child shares the parent's memory: its int3 bytes are the parent's, so it is
      // tracked until it execs even when not followed.
      bool vfork = ev.kind == EventKind::Vfork;
      PTK_TRY(bps_.on_fork(ev.pid, ev.new_tid, o_.follow_forks || vfork));
      if (o_.follow_forks) targets_.on_fork(ev.pid, ev.new_tid);
      if (!o_.follow_forks) (vfork ? unfollowed_vforks_ : unfollowed_forks_).insert(ev.new_tid);
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    }
    case EventKind::Clone:
      if (fork_order_.announce(ev.new_tid)) PTK_TRY(start_child(ev.new_tid));
      return session_.resume(ev);
    case EventKind::ThreadStart:
      if (fork_order_.park(ev, pid_)) return ok_status();  // see fork_order.h
      return start_child(ev.tid);
    case EventKind::Exec:
      bps_.on_exec(ev.pid);
      targets_.on_exec(ev.pid);
      if (watch_ && ev.pid == pid_) watch_->forget();
      if (unfollowed_vforks_.erase(ev.pid) != 0) return session_.detach(ev.pid);
      return session_.resume(ev);
    default:
      return session_.resume(ev);
  }
}

void BreakRun::print_counts() {
  if (!o_.count) return;
  for (const BreakLocation& l : targets_.locations()) printer_.count(l.spec, l.hits);
  std::fflush(stdout);
}

int BreakRun::let_go() {
  // The stop flag would make every wait of the release return at once.
  WaitPolicy quiet = session_.options().wait_policy;
  quiet.interrupt = nullptr;
  session_.set_wait_policy(quiet);
  int code = spawned_ ? 128 + SIGINT : 0;
  if (!spawned_) {
    std::vector<pid_t> pids;
    for (const auto& entry : session_.processes()) pids.push_back(entry.first);
    for (pid_t pid : pids) {
      if (Status s = bps_.release(pid); !s.ok()) code = fail("break", s.error());
    }
    if (watch_) {
      if (Status s = watch_->remove_all(); !s.ok()) code = fail("break", s.error());
    }
    if (Status s = session_.detach_all(); !s.ok()) code = fail("break", s.error());
    fmt::print(stderr, "ptk break: Process {} detached\n", pid_);
  }
  print_counts();
  return code;
}

int BreakRun::run() {
  install_stop_handlers();
  Status s = start();
  if (s.ok()) s = set_points();
  if (s.ok()) s = set_watches();
  if (s.ok()) s = session_.resume_all();
  if (!s.ok()) {
    if (watch_) (void)watch_->remove_all();
    if (!spawned_ && session_.process(pid_) != nullptr) {
      (void)bps_.release(pid_);  // the locations set before the one that failed
      (void)session_.detach_all();
    }
    return fail("break", s.error());
  }
  // Printed once every breakpoint is in: a script may wait for this line.
  if (!spawned_) fmt::print(stderr, "ptk break: Process {} attached\n", pid_);
  while (!session_.empty()) {
    if (*stop_flag()) return let_go();
    std::optional<Event> ev = bps_.next_deferred();
    if (!ev) {
      auto w = session_.wait();
      if (!w.ok()) {
        if (*stop_flag()) return let_go();
        if (w.error().kind() == ErrorKind::NoSuchProcess) break;
        return fail("break", w.error());
      }
      ev = *w;
    }
    if (Status h = handle(*ev); !h.ok() && h.error().kind() != ErrorKind::TraceeGone) {
      fail("break", h.error());
    }
  }
  print_counts();
  return exit_code_;
}

}  // namespace

int run_break(const BreakOptions& options) { return BreakRun(options).run(); }

}  // namespace ptk::cli
