// `ptk break` at run time: every location is resolved and inserted before the process runs
// (all or nothing; common/breakpoint_run.h starts it and runs the events), then each hit is
// reported.
#include "break/break_run.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "break/break_targets.h"
#include "common/breakpoint_run.h"
#include "common/tracee_end.h"
#include "ptk/core/mem_format.h"
#include "ptk/debug/watchpoints.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

class BreakRun : public BreakpointRun {
 public:
  explicit BreakRun(const BreakOptions& o)
      : BreakpointRun("break", o.follow_forks, o.pid, o.command),
        o_(o),
        targets_(session_, bps_, o.locations, o.pending),
        printer_(session_, o.actions, stdout) {}

 private:
  Status arm() override;
  Status set_watches();
  Status on_hit(const debug::BreakpointHit& hit) override;
  Result<bool> on_other_trap(const Event& ev) override;
  Status on_thread_start(pid_t tid) override {
    return watch_ ? watch_->on_thread_start(tid) : ok_status();
  }
  void on_fork(pid_t parent_tid, pid_t child) override {
    const Thread* t = session_.thread(parent_tid);
    targets_.on_fork(t != nullptr ? t->pid : parent_tid, child);
  }
  void on_exec(const Event& ev) override {
    targets_.on_exec(ev.pid);
    if (watch_ && ev.pid == pid_) watch_->forget();
  }
  Status on_new_program(pid_t pid, pid_t /*tid*/) override {
    targets_.arm_new_program(pid);
    return ok_status();
  }
  void on_process_gone(pid_t pid) override { targets_.on_exit(pid); }
  Status before_detach() override { return watch_ ? watch_->remove_all() : ok_status(); }
  void finish(bool interrupted) override;
  void on_end(const WaitStatus& end) override {
    // As gdb does ("Program terminated with signal SIGKILL"): a program that did not end by
    // itself is reported; its exit status is ptk's.
    if (end.kind() == WaitStatus::Kind::Killed) {
      fmt::print(stderr, "ptk break: {}\n", describe_end(pid_, program_, end));
    }
  }

  const BreakOptions& o_;
  BreakTargets targets_;
  std::unique_ptr<debug::Watchpoints> watch_;
  BreakPrinter printer_;
};

Status BreakRun::arm() {
  std::vector<std::string> notes;
  PTK_TRY(targets_.arm_first(pid_, notes));
  for (const std::string& note : notes) fmt::print(stderr, "ptk break: {}\n", sys::printable(note));
  Status s = set_watches();
  if (!s.ok() && watch_) (void)watch_->remove_all();  // the ones set before the failing one
  return s;
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
    std::optional<std::uint64_t> addr = parse_number(head);
    if (!addr) {
      auto found = symbols->find(head);
      if (found.empty()) {
        // Not a data symbol: any location (its error names close matches).
        PTK_ASSIGN_OR_RETURN(debug::ResolvedLocation where, symbols->resolve(head));
        addr = where.address;
      } else {
        addr = found.front()->address;
      }
    }
    spec.address = *addr;
    PTK_TRY(watch_->add(spec));
  }
  return ok_status();
}

Status BreakRun::on_hit(const debug::BreakpointHit& hit) {
  // ptk's own breakpoint first (the loader's notifications).
  Status internal = targets_.on_hit(hit);
  for (BreakLocation* l : targets_.locations_at(hit)) {
    ++l->hits;
    if (!o_.count) printer_.hit(l->spec, hit, l->hits, targets_.symbols(hit.pid));
    if (o_.once) targets_.deactivate(*l);
  }
  if (!o_.count) std::fflush(stdout);  // a reader may wait for the line
  return internal;
}

Result<bool> BreakRun::on_other_trap(const Event& ev) {
  if (!watch_ || !debug::Watchpoints::is_hw_trap(ev)) return false;
  PTK_ASSIGN_OR_RETURN(auto wh, watch_->decode_hit(ev));
  if (!wh) return false;
  printer_.watch(wh->spec.label, wh->tid, wh->ip, wh->old_value, wh->new_value);
  std::fflush(stdout);
  PTK_TRY(session_.resume(ev.tid, Resume::Default, 0));
  return true;
}

void BreakRun::finish(bool /*interrupted*/) {
  if (!o_.count) return;
  for (const BreakLocation& l : targets_.locations()) printer_.count(l.spec, l.hits);
  std::fflush(stdout);
}

}  // namespace

int run_break(const BreakOptions& options) { return BreakRun(options).run(); }

}  // namespace ptk::cli
