// `ptk break` at run time: every location is resolved and inserted before the process runs
// (all or nothing), then each hit is reported and, with --once, its location taken out.
#include "ptk/engine/break_job.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "ptk/core/mem_format.h"

namespace ptk::engine {

BreakJob::BreakJob(Engine& engine, BreakJobOptions options, BreakSink& sink)
    : options_(std::move(options)),
      sink_(sink),
      targets_(engine.session(), engine.breakpoints(), options_.locations, options_.pending) {}

Status BreakJob::arm(Engine& engine) {
  if (engine.spawned() && engine.spawn_start() == SpawnStart::BeforeExec) {
    // Still ptk's own forked child: the program comes with the execve.
    if (!options_.watches.empty()) {
      return Error(ErrorKind::InvalidArgument, "watchpoints", 0,
                   "a command started before its execve has no program to watch yet");
    }
    targets_.track(engine.pid());
    return ok_status();
  }
  std::vector<std::string> notes;
  PTK_TRY(targets_.arm_first(engine.pid(), notes));
  for (const std::string& note : notes) sink_.note(note);
  Status s = set_watches(engine);
  if (!s.ok() && watch_) (void)watch_->remove_all();  // the ones set before the failing one
  return s;
}

Status BreakJob::set_watches(Engine& engine) {
  if (options_.watches.empty()) return ok_status();
  pid_t pid = engine.pid();
  watch_ = std::make_unique<debug::Watchpoints>(engine.session(), pid);
  const debug::SymbolTable* symbols = targets_.symbols(pid);
  if (symbols == nullptr) {
    return Error(ErrorKind::NotFound, fmt::format("symbols of process {}", pid));
  }
  for (const std::string& text : options_.watches) {
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

Status BreakJob::on_hit(Engine& /*engine*/, const debug::BreakpointHit& hit) {
  // ptk's own breakpoint first (the loader's notifications).
  Status internal = targets_.on_hit(hit);
  std::vector<BreakLocation*> here = targets_.locations_at(hit);
  for (BreakLocation* l : here) {
    ++l->hits;
    sink_.hit(*l, hit, targets_.symbols(hit.pid));
    if (options_.once) targets_.deactivate(*l);
  }
  if (!here.empty()) sink_.after_hits();
  return internal;
}

Result<bool> BreakJob::on_other_trap(Engine& engine, const Event& ev) {
  if (!watch_ || !debug::Watchpoints::is_hw_trap(ev)) return false;
  PTK_ASSIGN_OR_RETURN(auto wh, watch_->decode_hit(ev));
  if (!wh) return false;
  sink_.watch(*wh);
  // aarch64 stepped past the hit; whatever ended that step otherwise is the loop's to handle,
  // and leaves the thread as that event says.
  bool ended_otherwise = false;
  while (std::optional<Event> other = watch_->next_deferred()) {
    ended_otherwise = ended_otherwise || other->tid == ev.tid;
    engine.defer(std::move(*other));
  }
  // Its pending signal is one that came during that step; a hit itself leaves none.
  if (!ended_otherwise) PTK_TRY(engine.session().resume(ev.tid));
  return true;
}

void BreakJob::on_fork(Engine& engine, pid_t parent_tid, pid_t child) {
  const Thread* t = engine.session().thread(parent_tid);
  targets_.on_fork(t != nullptr ? t->pid : parent_tid, child);
}

void BreakJob::on_exec(Engine& engine, const Event& ev) {
  targets_.on_exec(ev.pid);
  if (watch_ && ev.pid == engine.pid()) watch_->forget();
}

}  // namespace ptk::engine
