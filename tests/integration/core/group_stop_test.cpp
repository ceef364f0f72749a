// SIGSTOP/SIGCONT under the tracer: a stopped tracee reports a group-stop, stays stopped (the
// tracer listens instead of resuming it) until SIGCONT, then continues, as without a tracer.
#include <signal.h>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

class GroupStopTest : public ::testing::TestWithParam<std::tuple<int, ptk::SyscallStops>> {
 protected:
  int bits() const { return std::get<0>(GetParam()); }
  ptk::SyscallStops stops() const { return std::get<1>(GetParam()); }
  void SetUp() override { PTK_REQUIRE_BITS(bits()); }
};

TEST_P(GroupStopTest, SelfStoppedTraceeWaitsForSigcont) {
  Pipe out = make_pipe();
  ptk::Session session({.syscall_stops = stops()});
  auto pid = spawn_with_stdio(session, {tracee_path("stopper", bits())}, -1, out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());

  std::vector<ptk::Event> events;
  auto sig = wait_until(
      session, [](const ptk::Event& e) { return e.kind == EventKind::Signal; }, &events);
  ASSERT_TRUE(sig.has_value());
  EXPECT_EQ(sig->signal, SIGSTOP);
  ASSERT_TRUE(session.resume(*sig).ok());  // passes SIGSTOP on: the process stops
  auto stop = session.wait();
  ASSERT_TRUE(stop.ok()) << stop.error().message();
  ASSERT_EQ(stop->kind, EventKind::GroupStop) << describe(*stop);
  EXPECT_EQ(stop->signal, SIGSTOP);
  ASSERT_TRUE(session.resume(*stop).ok());
  ASSERT_NE(session.thread(*pid), nullptr);
  EXPECT_EQ(session.thread(*pid)->state, ptk::ThreadState::Listening);

  // Stopped: it wrote "before" and nothing after it.
  EXPECT_EQ(read_line(out.read_end.get()), "before");
  EXPECT_EQ(proc_state(*pid), 't');
  EXPECT_FALSE(readable_now(out.read_end.get()));

  ASSERT_TRUE(session.kill(*pid, SIGCONT).ok());
  std::vector<ptk::Event> rest = run_to_end(session);
  EXPECT_EQ(read_all(out.read_end.get()), "after\n");
  EXPECT_EQ(how_ended(rest, *pid), "exited with 0") << describe(rest);
  auto sigcont = std::ranges::count_if(
      rest, [](const ptk::Event& e) { return e.kind == EventKind::Signal && e.signal == SIGCONT; });
  EXPECT_EQ(sigcont, 1) << describe(rest);
  EXPECT_EQ(std::ranges::count_if(
                rest, [](const ptk::Event& e) { return e.kind == EventKind::GroupStop; }),
            0)
      << describe(rest);
}

TEST_P(GroupStopTest, KillStopAndContOfAMultiThreadedTracee) {
  Pipe in = make_pipe(), out = make_pipe();
  ptk::Session session({.syscall_stops = stops()});
  auto pid = spawn_with_stdio(session, {tracee_path("counter_threads", bits()), "2"},
                              in.read_end.get(), out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  in.read_end.reset();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());

  // Every event is resumed as it comes, until `done` holds after a resume.
  std::vector<ptk::Event> events;
  auto pump = [&](const std::function<bool()>& done) {
    while (!done()) {
      auto ev = session.wait();
      ASSERT_TRUE(ev.ok()) << ev.error().message() << "\n" << describe(events);
      events.push_back(*ev);
      ASSERT_TRUE(session.resume(*ev).ok()) << describe(*ev);
    }
  };
  auto all_threads = [&](ptk::ThreadState state) {
    const ptk::Process* p = session.process(*pid);
    if (p == nullptr) return false;
    for (pid_t tid : p->tids) {
      if (session.thread(tid)->state != state) return false;
    }
    return true;
  };
  auto seen = [&](EventKind kind, int sig) {
    return std::ranges::count_if(
        events, [&](const ptk::Event& e) { return e.kind == kind && e.signal == sig; });
  };

  // The first line: both worker threads exist (and are followed) from here on.
  ASSERT_TRUE(write_byte(in.write_end.get()));
  if (stops() == ptk::SyscallStops::All) {
    pump([&] {
      return seen(EventKind::Clone, 0) == 2 && all_threads(ptk::ThreadState::Running) &&
             std::ranges::count_if(events, is_stdout_write_exit) == 1;
    });
  } else {
    pump([&] {
      return seen(EventKind::ThreadStart, 0) == 2 && all_threads(ptk::ThreadState::Running);
    });
  }
  EXPECT_EQ(read_line(out.read_end.get()), "count 1");
  ASSERT_EQ(session.thread_count(), 3u);

  ASSERT_TRUE(session.kill(*pid, SIGSTOP).ok());
  pump([&] { return seen(EventKind::GroupStop, SIGSTOP) == 3; });
  EXPECT_EQ(seen(EventKind::Signal, SIGSTOP), 1) << describe(events);
  EXPECT_TRUE(all_threads(ptk::ThreadState::Listening));
  for (pid_t tid : session.process(*pid)->tids) EXPECT_EQ(proc_state(tid), 't') << tid;
  // Stopped: a byte on stdin is not read, no line comes.
  ASSERT_TRUE(write_byte(in.write_end.get()));
  EXPECT_FALSE(readable_now(out.read_end.get()));

  ASSERT_TRUE(session.kill(*pid, SIGCONT).ok());
  pump([&] {
    return seen(EventKind::Signal, SIGCONT) == 1 && all_threads(ptk::ThreadState::Running);
  });
  if (stops() == ptk::SyscallStops::None) {
    EXPECT_EQ(read_line(out.read_end.get()), "count 2");
  } else {
    // With syscall stops the counter needs the tracer to run it through its syscalls.
    pump([&] { return readable_now(out.read_end.get()); });
    EXPECT_EQ(read_line(out.read_end.get()), "count 2");
  }
  in.write_end.reset();
  std::vector<ptk::Event> rest = run_to_end(session);
  EXPECT_EQ(read_all(out.read_end.get()), "done\n");
  EXPECT_EQ(how_ended(rest, *pid), "exited with 0") << describe(rest);
}

INSTANTIATE_TEST_SUITE_P(Modes, GroupStopTest,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(ptk::SyscallStops::None,
                                                              ptk::SyscallStops::All)),
                         [](const auto& info) {
                           return fmt::format("{}bit_{}", std::get<0>(info.param),
                                              std::get<1>(info.param) == ptk::SyscallStops::All
                                                  ? "syscalls"
                                                  : "nostops");
                         });

}  // namespace
}  // namespace ptk_test
