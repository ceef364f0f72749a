// RemoteAbi per ABI (ptk/arch/remote_abi.h).
#include "ptk/arch/remote_abi.h"

#include "host_layout.h"

namespace ptk {
namespace {

using namespace host;

constexpr RemoteAbi kX86_64 = {
    .syscall_insn_nr = q(kRax),
    .call_clear_flags = 0x400,  // DF
    .syscall_stop_clobber = std::nullopt,
    .restart_rewound_before_stop = false,
};

constexpr RemoteAbi kI386 = {
    .syscall_insn_nr = d_signed(kRax),
    .call_clear_flags = 0x400,  // DF
    .syscall_stop_clobber = std::nullopt,
    .restart_rewound_before_stop = false,
};

constexpr RemoteAbi kAarch64 = {
    .syscall_insn_nr = q(xreg(8)),
    .call_clear_flags = 0xc00,  // PSTATE.BTYPE
    .syscall_stop_clobber = q(xreg(7)),
    .restart_rewound_before_stop = true,
};

}  // namespace

const RemoteAbi& remote_abi(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return kX86_64;
    case Arch::I386:
      return kI386;
    case Arch::Aarch64:
      return kAarch64;
  }
  return kX86_64;
}

}  // namespace ptk
