// The probes behind ptk/core/host.h: each tries the real thing in a forked child.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ptk::detail {

enum class Probe : std::uint8_t {
  Present,
  Missing,
  Unknown,  // the probe itself could not run (fork failed, ptrace forbidden, ...)
};

// A complete static i386 ELF executable that exits with `status` through int $0x80.
std::vector<std::byte> i386_exit_program(std::uint8_t status);

// Runs i386_exit_program from a memfd: Present when it exits as told, Missing on ENOEXEC.
// Where a memfd cannot be executed (vm.memfd_noexec), it asks the same of the kernel with an
// `int $0x80` from a 64-bit child instead (SIGSEGV there without IA32 emulation).
Probe probe_i386_programs();

// A child is stopped, given a write watchpoint in DR0/DR7 on one of its variables and
// continued: Present when it stops with SIGTRAP, Missing when it writes and exits untrapped.
Probe probe_debug_register_traps();

// Whether the kernel offers kprobes to perf_event_open(2) and eBPF: its "kprobe" event source
// (Linux 4.17+), else the legacy tracefs control file. Only files are read: attaching one
// needs root and would leave the kernel patched if ptk died in between.
Probe probe_kprobes();

}  // namespace ptk::detail
