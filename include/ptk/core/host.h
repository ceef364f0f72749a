// What this machine's kernel can do for a tracer, found by trying it.
//
// Some kernels lack what ptk relies on: one built without IA32 emulation (or booted with
// ia32_emulation=false, Linux 6.7+) refuses every 32-bit x86 program with ENOEXEC, and some
// hypervisors accept the x86 debug registers but never deliver their traps, so a watchpoint is
// set and never fires. Neither shows in the kernel version, so each capability is probed for
// real, once per process, the first time someone asks (a forked child: about a millisecond).
//
// Thread-safe. A probe that cannot run at all (no fork, ptrace forbidden) answers "present":
// ptk then tries the real operation, which reports its own error.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptk/base/result.h"

namespace ptk {

enum class HostCapability : std::uint8_t {
  I386Programs,        // runs 32-bit x86 programs (execve of an i386 ELF, int $0x80)
  DebugRegisterTraps,  // a thread hits a debug-register watchpoint: SIGTRAP, TRAP_HWBKPT
  Kprobes,             // eBPF programs can hook kernel functions (the eBPF trace's filters)
};

inline constexpr std::array<HostCapability, 3> kHostCapabilities = {
    HostCapability::I386Programs, HostCapability::DebugRegisterTraps, HostCapability::Kprobes};

// Its short name, as tests and scripts name it: "i386", "debug-register-traps", "kprobes".
std::string_view to_string(HostCapability capability);
// The capability of that short name.
std::optional<HostCapability> parse_host_capability(std::string_view name);
// What having it means, in a few words: "32-bit x86 programs run (IA32 emulation)".
std::string_view describe(HostCapability capability);

// Whether this host has it (probed on the first call for each capability).
bool host_has(HostCapability capability);

// Ok when the host has it; otherwise an Unsupported error whose message is one line naming
// what is missing, e.g. "this kernel cannot run 32-bit x86 programs: IA32 emulation is off".
Status require(HostCapability capability);

// The sentence require() uses for a missing capability (without any call prefix).
std::string_view missing_reason(HostCapability capability);

// Why the program at `path` could not be executed, execve having failed with `err`: the errno,
// and the cause where the host explains it ("execve ./prog32: Exec format error; this kernel
// cannot run 32-bit x86 programs: IA32 emulation is off").
Error exec_error(const std::string& path, int err);

}  // namespace ptk
