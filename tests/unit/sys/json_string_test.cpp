// The escaping of tracee bytes (ptk/sys/escape.h): sys::json_string, the one JSON string writer
// of every --json output (any bytes in, valid UTF-8 JSON with no raw control character out);
// -y's descriptor paths; names shown as they are.
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

// The C1 controls (U+0080..U+009F) are well-formed UTF-8 but a terminal may act on them (U+009B
// is CSI): written as \u0080..\u009f, the same string to a JSON reader.
TEST(JsonString, EscapesC1Controls) {
  EXPECT_EQ(json_string("a\xc2\x9b[2Jb"), R"("a\u009b[2Jb")");
  EXPECT_EQ(json_string("\xc2\x80\xc2\x9f\xc2\xa0"), "\"\\u0080\\u009f\xc2\xa0\"");  // U+00A0 stays
}

// -y's paths, as strace prints them between < and >.
TEST(FdPath, EscapesAsStraceWithTheBrackets) {
  auto fd_path = [](std::string_view path, int xlevel = 0) {
    std::string out;
    append_fd_path(out, path, xlevel);
    return out;
  };
  EXPECT_EQ(fd_path("/tmp/\x1b[2J\ax"), R"(/tmp/\33[2J\7x)");
  EXPECT_EQ(fd_path("a\"b\\c\nd"), R"(a\"b\\c\nd)");
  EXPECT_EQ(fd_path("a<b>c\xff\x01"
                    "7"),
            R"(a\74b\76c\377\0017)");
  EXPECT_EQ(fd_path("caf\xc3\xa9"), R"(caf\303\251)");
  EXPECT_EQ(fd_path("a>b", 1), R"(a\76b)");  // -x: '>' alone does not switch to hex
  EXPECT_EQ(fd_path("a\x1b", 1), R"(\x61\x1b)");
  EXPECT_EQ(fd_path("ab", 2), R"(\x61\x62)");
}

// Names shown as they are: printable ASCII stays, backslash included; every other byte is octal.
TEST(Printable, EscapesEveryByteOutsidePrintableAscii) {
  EXPECT_EQ(printable("main+0x1c (prog)"), "main+0x1c (prog)");
  EXPECT_EQ(printable("a\\b <c>"), "a\\b <c>");
  EXPECT_EQ(printable("t\x1b[2J\a\xc2\x9b\xff"), R"(t\33[2J\7\302\233\377)");
  EXPECT_EQ(printable("\x01"
                      "7\n"),
            R"(\0017\12)");
  EXPECT_EQ(printable("\x7f"), R"(\177)");
}

}  // namespace
}  // namespace ptk::sys
