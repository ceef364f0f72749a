// sys::json_string, the one JSON string writer of every --json output: any bytes in, valid
// UTF-8 JSON out.
#include "ptk/sys/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace ptk::sys {
namespace {

using std::string_literals::operator""s;

TEST(JsonString, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(json_string("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(json_string("a\0b"s), R"("a\u0000b")");
  EXPECT_EQ(json_string(""), R"("")");
}

TEST(JsonString, KeepsWellFormedUtf8) {
  EXPECT_EQ(json_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");            // é
  EXPECT_EQ(json_string("\xe2\x82\xac"), "\"\xe2\x82\xac\"");          // €
  EXPECT_EQ(json_string("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // U+1F600
  EXPECT_EQ(json_string("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");  // U+10FFFF
}

TEST(JsonString, EscapesEveryByteOfMalformedUtf8) {
  EXPECT_EQ(json_string("\xff"), R"("\u00ff")");
  EXPECT_EQ(json_string("\xc3"), R"("\u00c3")");                                // cut short
  EXPECT_EQ(json_string("\xc0\x80"), R"("\u00c0\u0080")");                      // overlong NUL
  EXPECT_EQ(json_string("\xe0\x80\xaf"), R"("\u00e0\u0080\u00af")");            // overlong '/'
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\u00ed\u00a0\u0080")");            // a surrogate
  EXPECT_EQ(json_string("\xf4\x90\x80\x80"), R"("\u00f4\u0090\u0080\u0080")");  // > U+10FFFF
  EXPECT_EQ(json_string("\xc3\xa9\xa9"), "\"\xc3\xa9\\u00a9\"");  // a stray continuation
}

}  // namespace
}  // namespace ptk::sys
