// Disassembly (capstone) of both ABIs in both syntaxes, and the name helpers of the symbol
// table (demangling, close matches).
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "ptk/debug/disasm.h"
#include "ptk/debug/symbols.h"

namespace {

using ptk::Arch;
using ptk::debug::AsmSyntax;
using ptk::debug::Disassembler;

template <std::size_t N>
std::array<std::byte, N> code(const std::uint8_t (&bytes)[N]) {
  std::array<std::byte, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = std::byte{bytes[i]};
  return out;
}

TEST(DebugDisasm, AttIsTheDefaultAndGivesSizeBytesAndText) {
  Disassembler d;
  EXPECT_EQ(d.syntax(), AsmSyntax::Att);
  // mov $1000, %ecx followed by the next instruction: only the first is decoded.
  auto bytes = code({0xb9, 0xe8, 0x03, 0x00, 0x00, 0x01, 0xca});
  auto insn = d.decode(Arch::X86_64, 0x401000, bytes);
  ASSERT_TRUE(insn.ok()) << insn.error().message();
  EXPECT_EQ(insn->address, 0x401000u);
  EXPECT_EQ(insn->size, 5);
  EXPECT_EQ(insn->hex_bytes(), "b9 e8 03 00 00");
  EXPECT_EQ(insn->text(), "movl $0x3e8, %ecx");
}

TEST(DebugDisasm, IntelSyntax) {
  Disassembler d(AsmSyntax::Intel);
  auto insn = d.decode(Arch::X86_64, 0x1000, code({0xb9, 0xe8, 0x03, 0x00, 0x00}));
  ASSERT_TRUE(insn.ok());
  EXPECT_EQ(insn->text(), "mov ecx, 0x3e8");
}

TEST(DebugDisasm, TheAbiDecidesHowBytesDecode) {
  Disassembler d;
  // 48 is a REX prefix in 64-bit mode (dec %rcx with ff c9) but `dec %eax` in 32-bit mode.
  auto bytes = code({0x48, 0xff, 0xc9});
  auto wide = d.decode(Arch::X86_64, 0, bytes);
  auto narrow = d.decode(Arch::I386, 0, bytes);
  ASSERT_TRUE(wide.ok());
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(wide->text(), "decq %rcx");
  EXPECT_EQ(wide->size, 3);
  EXPECT_EQ(narrow->text(), "decl %eax");
  EXPECT_EQ(narrow->size, 1);
  auto int80 = d.decode(Arch::I386, 0x8049000, code({0xcd, 0x80}));
  ASSERT_TRUE(int80.ok());
  EXPECT_EQ(int80->text(), "int $0x80");
  auto syscall = d.decode(Arch::X86_64, 0, code({0x0f, 0x05}));
  ASSERT_TRUE(syscall.ok());
  EXPECT_EQ(syscall->text(), "syscall");
}

TEST(DebugDisasm, InvalidOrTruncatedBytesAreErrors) {
  Disassembler d;
  // 06 (push %es) does not exist in 64-bit mode; a mov imm32 cut after 2 bytes is incomplete.
  auto bad = d.decode(Arch::X86_64, 0, code({0x06}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ptk::ErrorKind::InvalidArgument);
  EXPECT_FALSE(d.decode(Arch::X86_64, 0, code({0xb8, 0x01})).ok());
  EXPECT_FALSE(d.decode(Arch::X86_64, 0, std::span<const std::byte>()).ok());
  EXPECT_TRUE(d.decode(Arch::I386, 0, code({0x06})).ok()) << "push %es is valid in 32-bit mode";
}

// aarch64 words decode with capstone's ARM64 mode, never as x86 bytes, whatever the syntax.
TEST(DebugDisasm, Aarch64WordsDecodeAsA64) {
  Disassembler d;
  auto svc = d.decode(Arch::Aarch64, 0x1000, code({0x01, 0x00, 0x00, 0xd4}));
  ASSERT_TRUE(svc.ok());
  EXPECT_EQ(svc->text(), "svc #0");
  EXPECT_EQ(svc->size, 4);
  auto bl = d.decode(Arch::Aarch64, 0x1000, code({0xfe, 0xff, 0xff, 0x97}));  // bl . - 8
  ASSERT_TRUE(bl.ok());
  EXPECT_EQ(bl->text(), "bl #0xff8");
  auto stp = d.decode(Arch::Aarch64, 0, code({0xfd, 0x7b, 0xbf, 0xa9}));
  ASSERT_TRUE(stp.ok());
  EXPECT_EQ(stp->text(), "stp x29, x30, [sp, #-0x10]!");
  EXPECT_FALSE(d.decode(Arch::Aarch64, 0, code({0x01, 0x00, 0x00})).ok()) << "a cut word";
  EXPECT_EQ(d.decode(Arch::X86_64, 0, code({0x0f, 0x05}))->text(), "syscall");
}

TEST(DebugSymbolNames, DemangleCxxNamesOnly) {
  EXPECT_EQ(ptk::debug::demangle("_ZN2ns1fEi"), "ns::f(int)");
  EXPECT_EQ(ptk::debug::demangle("main"), "");
  EXPECT_EQ(ptk::debug::demangle("_Znot_valid"), "");
}

TEST(DebugSymbolNames, CloseMatchesRankNearMissesFirst) {
  std::vector<std::string> names = {"main", "mainloop", "domain_name", "write", "writev", "exit"};
  // A transposition is one edit; "main" is then the closest; names containing it follow.
  auto close = ptk::debug::closest_names("mian", names);
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "main");
  auto w = ptk::debug::closest_names("wrte", names);
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w[0], "write");
  auto sub = ptk::debug::closest_names("main", names, 5);
  EXPECT_EQ(sub, (std::vector<std::string>{"main", "mainloop", "domain_name"}));
  EXPECT_TRUE(ptk::debug::closest_names("zzzzzz", names).empty());
  EXPECT_EQ(ptk::debug::closest_names("mai", names, 1).size(), 1u);
}

// The bounds of a near miss: a 9-letter name allows 3 edits, so 3 more letters (at either end)
// are a near miss and 4 are not; a name containing it in any case comes after every near miss.
TEST(DebugSymbolNames, CloseMatchesAtTheEditLimit) {
  std::vector<std::string> names = {"abcdefghiwxyz", "XXABCDEFGHIXX", "xyzabcdefghi",
                                    "abcdefghixyz",  "abdcefghi",     "qqqqqqqqq"};
  EXPECT_EQ(ptk::debug::closest_names("abcdefghi", names),
            (std::vector<std::string>{"abdcefghi", "abcdefghixyz", "xyzabcdefghi", "XXABCDEFGHIXX",
                                      "abcdefghiwxyz"}));
  std::vector<std::string> lower = {"xxabcdefghixx"};
  EXPECT_EQ(ptk::debug::closest_names("ABCDEFGHI", lower), lower);
  // Three edits spread over a name of the same length, then a fourth that puts it out of reach.
  std::vector<std::string> three = {"stp_probe:twicee"}, four = {"stp_probe:twiceee"};
  EXPECT_EQ(ptk::debug::closest_names("step_probe::twice", three), three);
  EXPECT_TRUE(ptk::debug::closest_names("step_probe::twice", four).empty());
}

}  // namespace
