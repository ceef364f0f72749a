// The syscall tables of every ABI, generated from data/syscalls.txt (tools/gen_syscalls.py)
// and checked at build time against the __NR_* values of the system's kernel headers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "ptk/arch/arch.h"

namespace ptk {

// Classes as strace's -e trace=%class spells them (strace's TRACE_* flags).
enum SyscallClass : std::uint32_t {
  kClassFile = 1u << 0,         // %file: takes a file name
  kClassDesc = 1u << 1,         // %desc: takes or returns a file descriptor
  kClassNetwork = 1u << 2,      // %network
  kClassProcess = 1u << 3,      // %process: process lifecycle
  kClassMemory = 1u << 4,       // %memory: address space
  kClassSignal = 1u << 5,       // %signal
  kClassIpc = 1u << 6,          // %ipc: SysV IPC
  kClassCreds = 1u << 7,        // %creds: ids and capabilities
  kClassClock = 1u << 8,        // %clock: read or change clocks
  kClassStat = 1u << 9,         // %stat
  kClassLstat = 1u << 10,       // %lstat
  kClassFstat = 1u << 11,       // %fstat
  kClassStatLike = 1u << 12,    // %%stat
  kClassStatfs = 1u << 13,      // %statfs
  kClassFstatfs = 1u << 14,     // %fstatfs
  kClassStatfsLike = 1u << 15,  // %%statfs
  kClassPure = 1u << 16,        // %pure: no arguments, always succeeds (getpid, ...)
};

// How to show one argument. The decoders of ptk_sys interpret these; `param` refines them.
enum class ArgType : std::uint8_t {
  Int,     // signed decimal (C int)
  Uint,    // unsigned decimal (C unsigned int)
  Long,    // signed decimal, word sized
  Ulong,   // unsigned decimal, word sized (size_t)
  Hex,     // unsigned hexadecimal
  Ptr,     // an address: NULL or 0x...
  Fd,      // a file descriptor
  DirFd,   // a file descriptor or AT_FDCWD
  Path,    // NUL-terminated path name read from the tracee
  Str,     // NUL-terminated string that is not a path
  InBuf,   // bytes the kernel reads; param: name of the length argument
  OutBuf,  // bytes the kernel writes; param: name of the length argument; shown at exit
  Flags,   // OR of flags; param: flag table name
  Enum,    // one value; param: table name
  Mode,    // file mode, octal
  Pid,
  Uid,  // param "16": a legacy 16-bit id of i386, where 0xffff means -1
  Gid,
  Signal,     // signal number
  Off,        // file offset (loff_t); occupies two registers on i386 where the kernel splits it
  StructIn,   // pointer to a struct the kernel reads; param: struct name
  StructOut,  // pointer to a struct the kernel writes (decoded at exit); param: struct name
  StructInOut,
  StrArray,  // NULL-terminated array of string pointers (argv)
  EnvArray,  // the same, printed as a count unless -v (envp)
};

// What a syscall returns, for rendering the value after " = ".
enum class RetType : std::uint8_t { Int, Hex, Fd, Pid, Uint, None, Mode /* octal: umask */ };

struct ArgSpec {
  std::string_view name;
  ArgType type = ArgType::Long;
  std::string_view param;  // flag/enum table, struct name, or name of the length argument
  // Flags and Enum: the kernel takes all of an unsigned long (`@long` in data/syscalls.txt).
  // Otherwise they are C ints, and strace shows only the low 32 bits of the register.
  bool word = false;
};

// A 64-bit argument the ABI passes in two registers (an Off on i386, the fanotify_mark mask on
// i386, preadv's pos on both ABIs) takes two consecutive `args` entries with the same name, type
// and param: the low half, then the high half. A decoder joins them into one value (see
// is_high_half), so `nargs` stays the register count that raw output and tampering need.
struct SyscallSpec {
  std::string_view name;
  std::int32_t nr = -1;
  std::uint8_t nargs = 0;  // registers the ABI passes (an i386 loff_t split in two counts 2)
  std::uint32_t classes = 0;
  RetType ret = RetType::Int;
  std::array<ArgSpec, 6> args{};  // one per register the syscall takes, in register order
};

// True when args[i] is the high half of the 64-bit value whose low half is args[i - 1].
constexpr bool is_high_half(const SyscallSpec& spec, std::size_t i) {
  return i > 0 && i < spec.nargs && spec.args[i].name == spec.args[i - 1].name;
}

// Every syscall of the ABI, sorted by number, without gaps filled.
std::span<const SyscallSpec> syscall_table(Arch arch);
// nullptr when the number is not a syscall of the ABI (O(1)).
const SyscallSpec* find_syscall(Arch arch, std::int64_t nr);
// nullptr when the ABI has no syscall of that name.
const SyscallSpec* find_syscall(Arch arch, std::string_view name);
// Maps "%file" / "file" style class names to the bit, 0 when unknown.
std::uint32_t syscall_class_from_name(std::string_view name);

}  // namespace ptk
