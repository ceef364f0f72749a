#include "abi_tables.h"

namespace ptk {

const AbiInfo& abi(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return kAbiX86_64;
    case Arch::I386:
      return kAbiI386;
    case Arch::Aarch64:
      return kAbiAarch64;
  }
  return kAbiX86_64;
}

std::string_view to_string(Arch arch) { return abi(arch).name; }

std::optional<Arch> arch_from_name(std::string_view name) {
  for (Arch a : kKnownArches) {
    if (abi(a).name == name) return a;
  }
  if (name == "x86-64" || name == "amd64" || name == "64") return Arch::X86_64;
  if (name == "x86" || name == "ia32" || name == "32") return Arch::I386;
  if (name == "arm64") return Arch::Aarch64;  // Debian's and the kernel's name
  return std::nullopt;
}

std::optional<Arch> arch_from_audit(std::uint32_t audit_arch) {
  for (Arch a : kHostArches) {
    if (abi(a).audit_arch == audit_arch) return a;
  }
  return std::nullopt;
}

}  // namespace ptk
