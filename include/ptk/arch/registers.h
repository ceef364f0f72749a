// Registers: one tracee thread's general registers, tagged with the ABI it runs in.
//
// The storage is the transport block of the host that runs the ABI (what ptrace reads and
// writes), so a value round-trips bit-identically; the ABI's view (eax.. for i386, rax.. for
// x86_64, x0.. for aarch64) is read and written through the slot tables of AbiInfo.
//
// The blocks, per host:
//   x86_64 host (X86_64 and I386 tracees): struct user_regs_struct as PTRACE_GETREGS fills it,
//     27 words, 216 bytes; a compat i386 thread's registers are the low halves of its slots.
//   aarch64 host (Aarch64 tracees): struct user_pt_regs as PTRACE_GETREGSET NT_PRSTATUS fills
//     it (x0..x30, sp, pc, pstate: 34 words, 272 bytes), then one 8-byte slot for the syscall
//     number (kAarch64SyscallNoOffset). That kernel keeps no orig_x8 in NT_PRSTATUS: the number
//     travels through its own regset, NT_ARM_SYSTEM_CALL, as an int, which the block holds
//     sign-extended. It is the authoritative number (SyscallNo and OrigSyscallNo both name
//     it): at the entry stop x8 has been copied to the kernel's pt_regs.syscallno, and after the
//     tracer resumes the kernel runs what syscallno says, not x8 (arch/arm64/kernel/ptrace.c
//     and syscall.c), so writing x8 changes nothing and writing the slot changes the call; -1
//     skips it, returning whatever the tracer left in x0. There is no orig_x0 for user space
//     either: x0 is argument 0 and the return value, so at the exit stop argument 0 is gone and
//     the sys layer must keep it from the entry stop.
//     AArch32 (compat) tasks have a different NT_PRSTATUS (18 32-bit words) and are refused by
//     the core before a block exists.
//
// Storage is sized for the largest block so that any ABI's Registers can exist on any host
// (tests, records from another machine); bytes past the ABI's AbiInfo::regs_block_size are
// zero and mean nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ptk/arch/arch.h"

namespace ptk {

inline constexpr std::size_t kX86RegsBlockSize = 27 * 8;   // sizeof(user_regs_struct)
inline constexpr std::size_t kAarch64PtRegsSize = 34 * 8;  // sizeof(struct user_pt_regs)
inline constexpr std::size_t kAarch64SyscallNoOffset = kAarch64PtRegsSize;
inline constexpr std::size_t kAarch64RegsBlockSize = kAarch64PtRegsSize + 8;
inline constexpr std::size_t kRegsBlockStorage = std::max(kX86RegsBlockSize, kAarch64RegsBlockSize);

// Size of this host's register transport block: what the core moves for a thread.
#if defined(__x86_64__)
inline constexpr std::size_t kHostRegsSize = kX86RegsBlockSize;
#else
inline constexpr std::size_t kHostRegsSize = kAarch64RegsBlockSize;
#endif

// The i386 kernel's struct user_regs_struct, as a 32-bit debugger sees it.
struct I386UserRegs {
  std::uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
  std::uint32_t xds, xes, xfs, xgs, orig_eax, eip, xcs, eflags, esp, xss;
};
static_assert(sizeof(I386UserRegs) == 68);

class Registers {
 public:
  using HostBlock = std::array<std::byte, kRegsBlockStorage>;

  Registers() = default;
  Registers(Arch arch, const HostBlock& host) : arch_(arch), host_(host) {}

  // The ABI a thread is in, from a block this host's core read. x86_64 host: from the code
  // segment (compat-mode user code runs with cs = __USER32_CS (0x23), 64-bit code with
  // __USER_CS (0x33)). aarch64 host: always Aarch64 (see above for AArch32 tasks).
  static Arch arch_of_host_block(const HostBlock& host);
  // The x86_64 host's rule on its own, testable on any host.
  static Arch arch_of_x86_block(const HostBlock& host);

  Arch arch() const { return arch_; }
  const AbiInfo& abi_info() const { return abi(arch_); }
  const HostBlock& host_block() const { return host_; }
  HostBlock& host_block() { return host_; }

  // Reads a slot as the ABI sees it (zero-extended), or writes it (widened per the slot).
  std::uint64_t get(RegSlot slot) const;
  void set(RegSlot slot, std::uint64_t value);
  std::uint64_t get(RegRole role) const { return get(abi_info().role(role)); }
  void set(RegRole role, std::uint64_t value) { set(abi_info().role(role), value); }

  std::uint64_t syscall_no() const { return get(RegRole::SyscallNo); }
  void set_syscall_no(std::uint64_t nr) { set(RegRole::SyscallNo, nr); }
  std::uint64_t orig_syscall_no() const { return get(RegRole::OrigSyscallNo); }
  void set_orig_syscall_no(std::uint64_t nr) { set(RegRole::OrigSyscallNo, nr); }
  std::uint64_t arg(int index) const;
  void set_arg(int index, std::uint64_t value);
  // The return register, sign-extended from the ABI's word size (so -ENOENT reads as -2).
  std::int64_t retval() const;
  void set_retval(std::int64_t value) { set(RegRole::Ret, static_cast<std::uint64_t>(value)); }
  std::uint64_t ip() const { return get(RegRole::Ip); }
  void set_ip(std::uint64_t v) { set(RegRole::Ip, v); }
  std::uint64_t sp() const { return get(RegRole::Sp); }
  void set_sp(std::uint64_t v) { set(RegRole::Sp, v); }
  std::uint64_t flags() const { return get(RegRole::Flags); }
  void set_flags(std::uint64_t v) { set(RegRole::Flags, v); }

  // A register by the name the ABI gives it ("rax", "eip", "fs_base").
  std::optional<std::uint64_t> by_name(std::string_view name) const;
  bool set_by_name(std::string_view name, std::uint64_t value);

  // The i386 view, and back (only for Arch::I386; upper halves keep their host values).
  I386UserRegs to_i386() const;
  void assign_i386(const I386UserRegs& regs);

  bool operator==(const Registers&) const = default;

 private:
  Arch arch_ = Arch::X86_64;
  HostBlock host_{};
};

// The aarch64 block's syscall-number slot and the int NT_ARM_SYSTEM_CALL moves: the slot holds
// it sign-extended, so -1 (skip the call) reads as -1 through the role's 8-byte slot, and a value
// written through the role goes back to the regset as its low 32 bits.
void store_aarch64_syscallno(Registers::HostBlock& block, std::int32_t nr);
std::int32_t load_aarch64_syscallno(const Registers::HostBlock& block);

// Names of the set bits of an x86 EFLAGS value, as gdb prints them: "[ ZF PF IF ]".
std::string eflags_names(std::uint64_t flags);

}  // namespace ptk
