// Text forms of memory: xxd-style hexdumps, hex byte strings, addresses and sizes as typed,
// sizes in human units.
#include "ptk/core/mem_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ptk {
namespace {

std::vector<std::byte> bytes_of(std::string_view s) {
  std::vector<std::byte> out;
  for (char c : s) out.push_back(static_cast<std::byte>(c));
  return out;
}

std::string dump(std::uint64_t addr, std::string_view s, int width = 8) {
  std::string out;
  auto b = bytes_of(s);
  append_hexdump(out, addr, b, width);
  return out;
}

TEST(MemFormat, HexdumpLinesLikeXxd) {
  EXPECT_EQ(dump(0x401000,
                 "Hello, ptrace!\n\x01\x7f"
                 "ABC"),
            "00401000: 4865 6c6c 6f2c 2070 7472 6163 6521 0a01  Hello, ptrace!..\n"
            "00401010: 7f41 4243                                .ABC\n");
  // An odd count pads half a group.
  EXPECT_EQ(dump(0x10, "abc"), "00000010: 6162 63                                  abc\n");
  EXPECT_EQ(dump(0x7ffd5c7e1a40, "\xff", 12),
            "7ffd5c7e1a40: ff                                       .\n");
  EXPECT_EQ(dump(0, ""), "");
}

TEST(MemFormat, HexdumpColumnsAlign) {
  std::string out = dump(0x1000, std::string(40, 'x'));
  // "00001000:", 8 groups of " hhhh", two spaces: the ASCII column starts at 51 on every line,
  // the short last one too.
  std::size_t start = 0;
  int lines = 0;
  for (std::size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = out.substr(start, nl - start);
    EXPECT_EQ(line.substr(49, 2), "  ") << line;
    EXPECT_EQ(line.substr(51), std::string(lines < 2 ? 16 : 8, 'x')) << line;
    ++lines;
  }
  EXPECT_EQ(lines, 3);
}

TEST(MemFormat, HexdumpAddressWidth) {
  EXPECT_EQ(hexdump_address_width(0), 8);
  EXPECT_EQ(hexdump_address_width(0xffffffff), 8);
  EXPECT_EQ(hexdump_address_width(0x100000000), 9);
  EXPECT_EQ(hexdump_address_width(0x7ffd5c7e1a40), 12);
  EXPECT_EQ(hexdump_address_width(~0ull), 16);
}

TEST(MemFormat, NumbersAsUsersTypeThem) {
  EXPECT_EQ(parse_number("123"), 123u);
  EXPECT_EQ(parse_number("0x7b"), 123u);
  EXPECT_EQ(parse_number("0X7B"), 123u);
  EXPECT_EQ(parse_number("0"), 0u);
  EXPECT_EQ(parse_number("18446744073709551615"), ~std::uint64_t{0});
  for (const char* bad : {"", "0x", "12a", "7b", "-1", " 1", "1 ", "18446744073709551616"}) {
    EXPECT_EQ(parse_number(bad), std::nullopt) << bad;
  }
}

TEST(MemFormat, HexBytesForms) {
  for (const char* text : {"48656c6c6f", "48 65 6c 6c 6f", "0x48656C6C6F",
                           "\\x48\\x65\\x6c\\x6c\\x6f", "48:65:6c:6c:6f"}) {
    auto r = parse_hex_bytes(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message();
    EXPECT_EQ(*r, bytes_of("Hello")) << text;
  }
}

TEST(MemFormat, HexBytesErrors) {
  auto odd = parse_hex_bytes("abc");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().kind(), ErrorKind::InvalidArgument);
  EXPECT_NE(odd.error().message().find("odd number of hex digits"), std::string::npos);
  auto split = parse_hex_bytes("4 8");
  ASSERT_FALSE(split.ok());
  EXPECT_NE(split.error().message().find("splits a byte"), std::string::npos);
  auto bad = parse_hex_bytes("zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("'z' is not a hex digit"), std::string::npos);
  EXPECT_FALSE(parse_hex_bytes("").ok());
  EXPECT_FALSE(parse_hex_bytes("0x").ok());
}

TEST(MemFormat, ParseAddress) {
  EXPECT_EQ(*parse_address("0x7ffd1000"), 0x7ffd1000u);
  EXPECT_EQ(*parse_address("401000"), 0x401000u);
  EXPECT_EQ(*parse_address("0XFFFFFFFFFFFFFFFF"), ~0ull);
  EXPECT_FALSE(parse_address("0x10000000000000000").ok());
  EXPECT_FALSE(parse_address("main").ok());
  EXPECT_FALSE(parse_address("0x").ok());
  EXPECT_FALSE(parse_address("").ok());
  EXPECT_FALSE(parse_address("-1").ok());
  EXPECT_FALSE(parse_address("0x10 ").ok());
}

TEST(MemFormat, ParseSize) {
  EXPECT_EQ(*parse_size("64"), 64u);
  EXPECT_EQ(*parse_size("0x40"), 64u);
  EXPECT_EQ(*parse_size("4k"), 4096u);
  EXPECT_EQ(*parse_size("1M"), 1u << 20);
  EXPECT_EQ(*parse_size("2G"), 2ull << 30);
  EXPECT_FALSE(parse_size("").ok());
  EXPECT_FALSE(parse_size("k").ok());
  EXPECT_FALSE(parse_size("ten").ok());
  EXPECT_FALSE(parse_size("-1").ok());
  EXPECT_FALSE(parse_size("99999999999999999999").ok());
  EXPECT_FALSE(parse_size("17179869184G").ok());  // 2^34 GiB overflows 64 bits
}

TEST(MemFormat, HumanSizeRoundsUpLikeLs) {
  EXPECT_EQ(human_size(0), "0B");
  EXPECT_EQ(human_size(1023), "1023B");
  EXPECT_EQ(human_size(1024), "1.0K");
  EXPECT_EQ(human_size(4096), "4.0K");
  EXPECT_EQ(human_size(4097), "4.1K");
  EXPECT_EQ(human_size(132 * 1024), "132K");
  EXPECT_EQ(human_size(132 * 1024 + 1), "133K");
  EXPECT_EQ(human_size(10 * 1024 - 1), "10K");
  EXPECT_EQ(human_size(1536 * 1024), "1.5M");
  EXPECT_EQ(human_size(1024 * 1024 - 1), "1.0M");
  EXPECT_EQ(human_size(8ull << 30), "8.0G");
  EXPECT_EQ(human_size(~0ull), "16E");
}

}  // namespace
}  // namespace ptk
