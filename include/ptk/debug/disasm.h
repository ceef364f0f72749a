// Disassembly of x86 code with capstone, for both tracee ABIs (x86_64 and i386), in AT&T syntax
// (as gdb and objdump print by default) or Intel syntax.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"
#include "ptk/core/memory.h"

namespace ptk::debug {

enum class AsmSyntax : std::uint8_t { Att, Intel };

// The longest x86 instruction (Intel SDM vol. 2, 2.3.11): more bytes are never needed.
inline constexpr std::size_t kMaxInstructionSize = 15;

struct Instruction {
  std::uint64_t address = 0;
  std::uint8_t size = 0;
  std::array<std::uint8_t, 16> bytes{};
  std::string mnemonic;  // "movl"
  std::string operands;  // "$1, %eax"

  std::string text() const;       // "movl $1, %eax"
  std::string hex_bytes() const;  // "b8 01 00 00 00"
};

class Disassembler {
 public:
  explicit Disassembler(AsmSyntax syntax = AsmSyntax::Att);
  ~Disassembler();
  Disassembler(Disassembler&&) noexcept;
  Disassembler& operator=(Disassembler&&) noexcept;

  AsmSyntax syntax() const { return syntax_; }

  // The instruction whose first byte is code[0], at run-time address `address`. InvalidArgument
  // when the bytes are not a valid instruction (or not all of it is in `code`).
  Result<Instruction> decode(Arch arch, std::uint64_t address, std::span<const std::byte> code);
  // The same, reading the bytes from tracee memory (as many as are readable, up to 15).
  Result<Instruction> decode_at(Memory& memory, Arch arch, std::uint64_t address);

 private:
  struct Handle;  // a capstone handle and its instruction buffer, opened on first use per ABI
  AsmSyntax syntax_;
  std::array<std::unique_ptr<Handle>, kArchCount> handles_;  // indexed by Arch
};

}  // namespace ptk::debug
