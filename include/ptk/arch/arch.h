// The tracee ABIs ptk understands, each described as plain data (no code paths per ABI).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ptk {

// The ABI of a tracee (or of one syscall: a 64-bit process may use `int $0x80`).
enum class Arch : std::uint8_t { X86_64, I386 };
inline constexpr std::array<Arch, 2> kAllArches = {Arch::X86_64, Arch::I386};

// Where a value lives inside the host's register transport block (struct user_regs_struct on
// x86_64, as PTRACE_GETREGS fills it). A 32-bit tracee's registers are the low halves of the
// 64-bit slots, so each ABI is a table of slots over the same block.
struct RegSlot {
  std::uint16_t offset = 0;
  std::uint8_t width = 8;    // bytes the ABI sees: 8 or 4
  bool sign_extend = false;  // widen a 32-bit value as signed when written back
  constexpr bool operator==(const RegSlot&) const = default;
};

enum class RegRole : std::uint8_t {
  SyscallNo,      // the register the syscall number is loaded into (rax/eax)
  OrigSyscallNo,  // the kernel's saved copy at a syscall stop (orig_rax/orig_eax)
  Ret,            // syscall and function return value
  Ip,
  Sp,
  Fp,
  Flags,
  Arg0,
  Arg1,
  Arg2,
  Arg3,
  Arg4,
  Arg5,  // syscall arguments
  kCount,
};

enum class RegGroup : std::uint8_t { General, Pointer, Segment, Flags, Base, Syscall };

struct NamedReg {
  std::string_view name;
  RegSlot slot;
  RegGroup group;
};

// How a function call passes integer arguments (for remote calls and `ptk calls`).
struct CallConv {
  std::array<RegSlot, 6> int_arg_regs{};  // the first `reg_args` integer args
  std::uint8_t reg_args = 0;              // 6 for SysV x86_64, 0 for i386 cdecl (all on stack)
  RegSlot ret{};
};

struct AbiInfo {
  Arch arch;
  std::string_view name;     // "x86_64", "i386" as strace and JSON print them
  std::uint32_t audit_arch;  // AUDIT_ARCH_* as PTRACE_GET_SYSCALL_INFO and seccomp report
  std::uint8_t word_size;    // bytes in a long / pointer
  std::array<RegSlot, static_cast<std::size_t>(RegRole::kCount)> roles;
  std::array<std::uint8_t, 2> syscall_insn;  // 0f 05 (syscall) or cd 80 (int $0x80)
  std::uint8_t breakpoint_opcode;            // 0xcc, int3
  std::uint8_t breakpoint_pc_adjust;         // after the trap, ip is this far past the opcode
  std::uint16_t red_zone;                    // bytes below sp a leaf function may use
  std::uint8_t stack_align;                  // sp alignment at a call instruction
  CallConv call;
  std::span<const NamedReg> registers;  // every register the ABI names, in display order

  RegSlot role(RegRole r) const { return roles[static_cast<std::size_t>(r)]; }
};

const AbiInfo& abi(Arch arch);
std::string_view to_string(Arch arch);
std::optional<Arch> arch_from_name(std::string_view name);
std::optional<Arch> arch_from_audit(std::uint32_t audit_arch);

}  // namespace ptk
