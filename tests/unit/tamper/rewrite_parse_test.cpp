// --rewrite rules: what the parser accepts (checked through the normalized spelling, which
// shows how each part was understood) and the one-line error for each kind of bad rule.
#include <gtest/gtest.h>

#include <string>

#include "ptk/tamper/rules.h"
#include "x86_host.h"

namespace ptk::tamper {
namespace {

std::string canonical(std::string_view text) {
  auto r = parse_rule(text);
  if (!r.ok()) return "ERROR: " + r.error().message();
  return r->canonical();
}

std::string error_of(std::string_view text) {
  auto r = parse_rule(text);
  if (r.ok()) return "OK: " + r->canonical();
  return r.error().message();
}

TEST(RewriteParse, GoodRules) {
  PTK_REQUIRE_X86_HOST();
  // The issue's example: an equality in the match's parentheses is a condition.
  EXPECT_EQ(canonical(R"(openat(path="/etc/hostname") -> path="/tmp/myhost")"),
            R"(openat if path="/etc/hostname" -> path="/tmp/myhost")");
  EXPECT_EQ(canonical("write if fd=1 -> buf=reverse"), "write if fd=1 -> buf=reverse");
  EXPECT_EQ(canonical(R"(%file if path~"/etc/*" and #2 -> deny=EACCES)"),
            R"(%file if path~"/etc/*" and #2 -> deny=EACCES)");
  EXPECT_EQ(canonical(R"(read if fd=0 -> buf=s/a(b)c/<\1>/g)"),
            R"(read if fd=0 -> buf=s/a(b)c/<\1>/g)");
  EXPECT_EQ(canonical(R"(write(fd=1, count>=10) -> buf=replace("a","bb"), delay=10ms)"),
            R"(write if fd=1 and count>=10 -> buf=replace("a", "bb"), delay=10000us)");
  EXPECT_EQ(canonical("unlink -> skip=0, signal=SIGUSR1"), "unlink -> skip=0, signal=SIGUSR1");
  EXPECT_EQ(canonical("kill if sig=15 -> signal=USR2"), "kill if sig=15 -> signal=SIGUSR2");
  EXPECT_EQ(canonical("openat if flags=0x241 -> flags=0"), "openat if flags=577 -> flags=0");
  EXPECT_EQ(canonical("openat if mode=0644 -> mode=0600"), "openat if mode=420 -> mode=384");
  EXPECT_EQ(canonical("getpid -> return=42"), "getpid -> return=42");
  EXPECT_EQ(canonical(R"(openat if path=~/^\/etc/ and nth=3+ -> deny=13)"),
            R"(openat if path=~/^\/etc/ and #3+ -> deny=EACCES)");
  EXPECT_EQ(canonical("%%stat -> delay=1s"), "%%stat -> delay=1000000us");
  EXPECT_EQ(canonical(R"(%file(path="/a") if #2 -> path="/b")"),
            R"(%file if path="/a" and #2 -> path="/b")");
  EXPECT_EQ(canonical(R"(write if fd~"/dev/pts/*" and buf=~/err/ -> buf="x\n\x41\"")"),
            R"(write if fd~"/dev/pts/*" and buf=~/err/ -> buf="x\nA\"")");
  EXPECT_EQ(canonical("lseek if offset<-1 -> offset=-1"), "lseek if offset<-1 -> offset=-1");
  EXPECT_EQ(canonical("  openat ( ) ->path=\"/x\"  "), R"(openat -> path="/x")");
}

TEST(RewriteParse, RuleKeepsItsText) {
  auto r = parse_rule("write if fd=1 -> buf=reverse");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text(), "write if fd=1 -> buf=reverse");
}

TEST(RewriteParse, CoversTheMatchedSyscallsOnEachAbi) {
  PTK_REQUIRE_X86_HOST();
  auto r = parse_rule(R"(openat(path="/a") -> path="/b")");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->covers(Arch::X86_64, find_syscall(Arch::X86_64, "openat")));
  EXPECT_TRUE(r->covers(Arch::I386, find_syscall(Arch::I386, "openat")));
  EXPECT_FALSE(r->covers(Arch::X86_64, find_syscall(Arch::X86_64, "open")));
  EXPECT_FALSE(r->covers(Arch::X86_64, nullptr));

  // A class covers the members that have every argument the rule names.
  auto c = parse_rule(R"(%file if path~"/etc/*" -> deny=EPERM)");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->covers(Arch::X86_64, find_syscall(Arch::X86_64, "open")));
  EXPECT_TRUE(c->covers(Arch::I386, find_syscall(Arch::I386, "stat64")));
  EXPECT_FALSE(c->covers(Arch::X86_64, find_syscall(Arch::X86_64, "read")));
  // renameat has two paths: a condition on "path" holds when either matches.
  EXPECT_TRUE(c->covers(Arch::X86_64, find_syscall(Arch::X86_64, "renameat")));
  // An action on "path" must name one argument: renameat is left out of the class.
  auto a = parse_rule(R"(%file -> path="/x")");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->covers(Arch::X86_64, find_syscall(Arch::X86_64, "openat")));
  EXPECT_FALSE(a->covers(Arch::X86_64, find_syscall(Arch::X86_64, "renameat")));
}

TEST(RewriteParse, UnknownNames) {
  EXPECT_EQ(error_of(R"(openat(pth="/x") -> path="/y")"),
            R"(openat has no argument "pth" (arguments: dfd, filename, flags, mode))");
  std::string e = error_of("opnat -> deny=EPERM");
  EXPECT_TRUE(e.starts_with(R"(unknown syscall "opnat"; did you mean )")) << e;
  EXPECT_NE(e.find("openat"), std::string::npos) << e;
  EXPECT_EQ(error_of("openat -> deny=ENOPE"),
            R"(deny=ENOPE: unknown errno "ENOPE"; errnos are named as in errno(3): EPERM, )"
            "ENOENT, EACCES...");
  EXPECT_TRUE(error_of("openat -> signal=SIGFOO").starts_with(R"(signal=SIGFOO: unknown signal)"));
  EXPECT_TRUE(error_of("%nope -> deny=EPERM").starts_with("unknown class '%nope' at column 1"));
  EXPECT_EQ(error_of("openat -> deny=5000"), "deny=5000: errno is 1..4095");
  EXPECT_EQ(error_of("openat -> signal=65"), "signal=65: signals are 1..64");
}

TEST(RewriteParse, BadPatterns) {
  EXPECT_EQ(error_of(R"(openat if path~"[a" -> deny=EPERM)"),
            R"(bad glob "[a": '[' at offset 0 is never closed)");
  EXPECT_EQ(error_of(R"(openat if path~"[[:nope:]]" -> deny=EPERM)"),
            R"(bad glob "[[:nope:]]": unknown class [:nope:])");
  EXPECT_TRUE(error_of("openat if path=~/(a/ -> deny=EPERM").starts_with("bad regex /(a/: "));
  EXPECT_EQ(error_of(R"(openat if path=~/(a)\1/ -> deny=EPERM)"),
            R"(bad regex /(a)\1/: back-reference \1 (not supported))");
  // Repetitions that glibc's regcomp would expand into millions of nodes.
  EXPECT_EQ(error_of("openat if path=~/((a{100}){100})/ -> deny=EPERM"),
            "bad regex /((a{100}){100})/: its repetitions expand to more than 10000 nodes");
  EXPECT_EQ(error_of("openat -> path=s/e++++++++++++++++//"),
            "bad regex /e++++++++++++++++/: its repetitions expand to more than 10000 nodes");
  EXPECT_EQ(error_of("openat if path=~/a{,99}{,99}{,99}/ -> deny=EPERM"),
            "bad regex /a{,99}{,99}{,99}/: its repetitions expand to more than 10000 nodes");
  EXPECT_EQ(error_of("openat if path=~/)a{99})b{99}{99}/ -> deny=EPERM"),
            "bad regex /)a{99})b{99}{99}/: its repetitions expand to more than 10000 nodes");
  EXPECT_TRUE(parse_rule("openat if path=~/(a|b)+c{1,100}[]{}]{2}x*/ -> deny=EPERM").ok());
  EXPECT_EQ(error_of(R"(openat -> path=s/(a)/\2/)"),
            R"(s/(a)/\2/: \2 names a group the regex does not have)");
  EXPECT_EQ(error_of(R"(openat if path=~/abc -> deny=EPERM)"),
            "the regex at column 17 is never closed (a '/' is missing)");
}

TEST(RewriteParse, ActionsThatDoNotFit) {
  EXPECT_EQ(error_of(R"(openat -> flags="x")"),
            R"(flags="x": openat's flags is a set of flags, not a string or a buffer (set it )"
            "with a number: flags=N)");
  EXPECT_EQ(error_of(R"(read if buf="x" -> deny=EPERM)"),
            R"("buf=...": read's buf is filled by the kernel at exit, so it cannot be compared )"
            "at entry");
  EXPECT_EQ(error_of(R"(write if count="x" -> deny=EPERM)"),
            R"("count=...": write's count is a number: compare it with a number)");
  EXPECT_EQ(error_of(R"(renameat -> path="/x")"),
            "renameat has 2 path arguments (oldname, newname): name the one to change");
  EXPECT_EQ(error_of("write -> buf=reverse, count=3"),
            R"("buf" and "count" both change write's count)");
  EXPECT_EQ(error_of("read -> buf=reverse, return=3"),
            "return=... and buf=...: rewriting read's buf sets the return value already");
  EXPECT_EQ(error_of(R"(openat -> path="a\0b")"),
            "path=...: openat's filename is a C string: it cannot hold a NUL byte");
  EXPECT_TRUE(error_of(R"(%network if path~"/x" -> deny=EPERM)")
                  .starts_with("no syscall of %network fits every part of the rule (for "
                               "example: "));
}

TEST(RewriteParse, ConflictingActions) {
  EXPECT_EQ(error_of(R"(openat -> deny=EPERM, path="/x")"),
            R"("path" at column 23: the rule skips the call, so changing "path" would have no )"
            "effect");
  EXPECT_EQ(error_of("openat -> deny=EPERM, skip=0"),
            R"("skip" at column 23: the rule already sets the result)");
  EXPECT_EQ(error_of(R"(openat -> path="/a", path="/b")"),
            R"("path" at column 22 is set twice in one rule)");
  EXPECT_EQ(error_of(R"(openat -> path="/a", filename="/b")"),
            R"("path" and "filename" both change openat's filename)");
  EXPECT_EQ(error_of("openat -> delay=1ms, delay=2ms"),
            R"("delay" at column 22 is set twice in one rule)");
}

TEST(RewriteParse, SyntaxErrors) {
  EXPECT_EQ(error_of(""), "empty rule: expected MATCH -> ACTION");
  EXPECT_EQ(error_of(R"(openat path="/x")"),
            "expected '->' after the match at column 8, found 'path'");
  EXPECT_EQ(error_of("openat ->"),
            "expected an action (ARG=VALUE, deny=, skip=, return=, delay=, signal=) at column "
            "10, found the end of the rule");
  EXPECT_EQ(error_of(R"(openat -> path="/x" junk)"),
            "expected ',' or the end of the rule after an action at column 21, found 'junk'");
  EXPECT_EQ(error_of(R"(openat -> path="/x)"),
            "the string at column 16 is never closed (a '\"' is missing)");
  EXPECT_EQ(error_of("openat -> delay=10"),
            "expected a duration with its unit (500us, 10ms, 2s) after \"delay=\" at column 17, "
            "found '10'");
  EXPECT_EQ(error_of("openat -> delay=61s"), "delay=61s: longer than the 60 s bound");
  EXPECT_EQ(error_of("write if #0 -> deny=EPERM"), "#0 at column 10: counts start at 1");
  EXPECT_EQ(error_of("write if #1 and #2 -> deny=EPERM"), "a second #N at column 17");
  EXPECT_EQ(error_of("openat if flags=99999999999999999999 -> deny=EPERM"),
            "a number or a \"string\" after \"flags=\" at column 17 is out of range");
  EXPECT_EQ(error_of("openat if flags ! 3 -> deny=EPERM"),
            "expected a comparison (= != < <= > >= ~ =~) after \"flags\" at column 17, found '!'");
  EXPECT_EQ(error_of(R"(write -> buf=replace("", "x"))"),
            "replace(\"\", ...) at column 22: the text to replace is empty");
  EXPECT_EQ(error_of(R"(openat -> path="\q")"),
            "unknown escape '\\q' at column 17 (known: \\n \\t \\r \\0 \\\\ \\\" \\xHH)");
  EXPECT_EQ(error_of(std::string(5000, 'a')), "the rule is longer than 4096 bytes");
  EXPECT_EQ(error_of("openat -> flags=bogus"),
            "expected a value for \"flags\" (\"string\", reverse, s/RE/REPL/, replace(\"a\",\"b\") "
            "or a number) at column 17, found 'bogus'");
}

TEST(RewriteParse, RulesText) {
  PTK_REQUIRE_X86_HOST();
  auto ok = parse_rules_text(
      "# a comment\n\n  write if fd=1 -> buf=reverse  \n"
      "   # indented comment\nunlink -> deny=EPERM\n",
      "rules.txt");
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].text(), "write if fd=1 -> buf=reverse");
  EXPECT_EQ((*ok)[1].canonical(), "unlink -> deny=EPERM");

  auto bad = parse_rules_text("unlink -> deny=EPERM\n\nopnat -> deny=EPERM\n", "r.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().message().starts_with(R"(r.txt:3: unknown syscall "opnat")"))
      << bad.error().message();
}

TEST(RewriteParse, RulesFileErrors) {
  auto missing = load_rules_file("/nonexistent/ptk-rules");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "--rules /nonexistent/ptk-rules: open: No such file or directory");
}

}  // namespace
}  // namespace ptk::tamper
