// capstone behind ptk types: one handle per ABI, opened once and kept, and one instruction
// buffer reused by cs_disasm_iter (cs_disasm would allocate at every call).
#include "ptk/debug/disasm.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace ptk::debug {

struct Disassembler::Handle {
  csh cs = 0;
  cs_insn* insn = nullptr;
  ~Handle() {
    if (insn != nullptr) cs_free(insn, 1);
    if (cs != 0) cs_close(&cs);
  }
};

Disassembler::Disassembler(AsmSyntax syntax) : syntax_(syntax) {}
Disassembler::~Disassembler() = default;
Disassembler::Disassembler(Disassembler&&) noexcept = default;
Disassembler& Disassembler::operator=(Disassembler&&) noexcept = default;

std::string Instruction::text() const {
  return operands.empty() ? mnemonic : mnemonic + " " + operands;
}

std::string Instruction::hex_bytes() const {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    if (i != 0) out += ' ';
    out += fmt::format("{:02x}", bytes[i]);
  }
  return out;
}

Result<Instruction> Disassembler::decode(Arch arch, std::uint64_t address,
                                         std::span<const std::byte> code) {
  auto& h = handles_[static_cast<std::size_t>(arch)];
  if (!h) {
    auto fresh = std::make_unique<Handle>();
    const bool a64 = arch == Arch::Aarch64;
    cs_arch family = a64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
    cs_mode mode = a64 ? CS_MODE_LITTLE_ENDIAN : arch == Arch::I386 ? CS_MODE_32 : CS_MODE_64;
    if (cs_err err = cs_open(family, mode, &fresh->cs); err != CS_ERR_OK) {
      return Error(ErrorKind::Internal, fmt::format("cs_open: {}", cs_strerror(err)));
    }
    // AT&T or Intel is an x86 choice; aarch64 has one syntax, the ARM manual's.
    if (!a64) {
      cs_opt_value syntax = syntax_ == AsmSyntax::Att ? CS_OPT_SYNTAX_ATT : CS_OPT_SYNTAX_INTEL;
      if (cs_err err = cs_option(fresh->cs, CS_OPT_SYNTAX, syntax); err != CS_ERR_OK) {
        return Error(ErrorKind::Unsupported,
                     fmt::format("cs_option(syntax): {}", cs_strerror(err)));
      }
    }
    fresh->insn = cs_malloc(fresh->cs);
    if (fresh->insn == nullptr) return Error(ErrorKind::Internal, "cs_malloc");
    h = std::move(fresh);
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(code.data());
  std::size_t size = std::min(code.size(), kMaxInstructionSize);
  std::uint64_t at = address;
  if (!cs_disasm_iter(h->cs, &data, &size, &at, h->insn)) {
    return Error(ErrorKind::InvalidArgument, fmt::format("disassemble at {:#x}", address), 0,
                 "not a valid instruction");
  }
  Instruction out;
  out.address = address;
  out.size = static_cast<std::uint8_t>(h->insn->size);
  std::copy_n(h->insn->bytes, out.size, out.bytes.begin());
  out.mnemonic = h->insn->mnemonic;
  out.operands = h->insn->op_str;
  return out;
}

Result<Instruction> Disassembler::decode_at(Memory& memory, Arch arch, std::uint64_t address) {
  std::array<std::byte, kMaxInstructionSize> buf{};
  // Short near the end of a mapping: an instruction that fits in what is readable still decodes.
  PTK_ASSIGN_OR_RETURN(std::size_t n, memory.read(RemoteAddr(address), buf));
  return decode(arch, address, std::span(buf).first(n));
}

}  // namespace ptk::debug
