#include "ptk/arch/reg_decode.h"

#include <utility>

#include "host_layout.h"

namespace ptk {
namespace {

// Bit positions from the Intel SDM vol. 1, 3.4.3 (status, control and system flags); the
// names are those gdb prints. IOPL (bits 12-13) is a field, decoded apart.
constexpr std::pair<int, std::string_view> kEflagsBits[] = {
    {0, "CF"},  {2, "PF"},   {4, "AF"},   {6, "ZF"},  {7, "SF"},  {8, "TF"},
    {9, "IF"},  {10, "DF"},  {11, "OF"},  {14, "NT"}, {16, "RF"}, {17, "VM"},
    {18, "AC"}, {19, "VIF"}, {20, "VIP"}, {21, "ID"}};

// PSTATE as an SPSR (Arm ARM C5.2.18, the AArch64-state layout); names as the Arm ARM spells
// them. BTYPE (bits 10-11) and M (bits 0-4) are fields, not flags.
constexpr std::pair<int, std::string_view> kPstateBits[] = {
    {6, "F"},    {7, "I"},   {8, "A"},    {9, "D"},    {12, "SSBS"},
    {20, "IL"},  {21, "SS"}, {22, "PAN"}, {23, "UAO"}, {24, "DIT"},
    {25, "TCO"}, {28, "V"},  {29, "C"},   {30, "Z"},   {31, "N"}};

// GDT entries of an x86_64 kernel that user space sees (arch/x86/include/asm/segment.h,
// the CONFIG_X86_64 part): the selector is index * 8 + RPL 3.
constexpr std::uint16_t kGdtUser32Cs = 4;
constexpr std::uint16_t kGdtUserDs = 5;
constexpr std::uint16_t kGdtUserCs = 6;
constexpr std::uint16_t kGdtTlsMin = 12;  // three TLS slots set by set_thread_area(2)
constexpr std::uint16_t kGdtTlsMax = 14;
constexpr std::uint16_t kGdtCpuNode = 15;  // its limit holds the cpu and node numbers (RDPID-less
                                           // getcpu in the vDSO)

}  // namespace

std::vector<std::string_view> eflags_flag_names(std::uint64_t flags) {
  std::vector<std::string_view> names;
  for (auto [bit, name] : kEflagsBits) {
    if (flags & (1ull << bit)) names.push_back(name);
  }
  return names;
}

int eflags_iopl(std::uint64_t flags) { return static_cast<int>((flags >> 12) & 3); }

std::vector<std::string_view> pstate_flag_names(std::uint64_t pstate) {
  std::vector<std::string_view> names;
  for (auto [bit, name] : kPstateBits) {
    if (pstate & (1ull << bit)) names.push_back(name);
  }
  return names;
}

int pstate_el(std::uint64_t pstate) { return static_cast<int>((pstate >> 2) & 3); }

SegmentSelector decode_selector(std::uint64_t selector) {
  return SegmentSelector{.index = static_cast<std::uint16_t>((selector >> 3) & 0x1fff),
                         .ldt = (selector & 4) != 0,
                         .rpl = static_cast<std::uint8_t>(selector & 3)};
}

std::string_view selector_role(std::uint64_t selector) {
  if (selector > 0xffff) return "";
  SegmentSelector s = decode_selector(selector);
  // Selectors 0-3 all name the null descriptor: a 64-bit process's ds, es, fs and gs.
  if (s.index == 0 && !s.ldt) return "null";
  if (s.ldt) return "LDT";  // modify_ldt(2): Wine, old threading libraries
  if (s.rpl != 3) return "";
  switch (s.index) {
    case kGdtUser32Cs:
      return "user code (32-bit)";
    case kGdtUserDs:
      return "user data";
    case kGdtUserCs:
      return "user code (64-bit)";
    case kGdtCpuNode:
      return "cpu/node";
    default:
      break;
  }
  if (s.index >= kGdtTlsMin && s.index <= kGdtTlsMax) return "TLS";
  return "";
}

SegmentBases segment_bases(const Registers& regs) {
  // aarch64 has no segments; its TLS pointer (TPIDR_EL0) is a regset of its own (NT_ARM_TLS),
  // not in the block.
  if (regs.arch() == Arch::Aarch64) return SegmentBases{};
  // The x86 block always holds both bases as 64-bit values, whatever the thread's ABI.
  return SegmentBases{.fs_base = regs.get(host::q(host::kFsBase)),
                      .gs_base = regs.get(host::q(host::kGsBase))};
}

std::vector<RegisterValue> register_listing(const Registers& regs) {
  std::vector<RegisterValue> out;
  for (const NamedReg& r : regs.abi_info().registers) {
    out.push_back(RegisterValue{r.name, r.group, r.slot.width, regs.get(r.slot)});
  }
  if (regs.arch() == Arch::I386) {
    SegmentBases bases = segment_bases(regs);
    out.push_back(RegisterValue{"fs_base", RegGroup::Base, 4, bases.fs_base});
    out.push_back(RegisterValue{"gs_base", RegGroup::Base, 4, bases.gs_base});
  }
  return out;
}

}  // namespace ptk
