#include "ptk/engine/break_targets.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace ptk::engine {

BreakTargets::BreakTargets(Session& session, debug::BreakpointSet& bps,
                           std::vector<std::string> specs, bool pending)
    : session_(session), bps_(bps), pending_(pending) {
  for (std::string& spec : specs) locs_.push_back({.spec = std::move(spec)});
}

bool BreakTargets::may_wait(const std::string& spec, const debug::SymbolTable& symbols) const {
  if (pending_) return true;
  // `lib:symbol` of a library not mapped yet; not `file:line` (digits after the colon).
  std::size_t colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) return false;
  std::string_view after = std::string_view(spec).substr(colon + 1);
  if (std::all_of(after.begin(), after.end(), [](char c) { return std::isdigit(c) != 0; })) {
    return false;
  }
  return symbols.find_module(std::string_view(spec).substr(0, colon)) == nullptr;
}

Status BreakTargets::arm(pid_t pid, Proc& p, std::vector<std::string>* notes) {
  if (!p.symbols) {
    PTK_ASSIGN_OR_RETURN(debug::SymbolTable table,
                         debug::SymbolTable::load(pid, &session_.memory(pid)));
    p.symbols.emplace(std::move(table));
  }
  if (!p.libs) {
    // Always watched, pending locations or not: a breakpoint in a library that dlclose
    // unmaps must be taken out first. A static program has no loader (nothing to watch).
    if (auto w = debug::LibraryWatch::start(session_, bps_, *p.symbols, pid); w.ok()) {
      p.libs.emplace(std::move(*w));
    }
  }
  p.addresses.resize(locs_.size(), kUnset);
  for (std::size_t i = 0; i < locs_.size(); ++i) {
    if (!locs_[i].active || p.addresses[i] != kUnset) continue;
    const std::string& spec = locs_[i].spec;
    auto where = p.symbols->resolve(spec);
    Status s = where.ok() ? bps_.insert(pid, where->address) : Status(where.error());
    if (s.ok()) {
      p.addresses[i] = where->address;
      locs_[i].set = true;
      continue;
    }
    if (notes == nullptr) {  // a later arming: still pending, or for good not here
      if (where.ok()) p.addresses[i] = kGaveUp;
      continue;
    }
    // A library that can only come later needs a loader to bring it.
    if (where.ok() || !may_wait(spec, *p.symbols) || (!p.libs && !pending_)) return s;
    notes->push_back(fmt::format("{}: pending until a library or program defines it", spec));
  }
  return ok_status();
}

Status BreakTargets::arm_first(pid_t pid, std::vector<std::string>& notes) {
  return arm(pid, procs_[pid], &notes);
}

Status BreakTargets::on_library_event(pid_t pid, Proc& p, const debug::LibraryEvent& ev) {
  switch (ev.kind) {
    case debug::LibraryEvent::Kind::Unloading:
      // Out while the objects are still mapped; pending again if they come back.
      for (const debug::Module* m : ev.unloading) {
        for (std::uint64_t& addr : p.addresses) {
          if (addr != kUnset && addr != kGaveUp && m->contains(addr)) {
            (void)bps_.remove(pid, std::exchange(addr, kUnset));
          }
        }
      }
      return ok_status();
    case debug::LibraryEvent::Kind::Changed:
      return arm(pid, p, nullptr);
    case debug::LibraryEvent::Kind::None:
      break;
  }
  return ok_status();
}

Status BreakTargets::on_hit(const debug::BreakpointHit& hit) {
  auto it = procs_.find(hit.pid);
  if (it == procs_.end()) return ok_status();
  Proc& p = it->second;
  if (p.libs && p.libs->is_hit(hit)) {
    PTK_ASSIGN_OR_RETURN(debug::LibraryEvent ev, p.libs->on_hit(hit));
    PTK_TRY(on_library_event(hit.pid, p, ev));
  }
  return ok_status();
}

std::vector<BreakLocation*> BreakTargets::locations_at(const debug::BreakpointHit& hit) {
  std::vector<BreakLocation*> out;
  auto it = procs_.find(hit.pid);
  if (it == procs_.end()) return out;
  const std::vector<std::uint64_t>& addrs = it->second.addresses;
  for (std::size_t i = 0; i < addrs.size(); ++i) {
    if (addrs[i] == hit.address && locs_[i].active) out.push_back(&locs_[i]);
  }
  return out;
}

void BreakTargets::deactivate(BreakLocation& location) {
  location.active = false;
  const auto i = static_cast<std::size_t>(&location - locs_.data());
  for (auto& [pid, p] : procs_) {
    if (i >= p.addresses.size()) continue;
    std::uint64_t addr = std::exchange(p.addresses[i], kUnset);
    if (addr != kUnset && addr != kGaveUp) (void)bps_.remove(pid, addr);
  }
}

void BreakTargets::on_fork(pid_t parent, pid_t child) {
  auto it = procs_.find(parent);
  if (it == procs_.end()) return;
  // The child has the parent's int3 bytes (BreakpointSet::on_fork tracks them), at the same
  // addresses, and its own copy of the loader's state.
  Proc& p = procs_[child];
  p.addresses = it->second.addresses;
  auto table = debug::SymbolTable::load(child, &session_.memory(child));
  if (!table.ok()) return;  // hits in it are still counted, printed without symbols
  p.symbols.emplace(std::move(*table));
  if (it->second.libs) p.libs.emplace(it->second.libs->for_child(child, *p.symbols));
}

void BreakTargets::on_exec(pid_t pid) {
  auto it = procs_.find(pid);
  if (it == procs_.end()) return;
  Proc& p = it->second;
  p.libs.reset();  // before the table it points to
  p.symbols.reset();
  p.addresses.assign(locs_.size(), kUnset);
}

void BreakTargets::arm_new_program(pid_t pid) {
  // A failure leaves the new program without breakpoints; it runs on regardless.
  if (auto it = procs_.find(pid); it != procs_.end()) (void)arm(pid, it->second, nullptr);
}

const debug::SymbolTable* BreakTargets::symbols(pid_t pid) const {
  auto it = procs_.find(pid);
  return it != procs_.end() && it->second.symbols ? &*it->second.symbols : nullptr;
}

}  // namespace ptk::engine
