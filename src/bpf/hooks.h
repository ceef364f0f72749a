// Function hooks: the syscalls of a short -e trace= list recorded from kprobes on their kernel
// functions instead of the raw syscall tracepoints, which put every syscall of every task on
// the kernel's slow path (and so cost the untraced ones too).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "impl.h"
#include "ptk/sys/capture_abi.h"

namespace ptk::bpf {

struct HookTarget {
  // The kernel functions that may run the syscall, in the order to try: x86's __x64_sys_NAME;
  // for i386 the compat wrapper when the kernel has one, else __ia32_sys_NAME.
  std::vector<std::string> functions;
  std::int64_t nr;
  std::uint16_t abi;
};

// At most this many functions get hooks (two kprobes each); more and the tracepoints serve.
inline constexpr std::size_t kMaxHookedFunctions = 8;

// The functions of the syscalls the plans report, when hooks can replace the tracepoints: few
// syscalls, none beyond the table (the fallback plan). Empty otherwise.
std::vector<HookTarget> hook_targets(std::span<const ptk_cap_plan> plans);

// Attaches the loaded program's kprobe and kretprobe to each target's first function the
// kernel has.
Result<void> load_hooks(Backend::Impl& impl, const std::vector<HookTarget>& targets);

// Detaches them.
void destroy_hooks(Backend::Impl& impl);

}  // namespace ptk::bpf
