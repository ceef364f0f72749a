// The rules Hook on a fake syscall context: which stops a rule matches, what each action does
// at entry and exit, the marks, and the diagnostics when the kernel did not do what a rule
// intended.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "ptk/tamper/rules.h"
#include "rewrite_fake_context.h"
#include "x86_host.h"

namespace ptk::tamper {
namespace {

using testing::addr_of;
using testing::FakeContext;

constexpr std::uint64_t kAtFdcwd = static_cast<std::uint64_t>(-100);

struct Harness {
  std::unique_ptr<Hook> hook;
  std::vector<std::string> warnings;
};

std::unique_ptr<Harness> make(std::vector<std::string_view> texts) {
  auto h = std::make_unique<Harness>();
  std::vector<Rule> rules;
  for (auto t : texts) {
    auto r = parse_rule(t);
    EXPECT_TRUE(r.ok()) << t << ": " << r.error().message();
    if (r.ok()) rules.push_back(std::move(r).value());
  }
  RulesHookOptions o;
  o.warn = [w = &h->warnings](const std::string& m) { w->push_back(m); };
  h->hook = make_rules_hook(std::move(rules), o);
  return h;
}

std::string c_string(std::uint64_t addr) { return reinterpret_cast<const char*>(addr); }
std::string bytes_at(std::uint64_t addr, std::size_t n) {
  return std::string(reinterpret_cast<const char*>(addr), n);
}

TEST(RewriteHook, WantsOnlyTheCoveredSyscalls) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat(path="/a") -> path="/b")", "%signal -> delay=1ms"});
  EXPECT_TRUE(h->hook->wants(Arch::X86_64, find_syscall(Arch::X86_64, "openat")));
  EXPECT_TRUE(h->hook->wants(Arch::I386, find_syscall(Arch::I386, "rt_sigaction")));
  EXPECT_FALSE(h->hook->wants(Arch::X86_64, find_syscall(Arch::X86_64, "read")));
  EXPECT_FALSE(h->hook->wants(Arch::X86_64, nullptr));
}

TEST(RewriteHook, RedirectsAPath) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat(path="/etc/hostname") -> path="/tmp/a/much/longer/path")"});
  char path[] = "/etc/hostname";
  FakeContext ctx(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), O_RDONLY, 0, 0, 0});
  h->hook->on_entry(ctx);
  EXPECT_NE(ctx.args()[1], addr_of(path));
  EXPECT_EQ(c_string(ctx.args()[1]), "/tmp/a/much/longer/path");
  EXPECT_STREQ(path, "/etc/hostname");  // the program's own string is untouched
  EXPECT_EQ(ctx.marks(), "(REWRITTEN: path)");
  ctx.exit_with(3);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), 3);
  EXPECT_TRUE(h->warnings.empty());

  // Another path is left alone.
  char other[] = "/etc/passwd";
  FakeContext ctx2(Arch::X86_64, "openat", {kAtFdcwd, addr_of(other), O_RDONLY, 0, 0, 0});
  h->hook->on_entry(ctx2);
  EXPECT_EQ(ctx2.args()[1], addr_of(other));
  EXPECT_EQ(ctx2.marks(), "");
  EXPECT_EQ(ctx2.borrowed(), 0u);
}

TEST(RewriteHook, SaysOnceWhenTheRedirectedCallFails) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat(path="/etc/hostname") -> path="/tmp/myhost")"});
  for (int i = 0; i < 2; ++i) {
    char path[] = "/etc/hostname";
    FakeContext ctx(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), O_RDONLY, 0, 0, 0});
    h->hook->on_entry(ctx);
    ctx.exit_with(-ENOENT);
    h->hook->on_exit(ctx);
  }
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0], R"(rewrite: openat -> "/tmp/myhost" failed: ENOENT)");
}

TEST(RewriteHook, SubstitutesInAPath) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat -> path=s/^\/etc\//\/tmp\//)"});
  char path[] = "/etc/etc/x";
  FakeContext ctx(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), 0, 0, 0, 0});
  h->hook->on_entry(ctx);
  EXPECT_EQ(c_string(ctx.args()[1]), "/tmp/etc/x");
}

TEST(RewriteHook, ReversesAWriteAndReportsTheOriginalCount) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"write if fd=1 -> buf=reverse"});
  char buf[] = "hello\n";
  FakeContext ctx(Arch::X86_64, "write", {1, addr_of(buf), 6, 0, 0, 0});
  h->hook->on_entry(ctx);
  EXPECT_EQ(bytes_at(ctx.args()[1], ctx.args()[2]), "\nolleh");
  EXPECT_STREQ(buf, "hello\n");
  EXPECT_EQ(ctx.marks(), "(REWRITTEN: buf)");
  ctx.exit_with(6);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), 6);

  FakeContext other_fd(Arch::X86_64, "write", {2, addr_of(buf), 6, 0, 0, 0});
  h->hook->on_entry(other_fd);
  EXPECT_EQ(other_fd.args()[1], addr_of(buf));
}

TEST(RewriteHook, ALongerWriteStillReturnsTheProgramsCount) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(write -> buf=replace("l", "LLL"))"});
  char buf[] = "hello";
  FakeContext ctx(Arch::X86_64, "write", {1, addr_of(buf), 5, 0, 0, 0});
  h->hook->on_entry(ctx);
  ASSERT_EQ(ctx.args()[2], 9u);
  EXPECT_EQ(bytes_at(ctx.args()[1], 9), "heLLLLLLo");
  ctx.exit_with(9);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), 5);  // not 9: the program would think it wrote more than it asked
  EXPECT_TRUE(h->warnings.empty());

  // A short write of the rewritten bytes is reported and passed on, capped at the count.
  FakeContext shorter(Arch::X86_64, "write", {1, addr_of(buf), 5, 0, 0, 0});
  h->hook->on_entry(shorter);
  shorter.exit_with(7);
  h->hook->on_exit(shorter);
  EXPECT_EQ(shorter.ret(), 5);
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0],
            "rewrite: write wrote 7 of the 9 rewritten bytes; the program is told 5");
}

TEST(RewriteHook, RewritesWhatAReadReturned) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"read if fd=0 -> buf=s/l+/<&>/g"});
  char buf[32] = "xxxxxxxxxxxxxxxxxxxx";
  FakeContext ctx(Arch::X86_64, "read", {0, addr_of(buf), sizeof buf, 0, 0, 0});
  h->hook->on_entry(ctx);
  EXPECT_EQ(ctx.args()[1], addr_of(buf));  // nothing changes at entry
  EXPECT_EQ(ctx.marks(), "");
  std::memcpy(buf, "hello world", 11);  // the "kernel" fills the buffer
  ctx.exit_with(11);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), 15);
  EXPECT_EQ(std::string(buf, 15), "he<ll>o wor<l>d");
  EXPECT_EQ(ctx.marks(), "(REWRITTEN: buf)");
}

TEST(RewriteHook, TruncatesARewrittenReadToTheBuffer) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(read -> buf=replace("a", "xyz"))"});
  char buf[5] = "abcd";
  FakeContext ctx(Arch::X86_64, "read", {0, addr_of(buf), 4, 0, 0, 0});
  h->hook->on_entry(ctx);
  ctx.exit_with(4);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), 4);
  EXPECT_EQ(std::string(buf, 5), std::string("xyzb\0", 5));  // the byte after stays
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0],
            R"(rewrite: buf=replace("a", "xyz") gives 6 bytes, more than the 4 of read's buf: )"
            "truncated");
}

TEST(RewriteHook, FailedReadIsLeftAlone) {
  auto h = make({"read -> buf=reverse"});
  char buf[4] = "abc";
  FakeContext ctx(Arch::X86_64, "read", {0, addr_of(buf), 3, 0, 0, 0});
  h->hook->on_entry(ctx);
  ctx.exit_with(-EAGAIN);
  h->hook->on_exit(ctx);
  EXPECT_EQ(ctx.ret(), -EAGAIN);
  EXPECT_STREQ(buf, "abc");
}

TEST(RewriteHook, DenySkipAndReturn) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"unlink -> deny=EPERM", "getpid -> return=42", "getppid -> skip=7"});
  FakeContext u(Arch::X86_64, "unlink", {0, 0, 0, 0, 0, 0});
  h->hook->on_entry(u);
  EXPECT_TRUE(u.skipped());
  EXPECT_EQ(u.skip_value(), -EPERM);
  EXPECT_EQ(u.marks(), "(INJECTED)");
  u.exit_with(0);
  h->hook->on_exit(u);
  EXPECT_EQ(u.ret(), -EPERM);

  FakeContext g(Arch::X86_64, "getpid", {});
  h->hook->on_entry(g);
  EXPECT_FALSE(g.skipped());  // return= lets the call run
  g.exit_with(1234);
  h->hook->on_exit(g);
  EXPECT_EQ(g.ret(), 42);
  EXPECT_EQ(g.marks(), "(INJECTED)");

  FakeContext p(Arch::X86_64, "getppid", {});
  h->hook->on_entry(p);
  EXPECT_EQ(p.skip_value(), 7);
  EXPECT_TRUE(h->warnings.empty());
}

TEST(RewriteHook, SetsRegistersIncludingSplitHalves) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"openat -> flags=0", "pread64 if pos=0x100000002 -> pos=0x300000004"});
  char path[] = "/x";
  FakeContext o(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), O_CREAT | O_WRONLY, 0644});
  h->hook->on_entry(o);
  EXPECT_EQ(o.args()[2], 0u);
  EXPECT_EQ(o.marks(), "(REWRITTEN: flags)");

  // i386 passes pread64's loff_t in two registers, low half first.
  FakeContext p(Arch::I386, "pread64", {3, 0x1000, 10, 2, 1, 0});
  h->hook->on_entry(p);
  EXPECT_EQ(p.args()[3], 4u);
  EXPECT_EQ(p.args()[4], 3u);
  FakeContext q(Arch::I386, "pread64", {3, 0x1000, 10, 2, 0, 0});
  h->hook->on_entry(q);
  EXPECT_EQ(q.args()[3], 2u);  // pos is 2, not 0x100000002
}

TEST(RewriteHook, ComparesNumbersByTheirCType) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"lseek if offset<0 -> deny=EINVAL", "read if count>100 -> deny=EIO",
                 "openat if dfd=-100 -> deny=ENOENT"});
  FakeContext l(Arch::X86_64, "lseek", {3, static_cast<std::uint64_t>(-5), 0});
  h->hook->on_entry(l);
  EXPECT_TRUE(l.skipped());
  FakeContext r(Arch::X86_64, "read", {3, 0x1000, static_cast<std::uint64_t>(-1)});
  h->hook->on_entry(r);
  EXPECT_TRUE(r.skipped());  // count is unsigned: 2^64-1 > 100
  // On i386 the registers are 32 bits wide: AT_FDCWD is 0xffffff9c.
  FakeContext o(Arch::I386, "openat", {0xffffff9c, 0x1000, 0, 0});
  h->hook->on_entry(o);
  EXPECT_TRUE(o.skipped());
  FakeContext l32(Arch::I386, "lseek", {3, 0xfffffffb, 0});
  h->hook->on_entry(l32);
  EXPECT_TRUE(l32.skipped());  // i386 off_t is a 32-bit long: -5
}

TEST(RewriteHook, CountsTheNthMatch) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"getpid if #2 -> return=7", "getppid if #2+ -> return=8"});
  std::vector<std::int64_t> got, got_plus;
  for (int i = 0; i < 4; ++i) {
    FakeContext g(Arch::X86_64, "getpid", {});
    h->hook->on_entry(g);
    g.exit_with(100);
    h->hook->on_exit(g);
    got.push_back(g.ret());
    FakeContext p(Arch::X86_64, "getppid", {});
    h->hook->on_entry(p);
    p.exit_with(100);
    h->hook->on_exit(p);
    got_plus.push_back(p.ret());
  }
  EXPECT_EQ(got, (std::vector<std::int64_t>{100, 7, 100, 100}));
  EXPECT_EQ(got_plus, (std::vector<std::int64_t>{100, 8, 8, 8}));
}

TEST(RewriteHook, MatchesADescriptorsPath) {
  PTK_REQUIRE_X86_HOST();
  char name[] = "/tmp/ptk-rewrite-fd-XXXXXX";
  int fd = ::mkstemp(name);
  ASSERT_GE(fd, 0);
  auto h = make({R"(write if fd~"/tmp/ptk-rewrite-fd-*" -> deny=EPERM)",
                 R"(openat if dfd=~/^\// and #1 -> deny=EACCES)"});
  FakeContext w(Arch::X86_64, "write", {static_cast<std::uint64_t>(fd), 0, 0});
  h->hook->on_entry(w);
  EXPECT_TRUE(w.skipped());
  int other = ::open("/dev/null", O_WRONLY);
  FakeContext n(Arch::X86_64, "write", {static_cast<std::uint64_t>(other), 0, 0});
  h->hook->on_entry(n);
  EXPECT_FALSE(n.skipped());
  // AT_FDCWD stands for the working directory.
  FakeContext o(Arch::X86_64, "openat", {kAtFdcwd, 0, 0, 0});
  h->hook->on_entry(o);
  EXPECT_TRUE(o.skipped());
  ::close(other);
  ::close(fd);
  ::unlink(name);
}

TEST(RewriteHook, PathAliasMatchesAnyOfSeveralPaths) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(renameat if path="/b" -> deny=EXDEV)", R"(renameat if path!="/c" -> skip=0)"});
  char a[] = "/a", b[] = "/b", c[] = "/c";
  FakeContext r(Arch::X86_64, "renameat", {kAtFdcwd, addr_of(a), kAtFdcwd, addr_of(b)});
  h->hook->on_entry(r);
  EXPECT_EQ(r.skip_value(), -EXDEV);
  // "!=" needs every path to differ.
  FakeContext s(Arch::X86_64, "renameat", {kAtFdcwd, addr_of(a), kAtFdcwd, addr_of(c)});
  h->hook->on_entry(s);
  EXPECT_FALSE(s.skipped());
}

TEST(RewriteHook, MatchesWriteContent) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"write if buf=~/err(or)?/ -> deny=EIO"});
  char yes[] = "an error here", no[] = "all good";
  FakeContext y(Arch::X86_64, "write", {2, addr_of(yes), sizeof yes - 1});
  h->hook->on_entry(y);
  EXPECT_TRUE(y.skipped());
  FakeContext n(Arch::X86_64, "write", {2, addr_of(no), sizeof no - 1});
  h->hook->on_entry(n);
  EXPECT_FALSE(n.skipped());
}

TEST(RewriteHook, RulesApplyInOrderAndASkipEndsTheList) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat(path="/etc/hostname") -> path="/tmp/myhost")",
                 R"(openat(path="/tmp/myhost") -> deny=EACCES)", "openat -> flags=1"});
  char path[] = "/etc/hostname";
  FakeContext ctx(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), 0, 0});
  h->hook->on_entry(ctx);
  EXPECT_EQ(ctx.skip_value(), -EACCES);  // the second rule saw the first one's path
  EXPECT_EQ(ctx.args()[2], 0u);          // the third never ran
  EXPECT_EQ(ctx.marks(), "(REWRITTEN: path) (INJECTED)");
}

TEST(RewriteHook, DelayAndSignal) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({"getpid -> delay=5ms, signal=SIGUSR1"});
  FakeContext g(Arch::X86_64, "getpid", {});
  h->hook->on_entry(g);
  EXPECT_EQ(g.delayed(), std::chrono::milliseconds(5));
  EXPECT_EQ(g.raised(), std::vector<int>{SIGUSR1});
  EXPECT_EQ(g.marks(), "(DELAYED)");
}

TEST(RewriteHook, ReportsWhatCouldNotBeDone) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(openat -> path="/x")", "write -> buf=reverse"});
  char path[] = "/a";
  FakeContext o(Arch::X86_64, "openat", {kAtFdcwd, addr_of(path), 0, 0});
  o.fail_borrow = true;
  h->hook->on_entry(o);
  EXPECT_EQ(o.args()[1], addr_of(path));
  EXPECT_EQ(o.marks(), "");
  // A buffer over the bound is not read at all.
  FakeContext w(Arch::X86_64, "write", {1, 0x1000, kMaxBufferBytes + 1});
  h->hook->on_entry(w);
  EXPECT_EQ(w.args()[1], 0x1000u);
  ASSERT_EQ(h->warnings.size(), 2u);
  EXPECT_EQ(h->warnings[0], "rewrite: openat's filename: borrow");
  EXPECT_EQ(h->warnings[1],
            "rewrite: write's buf holds 1048577 bytes, over the 1048576 bytes a rewrite reads: "
            "not rewritten");
}

TEST(RewriteHook, AbandonedSyscallLeavesNoState) {
  PTK_REQUIRE_X86_HOST();
  auto h = make({R"(write -> buf=replace("a", "aaa"))"});
  char buf[] = "ab";
  FakeContext w(Arch::X86_64, "write", {1, addr_of(buf), 2});
  h->hook->on_entry(w);
  ASSERT_EQ(w.args()[2], 4u);
  h->hook->on_abandon(w.tid());
  w.exit_with(4);
  h->hook->on_exit(w);
  EXPECT_EQ(w.ret(), 4);  // no exit work (which would say 2) for a syscall that is gone
}

}  // namespace
}  // namespace ptk::tamper
