// Signals under the tracer: each is seen at its delivery and passed on unchanged, so a traced
// program ends exactly as it ends untraced; a tracer may also change or suppress one.
#include <signal.h>
#include <unistd.h>

#include <algorithm>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

struct Outcome {
  std::string output;
  std::string ended;  // "exited with 0", "killed by SIGTERM"
};

// The signals tracee in `mode`: when `sig` is nonzero, sent `sig` once it wrote "ready".
Outcome run_untraced(int bits, const char* mode, int sig) {
  Pipe out = make_pipe();
  Child child({tracee_path("signals", bits), mode}, -1, out.write_end.get());
  out.write_end.reset();
  std::string output;
  if (sig != 0) {
    output = read_line(out.read_end.get()).value_or("<eof>") + "\n";
    ::kill(child.pid(), sig);
  }
  output += read_all(out.read_end.get());
  return {output, describe_status(child.wait())};
}

class SignalsTest : public ::testing::TestWithParam<std::tuple<int, ptk::SyscallStops>> {
 protected:
  int bits() const { return std::get<0>(GetParam()); }
  ptk::SyscallStops stops() const { return std::get<1>(GetParam()); }
  void SetUp() override { PTK_REQUIRE_BITS(bits()); }

  // The same under a session; the events are left in events_.
  Outcome run_traced(const char* mode, int sig) {
    Pipe out = make_pipe();
    ptk::Session session({.syscall_stops = stops()});
    auto pid =
        spawn_with_stdio(session, {tracee_path("signals", bits()), mode}, -1, out.write_end.get());
    if (!pid.ok()) return {"", "spawn failed: " + pid.error().message()};
    out.write_end.reset();
    EXPECT_TRUE(session.resume(*pid).ok());
    std::string output;
    if (sig != 0) {
      if (stops() == ptk::SyscallStops::All) {
        // Runs the tracee until its write of "ready\n" has returned.
        auto ev = wait_until(
            session,
            [](const ptk::Event& e) { return is_stdout_write_exit(e) && e.syscall.ret == 6; },
            &events_);
        if (!ev) return {"", "no ready"};
        EXPECT_TRUE(session.resume(*ev).ok());
      }
      output = read_line(out.read_end.get()).value_or("<eof>") + "\n";
      EXPECT_TRUE(session.kill(*pid, sig).ok());
    }
    std::vector<ptk::Event> rest = run_to_end(session);
    events_.insert(events_.end(), rest.begin(), rest.end());
    output += read_all(out.read_end.get());
    return {output, how_ended(events_, *pid)};
  }

  std::vector<const ptk::Event*> signal_events(int sig) const {
    std::vector<const ptk::Event*> out;
    for (const ptk::Event& e : events_) {
      if (e.kind == EventKind::Signal && e.signal == sig) out.push_back(&e);
    }
    return out;
  }

  std::vector<ptk::Event> events_;
};

TEST_P(SignalsTest, HandledSigusr1RunsTheHandler) {
  Outcome untraced = run_untraced(bits(), "usr1", SIGUSR1);
  EXPECT_EQ(untraced.output, "ready\ngot SIGUSR1\nafter\n");
  EXPECT_EQ(untraced.ended, "exited with 0");
  Outcome traced = run_traced("usr1", SIGUSR1);
  EXPECT_EQ(traced.output, untraced.output);
  EXPECT_EQ(traced.ended, untraced.ended) << describe(events_);
  auto seen = signal_events(SIGUSR1);
  ASSERT_EQ(seen.size(), 1u) << describe(events_);
  EXPECT_EQ(seen[0]->siginfo.si_signo, SIGUSR1);
  EXPECT_EQ(seen[0]->siginfo.si_code, SI_USER);
  EXPECT_EQ(seen[0]->siginfo.si_pid, ::getpid());
}

TEST_P(SignalsTest, SigtermKills) {
  Outcome untraced = run_untraced(bits(), "term", SIGTERM);
  EXPECT_EQ(untraced.output, "ready\n");
  EXPECT_EQ(untraced.ended, "killed by SIGTERM");
  Outcome traced = run_traced("term", SIGTERM);
  EXPECT_EQ(traced.output, untraced.output);
  EXPECT_EQ(traced.ended, untraced.ended) << describe(events_);
  EXPECT_EQ(signal_events(SIGTERM).size(), 1u) << describe(events_);
}

TEST_P(SignalsTest, SegfaultKills) {
  Outcome untraced = run_untraced(bits(), "segv", 0);
  EXPECT_EQ(untraced.ended, "killed by SIGSEGV");
  Outcome traced = run_traced("segv", 0);
  EXPECT_EQ(traced.ended, untraced.ended) << describe(events_);
  auto seen = signal_events(SIGSEGV);
  ASSERT_EQ(seen.size(), 1u) << describe(events_);
  EXPECT_EQ(seen[0]->siginfo.si_code, SEGV_MAPERR);
  EXPECT_EQ(seen[0]->siginfo.si_addr, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Modes, SignalsTest,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(ptk::SyscallStops::None,
                                                              ptk::SyscallStops::All)),
                         [](const auto& info) {
                           return fmt::format("{}bit_{}", std::get<0>(info.param),
                                              std::get<1>(info.param) == ptk::SyscallStops::All
                                                  ? "syscalls"
                                                  : "nostops");
                         });

TEST(SignalChangeTest, ResumeWithAnotherSignalDeliversThatOne) {
  Pipe out = make_pipe();
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid =
      spawn_with_stdio(session, {tracee_path("signals", 64), "term"}, -1, out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  EXPECT_EQ(read_line(out.read_end.get()), "ready");
  ASSERT_TRUE(session.kill(*pid, SIGTERM).ok());
  auto ev = wait_until(session, [](const ptk::Event& e) { return e.kind == EventKind::Signal; });
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->signal, SIGTERM);
  // SIGUSR1 is not handled by the "term" tracee: its default action kills it.
  ASSERT_TRUE(session.resume(ev->tid, ptk::Resume::Default, SIGUSR1).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "killed by SIGUSR1") << describe(events);
}

TEST(SignalChangeTest, SuppressedSegfaultHappensAgain) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid = session.spawn({.argv = {tracee_path("signals", 64), "segv"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  auto first = wait_until(session, [](const ptk::Event& e) { return e.kind == EventKind::Signal; });
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->signal, SIGSEGV);
  auto regs = session.get_regs(first->tid);
  ASSERT_TRUE(regs.ok());
  // Suppressed, the faulting store runs again and faults again, at the same instruction.
  ASSERT_TRUE(session.resume(first->tid, ptk::Resume::Default, 0).ok());
  auto again = session.wait();
  ASSERT_TRUE(again.ok()) << again.error().message();
  EXPECT_EQ(again->kind, EventKind::Signal) << describe(*again);
  EXPECT_EQ(again->signal, SIGSEGV);
  auto regs_again = session.get_regs(again->tid);
  ASSERT_TRUE(regs_again.ok());
  EXPECT_EQ(regs_again->ip(), regs->ip());
  ASSERT_TRUE(session.resume(*again).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "killed by SIGSEGV") << describe(events);
}

}  // namespace
}  // namespace ptk_test
