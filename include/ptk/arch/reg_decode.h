// Decoding register values for display (`ptk regs`, the debugger): EFLAGS bits, segment
// selectors, the fs/gs bases of the x86 ABIs, aarch64's PSTATE bits, and every register of a
// thread in display order.
// Pure functions over Registers values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ptk/arch/registers.h"

namespace ptk {

// The names of the set status and control bits of an EFLAGS value, lowest bit first
// ("CF", "PF", "ZF", "IF", ...). eflags_names() in registers.h is the same as one string.
std::vector<std::string_view> eflags_flag_names(std::uint64_t flags);
// The I/O privilege level field (bits 12-13).
int eflags_iopl(std::uint64_t flags);

// The names of the set single-bit fields of an aarch64 PSTATE value as ptrace shows it (the
// SPSR_EL1 layout, Arm ARM C5.2.18), lowest bit first: "F", "I", "A", "D", "SSBS", "IL", "SS",
// "PAN", "UAO", "DIT", "TCO", "V", "C", "Z", "N".
std::vector<std::string_view> pstate_flag_names(std::uint64_t pstate);
// The exception level field (M[3:2]): 0 for user code.
int pstate_el(std::uint64_t pstate);

// A segment selector's fields (Intel SDM vol. 3, 3.4.2).
struct SegmentSelector {
  std::uint16_t index = 0;  // descriptor number in the GDT or LDT
  bool ldt = false;         // table indicator: the LDT instead of the GDT
  std::uint8_t rpl = 0;     // requested privilege level: 3 for user code
};
SegmentSelector decode_selector(std::uint64_t selector);
// What Linux uses a selector for in user space on an x86_64 kernel ("user code (64-bit)",
// "user data", "TLS", ...), or "" when it is none of the usual ones.
std::string_view selector_role(std::uint64_t selector);

// The bases of the fs and gs segments. The 64-bit ABI keeps its TLS pointer in fs_base; an
// i386 process reaches its TLS through gs, a GDT TLS descriptor, whose base the kernel reports
// as gs_base all the same (it reads the descriptor: x86_gsbase_read_task()).
struct SegmentBases {
  std::uint64_t fs_base = 0;
  std::uint64_t gs_base = 0;
};
// Zero for an aarch64 thread, which has no segments.
SegmentBases segment_bases(const Registers& regs);

// One register as the thread's ABI names it, with its value zero-extended.
struct RegisterValue {
  std::string_view name;
  RegGroup group;
  std::uint8_t width;  // bytes: 8 or 4
  std::uint64_t value;
};
// Every register of the ABI in display order, then fs_base and gs_base for an i386 thread
// (which its ABI table does not name: a 32-bit debugger has no such registers, but the bases
// are what its TLS lives at).
std::vector<RegisterValue> register_listing(const Registers& regs);

}  // namespace ptk
