// NT_ARM_HW_BREAK / NT_ARM_HW_WATCH through PTRACE_GETREGSET / PTRACE_SETREGSET.
#include "ptk/core/hw_debug.h"

#include <elf.h>
#include <fmt/format.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include <array>
#include <cstring>

#include "ptrace_call.h"

namespace ptk {

namespace {

std::string_view name_of(HwSlotKind kind) {
  return kind == HwSlotKind::Breakpoint ? "hardware breakpoint" : "hardware watchpoint";
}

}  // namespace

#if defined(__aarch64__)

namespace {

int note_of(HwSlotKind kind) {
  return kind == HwSlotKind::Breakpoint ? NT_ARM_HW_BREAK : NT_ARM_HW_WATCH;
}

using Image = std::array<std::byte, a64::hwdebug_state_size(a64::kMaxHwSlots)>;

}  // namespace

Result<HwSlotState> read_hw_slots(pid_t tid, HwSlotKind kind) {
  Image image{};
  iovec iov{image.data(), image.size()};
  Result<long> got =
      detail::ptrace_call(PTRACE_GETREGSET, tid, static_cast<std::uint64_t>(note_of(kind)),
                          reinterpret_cast<std::uint64_t>(&iov));
  if (!got.ok()) {
    Error e = got.error();
    return Error(e.kind(), fmt::format("read the {} slots of thread {}", name_of(kind), tid),
                 e.error_number(), e.hint());
  }
  std::uint32_t dbg_info = 0;
  std::memcpy(&dbg_info, image.data(), sizeof dbg_info);
  HwSlotState state{.info = a64::decode_dbg_info(dbg_info)};
  // The kernel copies the header and every slot the CPU has (arch/arm64/kernel/ptrace.c,
  // hw_break_get), however long the buffer.
  const int slots = std::min(state.info.slots, a64::kMaxHwSlots);
  for (int i = 0; i < slots; ++i) {
    const std::byte* at = image.data() + a64::hwdebug_state_size(i);
    a64::HwSlot slot;
    std::memcpy(&slot.addr, at, sizeof slot.addr);
    std::memcpy(&slot.ctrl, at + sizeof slot.addr, sizeof slot.ctrl);
    state.slots.push_back(slot);
  }
  return state;
}

Status write_hw_slots(pid_t tid, HwSlotKind kind, std::span<const a64::HwSlot> slots) {
  Image image{};
  // The header (dbg_info and padding) is read-only: the kernel skips it on a write.
  for (std::size_t i = 0; i < slots.size() && i < a64::kMaxHwSlots; ++i) {
    std::byte* at = image.data() + a64::hwdebug_state_size(static_cast<int>(i));
    std::memcpy(at, &slots[i].addr, sizeof slots[i].addr);
    std::memcpy(at + sizeof slots[i].addr, &slots[i].ctrl, sizeof slots[i].ctrl);
  }
  iovec iov{image.data(), a64::hwdebug_state_size(static_cast<int>(slots.size()))};
  Result<long> put =
      detail::ptrace_call(PTRACE_SETREGSET, tid, static_cast<std::uint64_t>(note_of(kind)),
                          reinterpret_cast<std::uint64_t>(&iov));
  if (put.ok()) return ok_status();
  Error e = put.error();
  // Each slot becomes a perf breakpoint whose address and control the kernel checks as it
  // enables it (hw_breakpoint_arch_parse): EINVAL for an address it will not watch.
  return Error(e.kind(), fmt::format("set the {} slots of thread {}", name_of(kind), tid),
               e.error_number(),
               e.error_number() == EINVAL || e.error_number() == ENOSPC
                   ? "the kernel refused the address (not a user-space address?)"
                   : e.hint());
}

#else

Result<HwSlotState> read_hw_slots(pid_t tid, HwSlotKind kind) {
  return Error(ErrorKind::Unsupported,
               fmt::format("read the {} slots of thread {}", name_of(kind), tid), 0,
               "these are aarch64's regsets; x86 has debug registers");
}

Status write_hw_slots(pid_t tid, HwSlotKind kind, std::span<const a64::HwSlot>) {
  return Error(ErrorKind::Unsupported,
               fmt::format("set the {} slots of thread {}", name_of(kind), tid), 0,
               "these are aarch64's regsets; x86 has debug registers");
}

#endif

}  // namespace ptk
