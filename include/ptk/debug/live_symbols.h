// LiveSymbols: the symbols of one traced process, kept current: reloaded after an execve, and
// reread when an address falls outside every known object (code mapped since, e.g. by dlopen),
// at most once per kRefreshInterval lookups so that code outside any object (JIT) costs little.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "ptk/core/session.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug {

class LiveSymbols {
 public:
  LiveSymbols(Session& session, pid_t pid) : session_(session), pid_(pid) {}
  void load();  // (again), e.g. after an execve; without symbols, lookups give addresses only
  AddressInfo describe(std::uint64_t addr);
  std::optional<SourceLine> line_at(std::uint64_t addr);
  SymbolTable* table() { return table_ ? &*table_ : nullptr; }

 private:
  static constexpr std::uint64_t kRefreshInterval = 256;
  Session& session_;
  pid_t pid_;
  std::optional<SymbolTable> table_;
  std::uint64_t misses_ = 0;
};

}  // namespace ptk::debug
