// Choosing a breakpoint's step-over: capstone (with instruction details) says whether the
// instruction branches and where its RIP-relative displacement sits.
#include "breakpoint_plan.h"

#include "ptk/arch/a64_insn.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <cstring>
#include <limits>

namespace ptk::debug {
namespace {

// A capstone handle with details on, for one decode (insertion is rare: no caching).
class DetailHandle {
 public:
  explicit DetailHandle(Arch arch) {
    ok_ = cs_open(CS_ARCH_X86, arch == Arch::I386 ? CS_MODE_32 : CS_MODE_64, &cs_) == CS_ERR_OK &&
          cs_option(cs_, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK;
  }
  ~DetailHandle() {
    if (insn_ != nullptr) cs_free(insn_, 1);
    if (cs_ != 0) cs_close(&cs_);
  }
  DetailHandle(const DetailHandle&) = delete;
  DetailHandle& operator=(const DetailHandle&) = delete;

  const cs_insn* decode(std::uint64_t address, std::span<const std::byte> code) {
    if (!ok_) return nullptr;
    if (insn_ == nullptr) insn_ = cs_malloc(cs_);
    const auto* data = reinterpret_cast<const std::uint8_t*>(code.data());
    std::size_t size = code.size();
    std::uint64_t at = address;
    return cs_disasm_iter(cs_, &data, &size, &at, insn_) ? insn_ : nullptr;
  }
  bool in_group(const cs_insn* insn, int group) const { return cs_insn_group(cs_, insn, group); }

 private:
  csh cs_ = 0;
  cs_insn* insn_ = nullptr;
  bool ok_ = false;
};

bool fits_i32(std::int64_t v) {
  return v >= std::numeric_limits<std::int32_t>::min() &&
         v <= std::numeric_limits<std::int32_t>::max();
}

void put_u32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(v >> (8 * i)));
}

// aarch64: every instruction is one word, and only the ones that read the pc or write the link
// register cannot run in a slot (a64_insn.h).
Result<StepOverPlan> plan_a64(std::uint64_t address, std::span<const std::byte> code) {
  if (code.size() < 4 || address % 4 != 0) {
    return Error(ErrorKind::InvalidArgument, fmt::format("breakpoint at {:#x}", address), 0,
                 "aarch64 instructions are 4 bytes at 4-byte aligned addresses");
  }
  StepOverPlan plan;
  plan.length = 4;
  switch (a64::classify(a64::word_of(code))) {
    case a64::PcUse::None:
      plan.kind = StepOverKind::Slot;
      break;
    case a64::PcUse::Simulated:
      plan.kind = StepOverKind::Emulate;
      plan.op = EmulateOp::A64;
      break;
    case a64::PcUse::Unsimulated:
      break;  // Classic
  }
  return plan;
}

}  // namespace

std::uint64_t slot_reach(Arch arch) {
  if (arch == Arch::Aarch64) return a64::kBranchReach - 2 * kScratchPageSize;
  return (1ULL << 31) - 2 * kScratchPageSize;
}

Result<StepOverPlan> plan_step_over(Arch arch, std::uint64_t address,
                                    std::span<const std::byte> code) {
  if (arch == Arch::Aarch64) return plan_a64(address, code);
  DetailHandle h(arch);
  const cs_insn* insn = h.decode(address, code);
  if (insn == nullptr) {
    return Error(ErrorKind::InvalidArgument, fmt::format("breakpoint at {:#x}", address), 0,
                 "the bytes there are not a valid instruction");
  }
  StepOverPlan plan;
  plan.length = static_cast<std::uint8_t>(insn->size);
  const cs_x86& x86 = insn->detail->x86;
  bool branch = h.in_group(insn, CS_GRP_JUMP) || h.in_group(insn, CS_GRP_CALL) ||
                h.in_group(insn, CS_GRP_RET) || h.in_group(insn, CS_GRP_IRET) ||
                h.in_group(insn, CS_GRP_INT) || h.in_group(insn, CS_GRP_BRANCH_RELATIVE);
  if (branch) {
    // Function entries and PLT stubs mostly start with these three; their effect is plain
    // register and stack arithmetic.
    bool imm = x86.op_count == 1 && x86.operands[0].type == X86_OP_IMM;
    std::uint8_t opcode = x86.opcode[0];
    if (insn->id == X86_INS_CALL && opcode == 0xe8 && imm) {
      plan.op = EmulateOp::CallRel;
    } else if (insn->id == X86_INS_JMP && (opcode == 0xe9 || opcode == 0xeb) && imm) {
      plan.op = EmulateOp::JmpRel;
    } else if (insn->id == X86_INS_RET && opcode == 0xc3) {
      plan.op = EmulateOp::Ret;
    }
    if (plan.op != EmulateOp::None) {
      plan.kind = StepOverKind::Emulate;
      if (imm) plan.target = static_cast<std::uint64_t>(x86.operands[0].imm);
      if (arch == Arch::I386) plan.target &= 0xffffffffu;
    }
    return plan;  // other branches: Classic
  }
  for (std::uint8_t i = 0; i < x86.op_count; ++i) {
    const cs_x86_op& op = x86.operands[i];
    if (op.type == X86_OP_MEM && op.mem.base == X86_REG_RIP) {
      if (x86.encoding.disp_offset == 0 || x86.encoding.disp_size != 4) return plan;
      plan.disp_offset = x86.encoding.disp_offset;
    }
  }
  plan.kind = StepOverKind::Slot;
  return plan;
}

std::optional<std::vector<std::byte>> slot_code(Arch arch, const StepOverPlan& plan,
                                                std::uint64_t address,
                                                std::span<const std::byte> code,
                                                std::uint64_t slot) {
  std::vector<std::byte> out(code.begin(), code.begin() + plan.length);
  if (arch == Arch::Aarch64) {
    std::optional<std::uint32_t> back = a64::encode_branch(slot + 4, address + 4);
    if (!back) return std::nullopt;
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(*back >> (8 * i)));
    return out;
  }
  if (plan.disp_offset != 0) {
    // The operand is relative to the end of the instruction, which moved by slot - address.
    std::int32_t disp = 0;
    std::memcpy(&disp, out.data() + plan.disp_offset, 4);
    std::int64_t moved = static_cast<std::int64_t>(address - slot) + disp;
    if (!fits_i32(moved)) return std::nullopt;
    auto fixed = static_cast<std::int32_t>(moved);
    std::memcpy(out.data() + plan.disp_offset, &fixed, 4);
  }
  std::uint64_t next = address + plan.length;
  std::uint64_t jmp_at = slot + out.size();
  auto rel = static_cast<std::int64_t>(next - (jmp_at + 5));
  if (arch == Arch::I386 || fits_i32(rel)) {
    // jmp rel32; in 32-bit code the target wraps around 4 GiB, so it always reaches.
    out.push_back(std::byte{0xe9});
    put_u32(out, static_cast<std::uint32_t>(rel));
  } else {
    // jmp *0(%rip) with the absolute target right after it.
    for (std::uint8_t b : {0xff, 0x25, 0x00, 0x00, 0x00, 0x00}) out.push_back(std::byte{b});
    put_u32(out, static_cast<std::uint32_t>(next));
    put_u32(out, static_cast<std::uint32_t>(next >> 32));
  }
  return out;
}

}  // namespace ptk::debug
