// The tracee ABIs ptk understands, each described as plain data (no code paths per ABI).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ptk {

// The ABI of a tracee (or of one syscall: a 64-bit process may use `int $0x80`). The values
// index per-ABI arrays and are stored in record files: new ABIs go at the end.
enum class Arch : std::uint8_t { X86_64, I386, Aarch64 };
inline constexpr std::size_t kArchCount = 3;

// Every ABI ptk has data for (syscall tables, register layouts), whatever the host.
inline constexpr std::array<Arch, kArchCount> kKnownArches = {Arch::X86_64, Arch::I386,
                                                              Arch::Aarch64};

// The ABIs a tracee of this host can run in: the ones the host's kernel reports and its ptrace
// transport carries. An x86_64 kernel runs 64-bit and compat i386 tasks; an aarch64 one runs
// aarch64 tasks (its AArch32 compat tasks are not supported: see registers.h).
#if defined(__x86_64__)
inline constexpr std::array<Arch, 2> kHostArches = {Arch::X86_64, Arch::I386};
#elif defined(__aarch64__)
inline constexpr std::array<Arch, 1> kHostArches = {Arch::Aarch64};
#else
#error "ptk traces on x86_64 and aarch64 hosts only"
#endif

// What the tracer-side code iterates (syscall filters, seccomp programs, tamper rules, name
// completion): a syscall name or number only means something for an ABI a tracee can be in,
// so this is the host's set. The name predates the aarch64 port; sites that really want every
// ABI ptk knows use kKnownArches.
inline constexpr auto kAllArches = kHostArches;

// A table with one entry per ABI ptk knows, indexed by the Arch value (so any Arch indexes it
// safely, whatever the host), every entry `value`.
template <class T>
constexpr std::array<T, kArchCount> per_arch(T value) {
  std::array<T, kArchCount> table{};
  table.fill(value);
  return table;
}

constexpr bool is_host_arch(Arch arch) {
  for (Arch a : kHostArches) {
    if (a == arch) return true;
  }
  return false;
}

// Where a value lives inside a register transport block: the bytes ptrace moves for one thread
// (see registers.h for each host's block). A 32-bit x86 tracee's registers are the low halves
// of the 64-bit slots, so each ABI is a table of slots over its host's block.
struct RegSlot {
  std::uint16_t offset = 0;
  std::uint8_t width = 8;    // bytes the ABI sees: 8 or 4
  bool sign_extend = false;  // widen a 32-bit value as signed when written back
  constexpr bool operator==(const RegSlot&) const = default;
};

enum class RegRole : std::uint8_t {
  SyscallNo,      // the register the syscall number is loaded into (rax/eax; aarch64: below)
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
  std::array<RegSlot, 8> int_arg_regs{};  // the first `reg_args` integer args
  std::uint8_t reg_args = 0;  // 6 for SysV x86_64, 8 for AAPCS64, 0 for i386 cdecl (all on stack)
  RegSlot ret{};
  // Where the callee finds its return address: pushed on the stack by `call` (x86), or in the
  // link register set by `bl` (aarch64's x30), which a remote call sets itself.
  bool return_in_reg = false;
  RegSlot return_reg{};  // when return_in_reg
};

// A fixed instruction of an ABI (its syscall or breakpoint instruction) as the bytes that go
// into memory, in memory order: 1 or 2 bytes on x86, one 4-byte little-endian word on aarch64.
struct InsnBytes {
  static constexpr std::size_t kMax = 4;
  std::array<std::uint8_t, kMax> raw{};
  std::uint8_t len = 0;

  constexpr std::size_t size() const { return len; }
  constexpr std::uint8_t operator[](std::size_t i) const { return raw[i]; }
  std::span<const std::byte> bytes() const {
    return std::as_bytes(std::span<const std::uint8_t>(raw.data(), len));
  }
  constexpr bool operator==(const InsnBytes&) const = default;
};

// The instruction `word` as aarch64 stores it: little-endian, whatever the host.
constexpr InsnBytes insn_le32(std::uint32_t word) {
  return InsnBytes{{static_cast<std::uint8_t>(word), static_cast<std::uint8_t>(word >> 8),
                    static_cast<std::uint8_t>(word >> 16), static_cast<std::uint8_t>(word >> 24)},
                   4};
}

struct AbiInfo {
  Arch arch;
  std::string_view name;          // "x86_64", "i386", "aarch64" as strace and JSON print them
  std::uint32_t audit_arch;       // AUDIT_ARCH_* as PTRACE_GET_SYSCALL_INFO and seccomp report
  std::uint8_t word_size;         // bytes in a long / pointer
  std::uint16_t regs_block_size;  // bytes of the transport block the slots index (registers.h)
  std::array<RegSlot, static_cast<std::size_t>(RegRole::kCount)> roles;
  InsnBytes syscall_insn;     // 0f 05 (syscall), cd 80 (int $0x80), 01 00 00 d4 (svc #0)
  InsnBytes breakpoint_insn;  // cc (int3), 00 00 20 d4 (brk #0)
  // After the trap, ip is this far past the breakpoint's address: int3 is a trap that has
  // executed (1), brk an exception taken before it executes (0: pc stays on the brk).
  std::uint8_t breakpoint_pc_adjust;
  std::uint16_t red_zone;    // bytes below sp a leaf function may use
  std::uint8_t stack_align;  // sp alignment at a call instruction
  CallConv call;
  std::span<const NamedReg> registers;  // every register the ABI names, in display order
  std::span<const NamedReg> aliases;    // other names by_name accepts (aarch64's fp, lr)

  RegSlot role(RegRole r) const { return roles[static_cast<std::size_t>(r)]; }
};

const AbiInfo& abi(Arch arch);
std::string_view to_string(Arch arch);
// Any ABI ptk knows, by its name or a common alias ("amd64", "arm64").
std::optional<Arch> arch_from_name(std::string_view name);
// An ABI of this host (kHostArches) by its AUDIT_ARCH_* value. The value comes from the running
// kernel or a tracee's data (seccomp_data, siginfo), and strace names syscalls only of the
// personalities of its own build: another host's ABI is unknown here, so it prints as a number.
std::optional<Arch> arch_from_audit(std::uint32_t audit_arch);

}  // namespace ptk
