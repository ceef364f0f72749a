// LibraryWatch: the loader's r_debug, read as words of the process's ABI. struct r_debug is
// { int r_version; struct link_map* r_map; ElfW(Addr) r_brk; enum r_state; ElfW(Addr) r_ldbase }:
// with the int padded to a word, r_brk is the third word and r_state the fourth (an int, read
// as its low 4 bytes) in both the 32- and the 64-bit layout.
#include "ptk/debug/library_watch.h"

#include <fmt/format.h>

#include <array>
#include <cstring>

namespace ptk::debug {
namespace {

constexpr std::uint32_t kRtConsistent = 0, kRtDelete = 2;  // enum r_state, <link.h>

Result<std::uint64_t> read_word(Memory& mem, std::uint64_t addr, std::size_t size) {
  std::array<std::byte, 8> b{};
  PTK_TRY(mem.read_exact(RemoteAddr(addr), std::span(b).first(size)));
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v |= std::to_integer<std::uint64_t>(b[i]) << (8 * i);
  return v;
}

std::string key(const Module& m) { return fmt::format("{}@{:x}", m.path, m.start); }

}  // namespace

Result<LibraryWatch> LibraryWatch::start(Session& session, BreakpointSet& bps, SymbolTable& symbols,
                                         pid_t tid) {
  LibraryWatch w(session, bps, symbols);
  const Thread* t = session.thread(tid);
  w.pid_ = t != nullptr ? t->pid : tid;
  // _r_debug is the loader's own; a program may hold a copy (a copy relocation) that the
  // loader does not update, so the loader's definition is the one to read.
  for (const Symbol* s : symbols.find("_r_debug")) {
    const Module* m = symbols.module_at(s->address);
    if (s->kind == SymbolKind::Object && m != nullptr && m->name.starts_with("ld-")) {
      w.r_debug_ = s->address;
      w.word_ = abi(m->arch).word_size;
      break;
    }
  }
  if (w.r_debug_ == 0) {
    return Error(ErrorKind::NotFound, fmt::format("find _r_debug in process {}", w.pid_), 0,
                 "no dynamic loader: a statically linked program loads no libraries");
  }
  PTK_ASSIGN_OR_RETURN(w.brk_, read_word(session.memory(tid), w.r_debug_ + 2 * w.word_, w.word_));
  if (w.brk_ == 0) {
    return Error(ErrorKind::NotFound, fmt::format("read r_debug.r_brk in process {}", w.pid_), 0,
                 "the dynamic loader has not started yet");
  }
  PTK_TRY(bps.insert(tid, w.brk_));
  w.initial_ = w.current_paths();
  w.known_ = w.initial_;
  return w;
}

std::set<std::string> LibraryWatch::current_paths() const {
  std::set<std::string> out;
  for (const auto& m : table_->modules()) out.insert(key(*m));
  return out;
}

Result<LibraryEvent> LibraryWatch::on_hit(const BreakpointHit& hit) {
  LibraryEvent ev;
  PTK_ASSIGN_OR_RETURN(std::uint64_t state,
                       read_word(session_->memory(hit.tid), r_debug_ + 3 * word_, 4));
  if (state == kRtDelete) {
    // The maps have not changed since the last event: every object loaded later may go.
    ev.kind = LibraryEvent::Kind::Unloading;
    for (const auto& m : table_->modules()) {
      if (initial_.count(key(*m)) == 0) ev.unloading.push_back(m.get());
    }
    after_unload_ = !ev.unloading.empty();
    return ev;
  }
  if (state != kRtConsistent) return ev;  // RT_ADD: the objects are not mapped yet
  if (auto r = table_->refresh(); !r.ok()) return r.error();
  std::set<std::string> now = current_paths();
  ev.kind = LibraryEvent::Kind::Changed;
  for (const auto& m : table_->modules()) {
    std::string k = key(*m);
    bool fresh = known_.count(k) == 0;
    if (fresh || (after_unload_ && initial_.count(k) == 0)) ev.added.push_back(m.get());
  }
  for (const std::string& k : known_) {
    if (now.count(k) == 0) ev.removed.push_back(k.substr(0, k.rfind('@')));
  }
  known_ = std::move(now);
  after_unload_ = false;
  return ev;
}

Status LibraryWatch::stop() { return bps_->remove(pid_, brk_); }

LibraryWatch LibraryWatch::for_child(pid_t child, SymbolTable& child_symbols) const {
  LibraryWatch w = *this;
  w.table_ = &child_symbols;
  w.pid_ = child;
  return w;
}

}  // namespace ptk::debug
