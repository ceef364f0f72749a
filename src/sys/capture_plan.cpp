// STAND-IN (see capture_plan.h): the filter only.
#include "ptk/sys/capture_plan.h"

#include "ptk/sys/capture_exec.h"

namespace ptk::sys {

CapturePlans CapturePlans::build(const SyscallFilter& filter, const DecodeOptions& /*decode*/) {
  CapturePlans plans;
  plans.table_.resize(std::size_t{PTK_PLAN_ABIS} * PTK_PLAN_NR_MAX);
  for (Arch arch : kAllArches) {
    for (std::int64_t nr = 0; nr < PTK_PLAN_NR_MAX; ++nr) {
      if (filter.selects(arch, nr)) {
        plans.table_[raw_abi(arch) * PTK_PLAN_NR_MAX + nr].flags = PTK_PLAN_TRACE;
      }
    }
  }
  return plans;
}

const ptk_cap_plan* CapturePlans::find(Arch arch, std::int64_t nr) const {
  if (table_.empty()) return nullptr;
  std::size_t base = std::size_t{raw_abi(arch)} * PTK_PLAN_NR_MAX;
  if (nr < 0 || nr >= PTK_PLAN_NR_MAX) return &table_[base + PTK_PLAN_NR_MAX - 1];
  return &table_[base + static_cast<std::size_t>(nr)];
}

}  // namespace ptk::sys
