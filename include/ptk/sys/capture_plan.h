// STAND-IN for the lead's capture plan generator (issue 18): the interface as agreed, with an
// implementation that only carries the -e trace= filter (PTK_PLAN_TRACE) and copies no memory.
// The real header and src/sys/capture_plan.cpp replace these two files when branch caps is
// merged.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/sys/capture_abi.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"

namespace ptk::sys {

class CapturePlans {
 public:
  static CapturePlans build(const SyscallFilter& filter, const DecodeOptions& decode);
  const ptk_cap_plan* find(Arch arch, std::int64_t nr) const;
  std::span<const ptk_cap_plan> table() const { return table_; }

 private:
  std::vector<ptk_cap_plan> table_;
};

}  // namespace ptk::sys
