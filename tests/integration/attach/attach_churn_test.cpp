// Attach to a process while it makes threads. A thread cloned by one ptk has already seized is
// attached by PTRACE_O_TRACECLONE before ptk's pass over /proc/PID/task reaches it, so seizing it
// again fails with EPERM (already traced, by us): attach must take that as attached, and detach
// must let go of such threads too, or the process hangs joining a thread left stopped.
#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using AttachChurnTest = BitsTest;

TEST_P(AttachChurnTest, AttachAndDetachWhileThreadsAreBorn) {
  Pipe in = make_pipe(), out = make_pipe();
  Child child({tracee_path("thread_churn", GetParam())}, in.read_end.get(), out.write_end.get());
  in.read_end.reset();
  out.write_end.reset();
  ASSERT_EQ(read_line(out.read_end.get()), "ready");
  for (int round = 0; round < 40; ++round) {
    {
      ptk::Session session;  // follows threads; every syscall stops
      ptk::Status attached = session.attach(child.pid());
      ASSERT_TRUE(attached.ok()) << "round " << round << ": " << attached.error().message();
      ASSERT_TRUE(session.resume_all().ok());
      for (int i = 0; i < round % 8; ++i) {  // detach from ever different places
        auto ev = session.wait();
        ASSERT_TRUE(ev.ok()) << ev.error().message();
        ASSERT_TRUE(session.resume(*ev).ok());
      }
      ASSERT_TRUE(session.detach(child.pid()).ok()) << "round " << round;
    }
    // Every thread let go (those that exist now), and the main thread still going round.
    auto tids = ptk::list_tasks(child.pid());
    ASSERT_TRUE(tids.ok());
    for (pid_t tid : *tids) {
      auto st = ptk::read_status(tid);
      if (!st.ok()) continue;  // joined meanwhile
      EXPECT_EQ(st->tracer_pid, 0) << "round " << round << ", thread " << tid;
    }
    ASSERT_TRUE(write_byte(in.write_end.get()));
    ASSERT_EQ(read_line(out.read_end.get()), "alive") << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Bits, AttachChurnTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
