// strace's -e inject= / -e fault= expressions: what each spelling means, and one clear error
// naming the wrong part for each bad one.
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <string>

#include "ptk/tamper/inject_spec.h"
#include "x86_host.h"

namespace ptk::tamper {
namespace {

::testing::AssertionResult contains_text(std::string_view text, std::string_view part) {
  if (text.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

InjectSpec good(std::string_view text, bool fault = false) {
  auto r = parse_inject_spec(text, fault);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message());
  return r.ok() ? std::move(*r) : InjectSpec{};
}

std::string bad(std::string_view text, bool fault = false) {
  auto r = parse_inject_spec(text, fault);
  EXPECT_FALSE(r.ok()) << text << " was accepted";
  return r.ok() ? std::string() : r.error().message();
}

std::int64_t nr(std::string_view name, Arch arch = Arch::X86_64) {
  const SyscallSpec* s = find_syscall(arch, name);
  return s == nullptr ? -1 : s->nr;
}

TEST(InjectSpec, ErrorByNameOrNumber) {
  PTK_REQUIRE_X86_HOST();
  InjectSpec s = good("openat:error=ENOENT");
  EXPECT_EQ(s.error, ENOENT);
  EXPECT_FALSE(s.retval.has_value());
  EXPECT_TRUE(s.replaces_result());
  EXPECT_EQ(s.result_value(), -ENOENT);
  EXPECT_TRUE(s.syscalls.selects(Arch::X86_64, nr("openat")));
  EXPECT_TRUE(s.syscalls.selects(Arch::I386, nr("openat", Arch::I386)));
  EXPECT_FALSE(s.syscalls.selects(Arch::X86_64, nr("open")));
  EXPECT_EQ(good("read:error=eio").error, EIO);  // case-insensitive, as strace
  EXPECT_EQ(good("read:error=28").error, 28);
  EXPECT_EQ(good("read:error=EWOULDBLOCK").error, EAGAIN);
  EXPECT_EQ(good("read:error=4095").error, 4095);
}

TEST(InjectSpec, Retval) {
  EXPECT_EQ(good("getpid:retval=42").retval, 42u);
  EXPECT_EQ(good("getpid:retval=0x10").retval, 16u);
  EXPECT_EQ(good("getpid:retval=010").retval, 8u);  // strtoull base 0: octal
  InjectSpec s = good("getpid:retval=0");
  EXPECT_EQ(s.retval, 0u);
  EXPECT_TRUE(s.warnings.empty());
  // A value in the error range is allowed, with a warning (as strace).
  InjectSpec e = good("getpid:retval=-2");
  EXPECT_EQ(e.result_value(), -2);
  ASSERT_EQ(e.warnings.size(), 1u);
  EXPECT_NE(e.warnings[0].find("ENOENT"), std::string::npos) << e.warnings[0];
  EXPECT_EQ(good("getpid:retval=4294967295").warnings.size(), 1u);  // -1 for i386
}

TEST(InjectSpec, SignalByNameOrNumber) {
  EXPECT_EQ(good("getpid:signal=SIGUSR1").signal, SIGUSR1);
  EXPECT_EQ(good("getpid:signal=usr2").signal, SIGUSR2);
  EXPECT_EQ(good("getpid:signal=9").signal, 9);
  InjectSpec s = good("getpid:signal=TERM");
  EXPECT_FALSE(s.replaces_result());  // a signal alone: the call runs
}

TEST(InjectSpec, WhenForms) {
  EXPECT_EQ(good("read:error=EIO").when, (InjectWhen{1, InjectWhen::kInfinite, 1}));
  EXPECT_EQ(good("read:error=EIO:when=3").when, (InjectWhen{3, InjectWhen::kInfinite, 0}));
  EXPECT_EQ(good("read:error=EIO:when=3+").when, (InjectWhen{3, InjectWhen::kInfinite, 1}));
  EXPECT_EQ(good("read:error=EIO:when=3+2").when, (InjectWhen{3, InjectWhen::kInfinite, 2}));
  EXPECT_EQ(good("read:error=EIO:when=2..4").when, (InjectWhen{2, 4, 1}));
  EXPECT_EQ(good("read:error=EIO:when=2..4+").when, (InjectWhen{2, 4, 1}));
  EXPECT_EQ(good("read:error=EIO:when=2..9+3").when, (InjectWhen{2, 9, 3}));
  // The last when= wins, as in strace.
  EXPECT_EQ(good("read:when=1:error=EIO:when=5").when.first, 5u);
}

TEST(InjectSpec, WhenSelectsInvocations) {
  auto picked = [](std::string_view when) {
    InjectWhen w = good(std::string("read:error=EIO:when=") + std::string(when)).when;
    std::string out;
    for (int n = 1; n <= 12; ++n) {
      if (w.selects(static_cast<std::uint64_t>(n))) out += std::to_string(n) + " ";
    }
    return out;
  };
  EXPECT_EQ(picked("3"), "3 ");
  EXPECT_EQ(picked("10+"), "10 11 12 ");
  EXPECT_EQ(picked("2+4"), "2 6 10 ");
  EXPECT_EQ(picked("2..5"), "2 3 4 5 ");
  EXPECT_EQ(picked("3..10+3"), "3 6 9 ");
  EXPECT_EQ(picked("4..4"), "4 ");
}

TEST(InjectSpec, SyscallSetsAsTraceSpellsThem) {
  PTK_REQUIRE_X86_HOST();
  InjectSpec s = good("%file:error=EACCES");
  EXPECT_TRUE(s.syscalls.selects(Arch::X86_64, nr("openat")));
  EXPECT_FALSE(s.syscalls.selects(Arch::X86_64, nr("read")));
  InjectSpec n = good("!read:error=EIO");
  EXPECT_FALSE(n.syscalls.selects(Arch::X86_64, nr("read")));
  EXPECT_TRUE(n.syscalls.selects(Arch::X86_64, nr("write")));
  InjectSpec two = good("read,write:error=EIO");
  EXPECT_TRUE(two.syscalls.selects(Arch::X86_64, nr("read")));
  EXPECT_TRUE(two.syscalls.selects(Arch::X86_64, nr("write")));
}

TEST(InjectSpec, SubstituteNeedsAPureSyscall) {
  PTK_REQUIRE_X86_HOST();
  InjectSpec s = good("unlink:syscall=getpid:retval=0");
  EXPECT_EQ(s.substitute, "getpid");
  EXPECT_EQ(s.substitute_nr[0], 39);  // x86_64 getpid
  EXPECT_EQ(s.substitute_nr[1], 20);  // i386 getpid
  EXPECT_TRUE(contains_text(bad("unlink:syscall=write:retval=0"), "pure"));
  EXPECT_TRUE(contains_text(bad("unlink:syscall=getpid"), "needs error= or retval="));
  EXPECT_TRUE(contains_text(bad("unlink:syscall=getpidd:retval=0"), "\"getpidd\""));
}

// strace 6.1 runs the original call when syscall= comes without a result to inject
// (qual_inject-signal-syscall): the spec keeps the signal, drops the substitute, and says so.
TEST(InjectSpec, SubstituteWithoutAResultIsDroppedWithAWarning) {
  InjectSpec s = good("chdir:signal=USR1:syscall=gettid");
  EXPECT_EQ(s.signal, SIGUSR1);
  EXPECT_FALSE(s.substitute.has_value());
  for (Arch arch : kKnownArches) EXPECT_EQ(s.substitute_nr[static_cast<std::size_t>(arch)], -1);
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_TRUE(contains_text(s.warnings[0], "syscall=gettid is ignored")) << s.warnings[0];
}

// qual_fault-exit_group: `fault=all:error=ENOSYS` then `fault=exit:error=1:when=2+` leaves the
// first exit alone; strace keeps only the last rule naming a syscall.
TEST(InjectSpec, TheLastRuleOfASyscallWins) {
  PTK_REQUIRE_X86_HOST();
  std::vector<InjectSpec> specs = {good("all:error=ENOSYS"), good("exit:error=1:when=2+"),
                                   good("read,write:error=EIO"), good("write:retval=1")};
  keep_last_rule_per_syscall(specs);
  EXPECT_FALSE(specs[0].syscalls.selects(Arch::X86_64, nr("exit")));
  EXPECT_FALSE(specs[0].syscalls.selects(Arch::X86_64, nr("read")));
  EXPECT_TRUE(specs[0].syscalls.selects(Arch::X86_64, nr("exit_group")));
  EXPECT_TRUE(specs[1].syscalls.selects(Arch::X86_64, nr("exit")));
  EXPECT_TRUE(specs[2].syscalls.selects(Arch::X86_64, nr("read")));
  EXPECT_FALSE(specs[2].syscalls.selects(Arch::X86_64, nr("write")));
  EXPECT_TRUE(specs[3].syscalls.selects(Arch::X86_64, nr("write")));
}

TEST(InjectSpec, PokesAndDelays) {
  InjectSpec s = good("openat:poke_enter=@arg2=2f00,@arg1=ff:poke_exit=@arg6=00");
  ASSERT_EQ(s.poke_enter.size(), 2u);
  EXPECT_EQ(s.poke_enter[0].arg, 1);
  EXPECT_EQ(s.poke_enter[0].bytes, (std::vector<std::byte>{std::byte{0x2f}, std::byte{0}}));
  EXPECT_EQ(s.poke_enter[1].arg, 0);
  ASSERT_EQ(s.poke_exit.size(), 1u);
  EXPECT_EQ(s.poke_exit[0].arg, 5);
  EXPECT_FALSE(s.replaces_result());

  using std::chrono::nanoseconds;
  EXPECT_EQ(good("read:delay_enter=10").delay_enter, nanoseconds(10000));  // microseconds
  EXPECT_EQ(good("read:delay_exit=1.5ms").delay_exit, nanoseconds(1500000));
  EXPECT_EQ(good("read:delay_enter=2s").delay_enter, nanoseconds(2000000000));
  EXPECT_EQ(good("read:delay_enter=300ns").delay_enter, nanoseconds(300));
}

TEST(InjectSpec, FaultDefaultsToEnosysAndTakesFewOptions) {
  PTK_REQUIRE_X86_HOST();
  InjectSpec f = good("openat", true);
  EXPECT_EQ(f.error, ENOSYS);
  EXPECT_TRUE(f.fault);
  EXPECT_EQ(good("openat:error=EPERM:when=2", true).error, EPERM);
  InjectSpec sub = good("unlink:syscall=getpid", true);  // error=ENOSYS from the substitute
  EXPECT_EQ(sub.error, ENOSYS);
  EXPECT_EQ(sub.substitute, "getpid");
  std::string e = bad("openat:signal=USR1", true);
  EXPECT_TRUE(contains_text(e, "invalid fault argument 'openat:signal=USR1'")) << e;
  EXPECT_TRUE(contains_text(e, "\"signal=USR1\"")) << e;
}

TEST(InjectSpec, EmptyFieldsAreSkippedAsStraceDoes) {
  EXPECT_EQ(good("read::error=EIO:").error, EIO);
}

// Each bad expression: one line that quotes the whole option and the wrong part.
struct BadCase {
  const char* text;
  const char* quoted;  // must appear in the message
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.text; }

class InjectSpecBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(InjectSpecBad, NamesTheWrongPart) {
  const BadCase& c = GetParam();
  std::string e = bad(c.text);
  // strace's wording, which its own suite greps for (qual_inject-syntax.test).
  EXPECT_TRUE(contains_text(e, std::string("invalid inject argument '") + c.text + "'")) << e;
  EXPECT_TRUE(contains_text(e, c.quoted)) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InjectSpecBad,
    ::testing::Values(
        BadCase{"openat:error=ENOPE", "unknown errno \"ENOPE\""},
        BadCase{"openat:error=ENOENTT", "did you mean ENOENT"},
        BadCase{"openat:error=0", "unknown errno \"0\""},
        BadCase{"openat:error=4096", "unknown errno \"4096\""}, BadCase{"opnat:error=EIO", "opnat"},
        BadCase{"opnat:error=EIO", "did you mean openat"}, BadCase{"openat", "nothing to inject"},
        BadCase{":error=EIO", "no syscall set"},
        BadCase{"openat:error=EIO:retval=1", "only one error= or retval="},
        BadCase{"openat:retval=abc", "retval=\"abc\""},
        BadCase{"openat:signal=SIGFOO", "unknown signal \"SIGFOO\""},
        BadCase{"openat:signal=65", "unknown signal \"65\""},
        BadCase{"openat:signal=USR1:signal=USR2", "signal= given twice"},
        BadCase{"openat:error=EIO:when=0", "when=0"}, BadCase{"openat:error=EIO:when=x", "\"x\""},
        BadCase{"openat:error=EIO:when=5..3", "\"3\""},
        BadCase{"openat:error=EIO:when=2.3", "FIRST..LAST"},
        BadCase{"openat:error=EIO:when=2+0", "step \"0\""},
        BadCase{"openat:error=EIO:when=70000", "\"70000\""},
        BadCase{"openat:poke_enter=@arg0=00", "\"@arg0=00\""},
        BadCase{"openat:poke_enter=@arg2=0", "\"0\""},
        BadCase{"openat:poke_enter=@arg2=zz", "\"zz\""},
        BadCase{"openat:poke_enter=arg2=00", "\"arg2=00\""},
        BadCase{"openat:poke_enter=@arg1=00,@arg1=00", "@arg1 given twice"},
        BadCase{"openat:delay_enter=fast", "delay_enter=\"fast\""},
        BadCase{"openat:delay_exit=-1", "delay_exit=\"-1\""},
        BadCase{"openat:error=EIO:frobnicate=1", "unknown option \"frobnicate=1\""},
        BadCase{"openat:ENOENT", "unknown option \"ENOENT\""}));

}  // namespace
}  // namespace ptk::tamper
