// The byte transforms of --rewrite actions (reverse, s/RE/REPL/, replace, a new string), run
// through the public API: a `read -> buf=ACTION` rule rewriting what a fake read returned.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptk/tamper/rules.h"
#include "rewrite_fake_context.h"

namespace ptk::tamper {
namespace {

using testing::addr_of;
using testing::FakeContext;

// What a program reading `input` gets back under `read -> buf=ACTION`.
std::string rewrite(std::string_view action, std::string_view input) {
  auto rule = parse_rule(std::string("read -> buf=") + std::string(action));
  if (!rule.ok()) return "ERROR: " + rule.error().message();
  std::vector<Rule> rules{std::move(rule).value()};
  auto hook = make_rules_hook(std::move(rules), {.warn = [](const std::string&) {}});
  std::vector<char> buf(256, '#');
  FakeContext ctx(kHostArches[0], "read", {0, addr_of(buf.data()), buf.size(), 0, 0, 0});
  hook->on_entry(ctx);
  std::copy(input.begin(), input.end(), buf.begin());
  ctx.exit_with(static_cast<std::int64_t>(input.size()));
  hook->on_exit(ctx);
  return std::string(buf.data(), static_cast<std::size_t>(ctx.ret()));
}

TEST(RewriteTransform, Reverse) {
  EXPECT_EQ(rewrite("reverse", "abc\n"), "\ncba");
  EXPECT_EQ(rewrite("reverse", std::string("a\0b", 3)), std::string("b\0a", 3));
}

TEST(RewriteTransform, SetString) {
  EXPECT_EQ(rewrite(R"("new\tdata\x21")", "old"), "new\tdata!");
  EXPECT_EQ(rewrite(R"("")", "old"), "");
}

TEST(RewriteTransform, Replace) {
  EXPECT_EQ(rewrite(R"(replace("ab", "X"))", "abcabab"), "XcXX");
  EXPECT_EQ(rewrite(R"(replace("aa", "a"))", "aaaaa"), "aaa");  // non-overlapping, left first
  EXPECT_EQ(rewrite(R"(replace("z", "Z"))", "abc"), "abc");
}

TEST(RewriteTransform, SubstituteFirstOrEvery) {
  EXPECT_EQ(rewrite("s/o/0/", "foo boo"), "f0o boo");
  EXPECT_EQ(rewrite("s/o/0/g", "foo boo"), "f00 b00");
  EXPECT_EQ(rewrite("s/^o/0/g", "ooo"), "0oo");  // '^' is the start of the buffer only
  EXPECT_EQ(rewrite("s/o$/0/g", "ooo"), "oo0");
  EXPECT_EQ(rewrite("s/[0-9]+$/N/", "a1 b22"), "a1 bN");
}

TEST(RewriteTransform, SubstituteGroupsAndEscapes) {
  EXPECT_EQ(rewrite(R"(s/([a-z]+)=([0-9]+)/\2=\1/g)", "a=1 bc=23"), "1=a 23=bc");
  EXPECT_EQ(rewrite(R"(s/b+/[&]/)", "abbbc"), "a[bbb]c");
  EXPECT_EQ(rewrite(R"(s/b/\&\\\n/)", "abc"), "a&\\\nc");
  EXPECT_EQ(rewrite(R"(s/(x)?b/<\1>/)", "ab"), "a<>");  // a group that took no part is empty
  EXPECT_EQ(rewrite(R"(s/\//|/g)", "/a/b"), "|a|b");
}

// \n, \t and \r in a regex are the control characters, inside brackets too; a backslash pair
// stays a backslash.
TEST(RewriteTransform, ControlEscapesInTheRegex) {
  EXPECT_EQ(rewrite(R"(s/=[^\n]*/=*/g)", "a=xn\\y\nb=z\n"), "a=*\nb=*\n");
  EXPECT_EQ(rewrite(R"(s/\t+/ /g)", "a\t\tb"), "a b");
  EXPECT_EQ(rewrite(R"(s/\r\n/\n/g)", "a\r\nb\r\n"), "a\nb\n");
  EXPECT_EQ(rewrite(R"(s/[\t ]+$//)", "a \t"), "a");
  EXPECT_EQ(rewrite(R"(s/\\n/N/g)", "a\\nb\n"), "aNb\n");
}

TEST(RewriteTransform, EmptyMatchesAsSed) {
  EXPECT_EQ(rewrite("s/x*/-/g", "abc"), "-a-b-c-");
  EXPECT_EQ(rewrite("s/b*/-/g", "abc"), "-a-c-");
  EXPECT_EQ(rewrite("s/$/!/", "abc"), "abc!");
}

TEST(RewriteTransform, BuffersWithNulBytes) {
  EXPECT_EQ(rewrite("s/b/B/g", std::string("ab\0b", 4)), std::string("aB\0B", 4));
}

}  // namespace
}  // namespace ptk::tamper
