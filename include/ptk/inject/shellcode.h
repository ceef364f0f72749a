// The shellcode runner: raw machine code run in a stopped tracee thread, which is then put back
// exactly as it was (registers, extended state, bytes, stack, signals).
//
// The code ends at a breakpoint instruction (int3, aarch64's brk #0) -- its own, or the one ptk
// appends after it -- or by returning: that breakpoint is the code's return address (pushed on
// x86, in x30 on aarch64), so a code that ends with `ret` stops there too. The stop's ip is
// past an int3 but on a brk (AbiInfo::breakpoint_pc_adjust). A code that faults (SIGSEGV, SIGILL,
// ...) is stopped there; the fault is reported, not delivered, and the thread is restored as after
// a normal end.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {

enum class CodePlace : std::uint8_t {
  FreshMapping,  // a new anonymous mapping (written RW, then made RX), unmapped after
  AtIp,          // over the instruction stream at the thread's ip, bytes restored after
  AtAddress,     // over the bytes at ShellcodeOptions::address (an executable region)
};

struct ShellcodeOptions {
  std::vector<std::byte> code;
  CodePlace place = CodePlace::FreshMapping;
  std::uint64_t address = 0;  // for CodePlace::AtAddress
};

struct ShellcodeReport {
  std::uint64_t code_addr = 0;  // where the code ran
  std::size_t size = 0;         // bytes written there: the code and ptk's breakpoint
  CodeStop stop;                // how it ended, with the registers it left
};

// Runs the code in thread `tid` (stopped in `session`) in a scope of its own.
Result<ShellcodeReport> run_shellcode(Session& session, pid_t tid, const ShellcodeOptions& options);
// The same inside an open scope (whose restore() then undoes the registers and signals).
Result<ShellcodeReport> run_shellcode(RemoteSyscalls& remote, const ShellcodeOptions& options);

// "0f 05", "0f05", "\x0f\x05", "0x0f,0x05": the bytes of a hex string; an error names the
// first character that is not part of one.
Result<std::vector<std::byte>> parse_hex_bytes(std::string_view text);

}  // namespace ptk::inject
