// debug::Frame: where a frame's symbol is looked up, and C++ names demangled.
#include <gtest/gtest.h>

#include "ptk/debug/unwind.h"

namespace ptk::debug {
namespace {

TEST(DebugFrame, CallersAreLookedUpInsideTheCallInstruction) {
  Frame innermost{.pc = 0x1000, .activation = true};
  EXPECT_EQ(innermost.lookup_pc(), 0x1000u);
  // A return address may be the first byte of the next function (after a noreturn call).
  Frame caller{.pc = 0x2000, .activation = false};
  EXPECT_EQ(caller.lookup_pc(), 0x1fffu);
}

TEST(DebugFrame, DemangledSymbol) {
  Frame f;
  f.symbol = "_ZN3ptk5debug8Unwinder9backtraceEim";
  EXPECT_EQ(f.demangled_symbol(), "ptk::debug::Unwinder::backtrace(int, unsigned long)");
  f.symbol = "__write";  // a C name stays as it is
  EXPECT_EQ(f.demangled_symbol(), "__write");
  f.symbol = "_Znot_a_name";  // looks mangled but is not: kept
  EXPECT_EQ(f.demangled_symbol(), "_Znot_a_name");
  f.symbol.clear();
  EXPECT_EQ(f.demangled_symbol(), "");
}

}  // namespace
}  // namespace ptk::debug
