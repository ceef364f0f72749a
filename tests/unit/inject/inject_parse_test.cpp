// The pure parsers of ptk_inject: syscall expressions (`write(1, "hi\n", 3)`), hex bytes, and
// the "did you mean" names.
#include <gtest/gtest.h>

#include "ptk/inject/shellcode.h"
#include "ptk/inject/syscall_expr.h"

namespace {

using ptk::inject::parse_syscall_expr;
using Kind = ptk::inject::SyscallArgExpr::Kind;

std::vector<std::byte> bytes(std::initializer_list<unsigned char> list) {
  std::vector<std::byte> out;
  for (unsigned char b : list) out.push_back(std::byte{b});
  return out;
}

TEST(InjectSyscallExpr, ParsesIntegersStringsAndNull) {
  auto e = parse_syscall_expr(R"(  write( 1, "hi\n\t\"\\\x41\101\0!", -0x10 ) )");
  ASSERT_TRUE(e.ok()) << e.error().message();
  EXPECT_EQ(e->name, "write");
  ASSERT_EQ(e->args.size(), 3u);
  EXPECT_EQ(e->args[0].kind, Kind::Integer);
  EXPECT_EQ(e->args[0].value, 1u);
  EXPECT_EQ(e->args[1].kind, Kind::String);
  EXPECT_EQ(e->args[1].bytes, std::string("hi\n\t\"\\AA\0!", 10));
  EXPECT_EQ(e->args[1].text, R"("hi\n\t\"\\\x41\101\0!")");
  EXPECT_EQ(e->args[2].value, static_cast<std::uint64_t>(-16));
  EXPECT_EQ(e->args[2].text, "-0x10");
}

TEST(InjectSyscallExpr, NumberBasesAndEmptyArgumentLists) {
  auto e = parse_syscall_expr("mmap(NULL, 4096, 0644, 0x22, -1, 0)");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->args.size(), 6u);
  EXPECT_EQ(e->args[0].kind, Kind::Null);
  EXPECT_EQ(e->args[0].value, 0u);
  EXPECT_EQ(e->args[2].value, 0644u);
  EXPECT_EQ(e->args[3].value, 0x22u);
  EXPECT_EQ(e->args[4].value, ~std::uint64_t{0});
  auto none = parse_syscall_expr("getpid()");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->name, "getpid");
  EXPECT_TRUE(none->args.empty());
}

TEST(InjectSyscallExpr, ErrorsPointAtTheToken) {
  auto missing_comma = parse_syscall_expr(R"(write(1, "hi" 3))");
  ASSERT_FALSE(missing_comma.ok());
  EXPECT_NE(missing_comma.error().message().find("expected ',' or ')' at column 15: '3)'"),
            std::string::npos)
      << missing_comma.error().message();
  struct Case {
    const char* text;
    const char* says;
  } cases[] = {
      {"", "expected a syscall name"},
      {"write 1, 2)", "expected '(' after the name at column 7"},
      {"write(1, 2", "expected ',' or ')' at the end"},
      {"write(1, \"abc)", "unterminated string"},
      {"write(1x)", "expected a number"},
      {"write(foo)", "expected a number"},
      {"write(99999999999999999999)", "does not fit in 64 bits"},
      {"write(\"\\q\")", "unknown escape"},
      {"getpid() x", "unexpected text after ')'"},
  };
  for (const Case& c : cases) {
    auto r = parse_syscall_expr(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().message().find(c.says), std::string::npos)
        << c.text << " -> " << r.error().message();
    EXPECT_EQ(r.error().kind(), ptk::ErrorKind::InvalidArgument);
  }
}

TEST(InjectSyscallExpr, CloseNamesForTypos) {
  std::vector<std::string_view> names = {"write", "writev", "read", "getpid", "getppid", "open"};
  EXPECT_EQ(ptk::inject::close_names("wrte", names), (std::vector<std::string>{"write"}));
  EXPECT_EQ(ptk::inject::close_names("getpdi", names),
            (std::vector<std::string>{"getpid", "getppid"}));
  EXPECT_TRUE(ptk::inject::close_names("zzzzzz", names).empty());
}

TEST(InjectHexBytes, ParsesTheUsualSpellings) {
  auto plain = ptk::inject::parse_hex_bytes("0f05 cc\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, bytes({0x0f, 0x05, 0xcc}));
  auto escaped = ptk::inject::parse_hex_bytes("\\x0f\\x05,0xCC");
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(*escaped, bytes({0x0f, 0x05, 0xcc}));
  auto odd = ptk::inject::parse_hex_bytes("0f0");
  ASSERT_FALSE(odd.ok());
  EXPECT_NE(odd.error().message().find("odd number"), std::string::npos);
  auto bad = ptk::inject::parse_hex_bytes("0f zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("column 4"), std::string::npos) << bad.error().message();
  EXPECT_FALSE(ptk::inject::parse_hex_bytes("  ").ok());
}

}  // namespace
