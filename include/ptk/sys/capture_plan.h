// Capture plans (capture_abi.h) for every syscall of every ABI: which user memory the eBPF
// backend and the recorder copy at entry and exit so that the decoders can print the syscall
// later as strace would from the stopped tracee. Derived from the syscall table's argument
// types (a Path is a string, an OutBuf the bytes its length argument says, a struct its size),
// with the nested shapes the table cannot say (iovec arrays, msghdr, sockaddr lengths behind a
// pointer, getdents buffers) named here, and bounded by the decoding options (-s, -v).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/sys/capture_abi.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"

namespace ptk::sys {

class CapturePlans {
 public:
  // `filter` decides PTK_PLAN_TRACE: the syscalls reported (the kernel program drops others).
  static CapturePlans build(const SyscallFilter& filter, const DecodeOptions& decode);

  // nullptr for a number past the table (PTK_PLAN_NR_MAX).
  const ptk_cap_plan* find(Arch arch, std::int64_t nr) const;
  // PTK_PLAN_ABIS * PTK_PLAN_NR_MAX plans, indexed abi * PTK_PLAN_NR_MAX + nr (the map's layout).
  std::span<const ptk_cap_plan> table() const { return table_; }

 private:
  std::vector<ptk_cap_plan> table_;
};

// The PTK_ABI_* of an Arch (enum ptk_ev_abi), and back (nullopt for a number ptk does not know:
// records come from files too).
std::uint16_t abi_of(Arch arch);
std::optional<Arch> arch_of_abi(std::uint16_t abi);

}  // namespace ptk::sys
