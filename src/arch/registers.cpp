#include "ptk/arch/registers.h"

#include <cstring>
#include <initializer_list>

#include "host_layout.h"

namespace ptk {

Arch Registers::arch_of_x86_block(const HostBlock& host) {
  std::uint64_t cs = 0;
  std::memcpy(&cs, host.data() + host::kCs, sizeof cs);
  return cs == host::kUser32Cs ? Arch::I386 : Arch::X86_64;
}

Arch Registers::arch_of_host_block(const HostBlock& host) {
#if defined(__x86_64__)
  return arch_of_x86_block(host);
#else
  (void)host;
  return Arch::Aarch64;
#endif
}

std::uint64_t Registers::get(RegSlot slot) const {
  if (slot.width == 4) {
    std::uint32_t v = 0;
    std::memcpy(&v, host_.data() + slot.offset, sizeof v);
    return v;
  }
  std::uint64_t v = 0;
  std::memcpy(&v, host_.data() + slot.offset, sizeof v);
  return v;
}

void Registers::set(RegSlot slot, std::uint64_t value) {
  if (slot.width == 4) {
    // A 32-bit register lives in the low half of its 64-bit slot; the kernel zero-extends
    // 32-bit values it takes from a compat task, except the slots marked sign_extend.
    auto low = static_cast<std::uint32_t>(value);
    value =
        slot.sign_extend
            ? static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(low)))
            : low;
  }
  std::memcpy(host_.data() + slot.offset, &value, sizeof value);
}

std::uint64_t Registers::arg(int index) const {
  return get(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + index));
}

void Registers::set_arg(int index, std::uint64_t value) {
  set(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + index), value);
}

std::int64_t Registers::retval() const {
  std::uint64_t raw = get(RegRole::Ret);
  if (abi_info().word_size == 4) return static_cast<std::int32_t>(raw);
  return static_cast<std::int64_t>(raw);
}

namespace {

const NamedReg* find_named(const AbiInfo& abi, std::string_view name) {
  for (const auto& list : {abi.registers, abi.aliases}) {
    for (const NamedReg& r : list) {
      if (r.name == name) return &r;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<std::uint64_t> Registers::by_name(std::string_view name) const {
  if (const NamedReg* r = find_named(abi_info(), name)) return get(r->slot);
  return std::nullopt;
}

bool Registers::set_by_name(std::string_view name, std::uint64_t value) {
  const NamedReg* r = find_named(abi_info(), name);
  if (r == nullptr) return false;
  set(r->slot, value);
  return true;
}

I386UserRegs Registers::to_i386() const {
  auto g = [&](std::uint16_t off) { return static_cast<std::uint32_t>(get(host::d(off))); };
  using namespace host;
  return I386UserRegs{g(kRbx), g(kRcx), g(kRdx),    g(kRsi), g(kRdi), g(kRbp),
                      g(kRax), g(kDs),  g(kEs),     g(kFs),  g(kGs),  g(kOrigRax),
                      g(kRip), g(kCs),  g(kEflags), g(kRsp), g(kSs)};
}

void Registers::assign_i386(const I386UserRegs& r) {
  using namespace host;
  const std::pair<std::uint16_t, std::uint32_t> fields[] = {
      {kRbx, r.ebx}, {kRcx, r.ecx}, {kRdx, r.edx},       {kRsi, r.esi}, {kRdi, r.edi},
      {kRbp, r.ebp}, {kDs, r.xds},  {kEs, r.xes},        {kFs, r.xfs},  {kGs, r.xgs},
      {kRip, r.eip}, {kCs, r.xcs},  {kEflags, r.eflags}, {kRsp, r.esp}, {kSs, r.xss}};
  // A register whose 32-bit value is unchanged keeps its host bits, so that assigning back an
  // unchanged view is bit-identical (a zero-extended rax stays zero-extended); changed ones
  // are widened as the slot says.
  auto assign = [&](RegSlot slot, std::uint32_t v) {
    if (static_cast<std::uint32_t>(get(slot)) != v) set(slot, v);
  };
  for (auto [off, v] : fields) assign(d(off), v);
  assign(d_signed(kRax), r.eax);
  assign(d_signed(kOrigRax), r.orig_eax);
}

void store_aarch64_syscallno(Registers::HostBlock& block, std::int32_t nr) {
  const auto wide = static_cast<std::int64_t>(nr);
  std::memcpy(block.data() + kAarch64SyscallNoOffset, &wide, sizeof wide);
}

std::int32_t load_aarch64_syscallno(const Registers::HostBlock& block) {
  std::uint64_t wide = 0;
  std::memcpy(&wide, block.data() + kAarch64SyscallNoOffset, sizeof wide);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(wide));
}

std::string eflags_names(std::uint64_t flags) {
  // Bit positions from the Intel SDM vol. 1, 3.4.3; names as gdb prints them.
  static constexpr std::pair<int, const char*> kBits[] = {
      {0, "CF"},  {2, "PF"},  {4, "AF"},  {6, "ZF"},  {7, "SF"},  {8, "TF"},  {9, "IF"},
      {10, "DF"}, {11, "OF"}, {14, "NT"}, {16, "RF"}, {17, "VM"}, {18, "AC"}, {21, "ID"}};
  std::string out = "[";
  for (auto [bit, name] : kBits) {
    if (flags & (1ull << bit)) {
      out += ' ';
      out += name;
    }
  }
  out += " ]";
  return out;
}

}  // namespace ptk
