#include "inspect/mem_target.h"

#include "ptk/core/mem_format.h"
#include "ptk/debug/symbols.h"

namespace ptk::cli {

Result<MemTarget> parse_target(pid_t pid, std::string_view spec) {
  if (spec.starts_with("0x") || spec.starts_with("0X")) {
    PTK_ASSIGN_OR_RETURN(std::uint64_t address, parse_address(spec));
    return MemTarget{.address = address, .description = {}};
  }
  auto table = debug::SymbolTable::load(pid);
  if (!table.ok()) return std::move(table).error();
  auto where = table->resolve(spec);
  if (where.ok()) return MemTarget{.address = where->address, .description = where->description};
  if (auto address = parse_address(spec); address.ok()) {
    return MemTarget{.address = *address, .description = {}};
  }
  return std::move(where).error();
}

}  // namespace ptk::cli
