// How `ptk inject` shows its results: one line of text (a syscall as strace writes it), or one
// JSON object with --json.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/color.h"
#include "ptk/arch/syscalls.h"
#include "ptk/inject/shellcode.h"
#include "ptk/inject/syscall_expr.h"

namespace ptk::cli {

struct SyscallOutcome {
  pid_t pid = 0;
  pid_t tid = 0;
  Arch arch = Arch::X86_64;
  const SyscallSpec* spec = nullptr;
  const inject::SyscallExpr* expr = nullptr;
  std::int64_t ret = 0;
  std::uint64_t ret_address = 0;  // the return value as an unsigned word (for hex results)
};

// `write(1, "hi\n", 3) = 3`, `close(99) = -1 EBADF (Bad file descriptor)`.
std::string render_syscall_text(const SyscallOutcome& o, const Palette& palette = Palette());
std::string render_syscall_json(const SyscallOutcome& o);

struct ShellcodeOutcome {
  pid_t pid = 0;
  pid_t tid = 0;
  Arch arch = Arch::X86_64;
  inject::CodePlace place = inject::CodePlace::FreshMapping;
  const inject::ShellcodeReport* report = nullptr;
};

std::string render_shellcode_text(const ShellcodeOutcome& o, const Palette& palette = Palette());
std::string render_shellcode_json(const ShellcodeOutcome& o);
// "the shellcode faulted (SIGSEGV at 0x0; ip 0x7f... = code+5)".
std::string describe_fault(const ShellcodeOutcome& o);

}  // namespace ptk::cli
