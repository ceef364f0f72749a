// aarch64's hardware breakpoint and watchpoint slots of one stopped thread, through ptrace's
// NT_ARM_HW_BREAK and NT_ARM_HW_WATCH regsets (layout and control words:
// ptk/arch/hwdebug_aarch64.h). x86's debug registers are Session::get_debugreg/set_debugreg.
//
// The slots are per thread and need the thread in a ptrace-stop. Elsewhere than on an aarch64
// host every call fails with Unsupported.
#pragma once

#include <sys/types.h>

#include <span>
#include <vector>

#include "ptk/arch/hwdebug_aarch64.h"
#include "ptk/base/result.h"

namespace ptk {

enum class HwSlotKind { Breakpoint, Watchpoint };

struct HwSlotState {
  a64::DebugInfo info{};             // how many slots of this kind the CPU has
  std::vector<a64::HwSlot> slots{};  // all of them (info.slots)
};

Result<HwSlotState> read_hw_slots(pid_t tid, HwSlotKind kind);
// Writes slots 0..slots.size()-1 of that kind (no more than the CPU has); the others keep
// what they hold.
Status write_hw_slots(pid_t tid, HwSlotKind kind, std::span<const a64::HwSlot> slots);

}  // namespace ptk
