// `ptk calls`' pure parts: the prototype grammar and table, printf conversions, and argument
// decoding by ABI (registers built here; "tracee" memory is this process's own).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cstring>

#include "low_map.h"
#include "ptk/debug/call_args.h"
#include "ptk/debug/call_prototypes.h"
#include "x86_host.h"

namespace {

using ptk::debug::ArgType;

TEST(CallPrototypes, ParsesDeclarations) {
  auto p = ptk::debug::parse_prototype("ulong snprintf(ptr, ulong, format, ...)");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->name, "snprintf");
  EXPECT_EQ(p->ret, ArgType::ULong);
  EXPECT_EQ(p->args, (std::vector<ArgType>{ArgType::Ptr, ArgType::ULong, ArgType::Format}));
  EXPECT_TRUE(p->variadic);
  EXPECT_FALSE(p->noreturn);
  auto e = ptk::debug::parse_prototype("void exit(int) noreturn");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->noreturn);
  EXPECT_EQ(e->ret, ArgType::Void);
  auto none = ptk::debug::parse_prototype("int getpid()");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->args.empty());
}

TEST(CallPrototypes, RefusesBadDeclarations) {
  for (const char* bad : {"strlen(string)", "int f(string", "quux f(int)", "int f(void)",
                          "int f(..., int)", "int (int)", "int f(strin)"}) {
    auto p = ptk::debug::parse_prototype(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_NE(p.error().message().find(bad), std::string::npos) << p.error().message();
    }
  }
}

TEST(CallPrototypes, TableHasTheCommonLibcFunctions) {
  for (const char* name :
       {"strlen",    "strcmp",  "strncmp",  "strcpy",   "strncpy", "strcat",  "strchr", "strrchr",
        "strstr",    "strdup",  "memcpy",   "memmove",  "memset",  "memcmp",  "puts",   "printf",
        "fprintf",   "sprintf", "snprintf", "fputs",    "fputc",   "putchar", "fopen",  "fclose",
        "fread",     "fwrite",  "fflush",   "fgets",    "getline", "malloc",  "calloc", "realloc",
        "free",      "open",    "openat",   "read",     "write",   "close",   "stat",   "fstat",
        "lstat",     "opendir", "readdir",  "closedir", "unlink",  "mkdir",   "getenv", "setenv",
        "setlocale", "atoi",    "strtol",   "strtoul",  "exit",    "abort",   "getpid", "sleep",
        "qsort",     "bsearch", "isatty"}) {
    EXPECT_NE(ptk::debug::builtin_prototype(name), nullptr) << name;
  }
  const auto* strlen_p = ptk::debug::builtin_prototype("strlen");
  ASSERT_NE(strlen_p, nullptr);
  EXPECT_EQ(strlen_p->args, std::vector<ArgType>{ArgType::String});
  EXPECT_TRUE(ptk::debug::builtin_prototype("abort")->noreturn);
  EXPECT_EQ(ptk::debug::builtin_prototype("free")->ret, ArgType::Void);
  EXPECT_EQ(ptk::debug::builtin_prototype("no_such_function"), nullptr);
  auto g = ptk::debug::guessed_prototype("mystery");
  EXPECT_TRUE(g.guessed);
  EXPECT_EQ(g.args.size(), static_cast<std::size_t>(ptk::debug::kGuessedArgs));
}

TEST(CallFormat, PrintfConversions) {
  using V = std::vector<ArgType>;
  EXPECT_EQ(ptk::debug::format_conversions("%zu %s %s\n", 8),
            (V{ArgType::ULong, ArgType::String, ArgType::String}));
  EXPECT_EQ(ptk::debug::format_conversions("100%% %-5.*d|%c|%#lx|%hhu", 8),
            (V{ArgType::Int, ArgType::Int, ArgType::Char, ArgType::Hex, ArgType::UInt}));
  EXPECT_EQ(ptk::debug::format_conversions("%p %n %lld", 8),
            (V{ArgType::Ptr, ArgType::Ptr, ArgType::Long}));
  // Variadic floats are promoted to double; a long double cannot be placed, nor what follows.
  EXPECT_EQ(ptk::debug::format_conversions("%d %f %.3g %d", 8),
            (V{ArgType::Int, ArgType::Double, ArgType::Double, ArgType::Int}));
  EXPECT_EQ(ptk::debug::format_conversions("%d %Lf %d", 8), (V{ArgType::Int}));
  EXPECT_EQ(ptk::debug::format_conversions("%d %y %d", 8), (V{ArgType::Int}));
  EXPECT_EQ(ptk::debug::format_conversions("%d %d %d", 2), (V{ArgType::Int, ArgType::Int}));
  EXPECT_TRUE(ptk::debug::format_conversions("plain %", 8).empty());
}

TEST(CallFormat, ValuesByType) {
  ptk::Memory mem(::getpid());
  ptk::debug::CallFormat f;
  auto show = [&](ArgType t, std::uint64_t v, std::size_t word = 8) {
    return ptk::debug::format_value(t, v, word, mem, f);
  };
  EXPECT_EQ(show(ArgType::Int, 0xffffffffULL), "-1");
  EXPECT_EQ(show(ArgType::Int, 0x1234500000007ULL), "7");  // upper half of the register unused
  EXPECT_EQ(show(ArgType::UInt, 0xffffffffULL), "4294967295");
  EXPECT_EQ(show(ArgType::Long, 0xfffffffffffffffeULL), "-2");
  EXPECT_EQ(show(ArgType::Long, 0xfffffffeULL, 4), "-2");
  EXPECT_EQ(show(ArgType::ULong, 0x1ffffffffULL, 4), "4294967295");
  EXPECT_EQ(show(ArgType::Hex, 255), "0xff");
  EXPECT_EQ(show(ArgType::Oct, 0644), "0644");
  EXPECT_EQ(show(ArgType::Ptr, 0), "NULL");
  EXPECT_EQ(show(ArgType::Func, 0x401000), "0x401000");
  EXPECT_EQ(show(ArgType::Char, 'a'), "'a'");
  EXPECT_EQ(show(ArgType::Char, '\n'), "'\\n'");
  EXPECT_EQ(show(ArgType::Char, 0xffffffffULL), "-1");  // EOF
  EXPECT_EQ(show(ArgType::Void, 42), "<void>");
  EXPECT_EQ(show(ArgType::Double, std::bit_cast<std::uint64_t>(1.5)), "1.5");
  EXPECT_EQ(show(ArgType::Float, std::bit_cast<std::uint32_t>(-0.25F)), "-0.25");
  static const char kText[] = "tab\there \"quoted\"";
  auto addr = reinterpret_cast<std::uint64_t>(kText);
  EXPECT_EQ(show(ArgType::String, addr), "\"tab\\there \\\"quoted\\\"\"");
  f.string_limit = 3;
  EXPECT_EQ(show(ArgType::String, addr), "\"tab\"...");
  f.string_limit = std::strlen(kText);
  EXPECT_EQ(show(ArgType::String, addr), "\"tab\\there \\\"quoted\\\"\"");  // exactly the limit
  EXPECT_EQ(show(ArgType::String, 0), "NULL");
}

TEST(CallFormat, ArgumentsByAbi) {
  ptk::Memory mem(::getpid());
  ptk::debug::CallFormat f;
  static const char kFormat[] = "%s=%d";
  static const char kName[] = "x";
  auto proto = ptk::debug::parse_prototype("int printf(format, ...)");
  ASSERT_TRUE(proto.ok());
  // x86_64: rdi, rsi, rdx...
  ptk::Registers r64(ptk::Arch::X86_64, {});
  const auto& call64 = r64.abi_info().call;
  r64.set(call64.int_arg_regs[0], reinterpret_cast<std::uint64_t>(kFormat));
  r64.set(call64.int_arg_regs[1], reinterpret_cast<std::uint64_t>(kName));
  r64.set(call64.int_arg_regs[2], static_cast<std::uint64_t>(-5));
  auto args = ptk::debug::decode_args(*proto, r64, mem, f);
  ASSERT_EQ(args.size(), 3U);
  EXPECT_EQ(args[0].text, "\"%s=%d\"");
  EXPECT_EQ(args[1].text, "\"x\"");
  EXPECT_EQ(args[2].text, "-5");
  r64.set(call64.ret, 7);
  EXPECT_EQ(ptk::debug::decode_return(*proto, r64, mem, f).text, "7");
  // i386 cdecl: every argument on the stack above the return address; the stack pointer is a
  // 32-bit value, so the "stack" is a page mapped below 2 GiB.
  auto add = ptk::debug::parse_prototype("int add(int, uint, hex)");
  ASSERT_TRUE(add.ok());
  void* page = ptk_test::map_low(4096);
  ASSERT_NE(page, MAP_FAILED);
  const std::array<std::uint32_t, 4> stack = {0xdeadbeef, 0xfffffffd, 4000000000U, 0x10};
  std::memcpy(page, stack.data(), sizeof stack);
  ptk::Registers r32(ptk::Arch::I386, {});
  r32.set_sp(reinterpret_cast<std::uint64_t>(page));
  auto a = ptk::debug::decode_args(*add, r32, mem, f);
  ::munmap(page, 4096);
  ASSERT_EQ(a.size(), 3U);
  EXPECT_EQ(a[0].text, "-3");
  EXPECT_EQ(a[1].text, "4000000000");
  EXPECT_EQ(a[2].text, "0x10");
}

TEST(CallFormat, FloatingPointArgumentsAndResultsByAbi) {
  PTK_REQUIRE_X86_HOST();
  ptk::Memory mem(::getpid());
  ptk::debug::CallFormat f;
  auto proto = ptk::debug::parse_prototype("double ldexp(double, int)");
  ASSERT_TRUE(proto.ok());
  // x86_64: the double in xmm0 of the XSAVE image (byte 160), the int in rdi; the result in xmm0.
  std::vector<std::byte> xstate(1024);
  const double in = 2.5, out = 10.0;
  std::memcpy(xstate.data() + 160, &in, sizeof in);
  ptk::debug::FloatState floats = [&] { return std::span<const std::byte>(xstate); };
  ptk::Registers r64(ptk::Arch::X86_64, {});
  r64.set(r64.abi_info().call.int_arg_regs[0], 2);
  auto args = ptk::debug::decode_args(*proto, r64, mem, f, floats);
  ASSERT_EQ(args.size(), 2U);
  EXPECT_EQ(args[0].text, "2.5");
  EXPECT_EQ(args[1].text, "2");
  std::memcpy(xstate.data() + 160, &out, sizeof out);
  EXPECT_EQ(ptk::debug::decode_return(*proto, r64, mem, f, floats).text, "10");
  // Without the register state the value is unknown, not made up.
  EXPECT_EQ(ptk::debug::decode_args(*proto, r64, mem, f)[0].text, "?");
  // i386: the double takes two stack words; the result is the x87 st(0) (byte 32, 80-bit).
  void* page = ptk_test::map_low(4096);
  ASSERT_NE(page, MAP_FAILED);
  std::array<std::uint32_t, 4> stack{};
  stack[0] = 0x1234;  // the return address
  std::memcpy(&stack[1], &in, sizeof in);
  stack[3] = 3;
  std::memcpy(page, stack.data(), sizeof stack);
  ptk::Registers r32(ptk::Arch::I386, {});
  r32.set_sp(reinterpret_cast<std::uint64_t>(page));
  auto a = ptk::debug::decode_args(*proto, r32, mem, f, floats);
  ::munmap(page, 4096);
  ASSERT_EQ(a.size(), 2U);
  EXPECT_EQ(a[0].text, "2.5");
  EXPECT_EQ(a[1].text, "3");
  const long double st0 = 20.0L;
  std::memcpy(xstate.data() + 32, &st0, 10);
  EXPECT_EQ(ptk::debug::decode_return(*proto, r32, mem, f, floats).text, "20");
}

}  // namespace
