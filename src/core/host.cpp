// host_has / require: each capability probed once per process (host_probes.h), then cached.
#include "ptk/core/host.h"

#include <elf.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "host_probes.h"

namespace ptk {
namespace {

// Whether the file starts with the ELF header of a 32-bit x86 program.
bool is_i386_elf(const std::string& path) {
  Elf32_Ehdr eh{};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh)) return false;
  return std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS32 &&
         eh.e_machine == EM_386;
}

}  // namespace

std::string_view to_string(HostCapability capability) {
  switch (capability) {
    case HostCapability::I386Programs:
      return "i386";
    case HostCapability::DebugRegisterTraps:
      return "debug-register-traps";
    case HostCapability::Kprobes:
      return "kprobes";
  }
  return "unknown";
}

std::optional<HostCapability> parse_host_capability(std::string_view name) {
  for (HostCapability c : kHostCapabilities) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

std::string_view describe(HostCapability capability) {
  switch (capability) {
    case HostCapability::I386Programs:
      return "32-bit x86 programs run (IA32 emulation)";
    case HostCapability::DebugRegisterTraps:
      return "debug-register traps arrive (hardware watchpoints fire)";
    case HostCapability::Kprobes:
      return "kprobes exist (an eBPF trace of a few syscalls hooks only those)";
  }
  return "unknown capability";
}

std::string_view missing_reason(HostCapability capability) {
  switch (capability) {
    case HostCapability::I386Programs:
      return "this kernel cannot run 32-bit x86 programs: IA32 emulation is off";
    case HostCapability::DebugRegisterTraps:
      return "this machine never delivers debug-register traps: a hardware watchpoint would be "
             "set but never fire (a hypervisor without debug-register support)";
    case HostCapability::Kprobes:
      return "this kernel has no kprobes (CONFIG_KPROBES is off): an eBPF trace of a few "
             "syscalls uses the raw syscall tracepoints, which every syscall pays for";
  }
  return "unknown capability";
}

bool host_has(HostCapability capability) {
  // Function-local statics: each probe runs once, on first use, and is thread-safe (C++11).
  switch (capability) {
    case HostCapability::I386Programs: {
      static const bool present = detail::probe_i386_programs() != detail::Probe::Missing;
      return present;
    }
    case HostCapability::DebugRegisterTraps: {
      static const bool present = detail::probe_debug_register_traps() != detail::Probe::Missing;
      return present;
    }
    case HostCapability::Kprobes: {
      static const bool present = detail::probe_kprobes() != detail::Probe::Missing;
      return present;
    }
  }
  return true;
}

Status require(HostCapability capability) {
  if (host_has(capability)) return ok_status();
  return Error(ErrorKind::Unsupported, std::string(missing_reason(capability)));
}

Error exec_error(const std::string& path, int err) {
  Error e = Error::from_errno(err, fmt::format("execve {}", path));
  if (err == ENOEXEC && is_i386_elf(path) && !host_has(HostCapability::I386Programs)) {
    e.with_hint(std::string(missing_reason(HostCapability::I386Programs)));
  }
  return e;
}

}  // namespace ptk
