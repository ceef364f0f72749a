// The ptrace backend's side of capture plans (capture_abi.h): at a syscall stop, copy the user
// memory the plan names into a raw syscall record (raw_event.h), as the eBPF program does in the
// kernel, so that `ptk trace --record` files of both backends read the same.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/core/event.h"
#include "ptk/core/memory.h"
#include "ptk/sys/capture_abi.h"

namespace ptk::sys {

class CaptureBuilder {
 public:
  CaptureBuilder();

  // Builds the PTK_EV_SYSCALL_ENTRY (or, with `exit`, _EXIT) record of `stop` with the chunks
  // `plan` (may be null: registers only) asks for at that point. The bytes stay valid until the
  // next build(); no allocation happens per record.
  std::span<const std::byte> build(Memory& mem, const ptk_cap_plan* plan, const SyscallStop& stop,
                                   bool exit, pid_t tid, pid_t pid, std::uint64_t time_ns);

 private:
  struct Ctx;
  void run_item(Ctx& ctx, const ptk_cap_item& item);

  std::vector<std::byte> buf_;  // PTK_EV_MAX_SIZE bytes, reused
};

}  // namespace ptk::sys
