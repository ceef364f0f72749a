#include "entry_point.h"

#include <span>

#include "ptk/core/proc.h"

namespace ptk::cli {

std::optional<std::uint64_t> entry_point(pid_t pid, Arch arch) {
  auto auxv = read_proc_file(pid, "auxv");
  if (!auxv.ok()) return std::nullopt;
  constexpr std::uint64_t kAtEntry = 9;  // AT_ENTRY, <elf.h>
  for (auto [type, value] :
       parse_auxv(std::as_bytes(std::span(auxv->data(), auxv->size())), abi(arch).word_size)) {
    if (type == kAtEntry) return value;
  }
  return std::nullopt;
}

}  // namespace ptk::cli
