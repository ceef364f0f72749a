#include "ptk/debug/live_symbols.h"

#include <utility>

namespace ptk::debug {

void LiveSymbols::load() {
  auto table = SymbolTable::load(pid_, &session_.memory(pid_));
  if (table.ok()) {
    table_.emplace(std::move(*table));
  } else {
    table_.reset();
  }
  misses_ = 0;
}

AddressInfo LiveSymbols::describe(std::uint64_t addr) {
  if (!table_) return AddressInfo{.address = addr};
  AddressInfo info = table_->describe(addr);
  if (info.module == nullptr && misses_++ % kRefreshInterval == 0) {
    auto changed = table_->refresh();
    if (changed.ok() && *changed) info = table_->describe(addr);
  }
  return info;
}

std::optional<SourceLine> LiveSymbols::line_at(std::uint64_t addr) {
  return table_ ? table_->line_at(addr) : std::nullopt;
}

}  // namespace ptk::debug
