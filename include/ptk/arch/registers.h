// Registers: one tracee thread's general registers, tagged with the ABI it runs in.
//
// The storage is the host's transport block (what PTRACE_GETREGS reads and PTRACE_SETREGS
// writes), so a value round-trips bit-identically; the ABI's view (eax.. for i386, rax.. for
// x86_64) is read and written through the slot tables of AbiInfo.
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

// Size of the host's register transport block: sizeof(struct user_regs_struct) on x86_64.
inline constexpr std::size_t kHostRegsSize = 27 * 8;

// The i386 kernel's struct user_regs_struct, as a 32-bit debugger sees it.
struct I386UserRegs {
  std::uint32_t ebx, ecx, edx, esi, edi, ebp, eax;
  std::uint32_t xds, xes, xfs, xgs, orig_eax, eip, xcs, eflags, esp, xss;
};
static_assert(sizeof(I386UserRegs) == 68);

class Registers {
 public:
  using HostBlock = std::array<std::byte, kHostRegsSize>;

  Registers() = default;
  Registers(Arch arch, const HostBlock& host) : arch_(arch), host_(host) {}

  // The ABI a thread is in, from the code segment of a host block: compat-mode user code runs
  // with cs = __USER32_CS (0x23), 64-bit code with __USER_CS (0x33).
  static Arch arch_of_host_block(const HostBlock& host);

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

// Names of the set bits of an x86 EFLAGS value, as gdb prints them: "[ ZF PF IF ]".
std::string eflags_names(std::uint64_t flags);

}  // namespace ptk
