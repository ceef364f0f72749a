// Attach to and detach from a running multi-threaded process the test started itself: every
// thread is held while attached, and after detach the process runs on exactly as before (its
// output continues line by line, nothing lost, nothing repeated).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>

#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

constexpr int kWorkers = 3;

// counter_threads started untraced, with its stdin and stdout on pipes the test holds.
class AttachTest : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    child_.emplace(std::vector<std::string>{tracee_path("counter_threads", GetParam()),
                                            std::to_string(kWorkers)},
                   in_.read_end.get(), out_.write_end.get());
    in_.read_end.reset();
    out_.write_end.reset();
    // Its first line shows that all the workers exist (they are made before stdin is read).
    step();
  }

  pid_t pid() const { return child_->pid(); }

  // One byte in, the next "count K" line out.
  void step() {
    ++count_;
    ASSERT_TRUE(write_byte(in_.write_end.get()));
    EXPECT_EQ(read_line(out_.read_end.get()), "count " + std::to_string(count_));
  }

  // Closes stdin: the counter writes "done" and exits 0.
  void finish() {
    in_.write_end.reset();
    EXPECT_EQ(read_line(out_.read_end.get()), "done");
    EXPECT_EQ(read_line(out_.read_end.get()), std::nullopt);
    EXPECT_EQ(describe_status(child_->wait()), "exited with 0");
  }

  void expect_untraced() {
    auto tids = ptk::list_tasks(pid());
    ASSERT_TRUE(tids.ok());
    for (pid_t tid : *tids) {
      auto st = ptk::read_status(tid);
      ASSERT_TRUE(st.ok());
      EXPECT_EQ(st->tracer_pid, 0) << "thread " << tid;
    }
  }

  Pipe in_ = make_pipe();
  Pipe out_ = make_pipe();
  std::optional<Child> child_;
  int count_ = 0;
};

TEST_P(AttachTest, AttachesEveryThreadAndDetachLeavesItRunning) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(pid()).ok());
  auto tids = ptk::list_tasks(pid());
  ASSERT_TRUE(tids.ok());
  ASSERT_EQ(tids->size(), static_cast<std::size_t>(kWorkers + 1));
  EXPECT_EQ(session.thread_count(), tids->size());
  for (pid_t tid : *tids) {
    const ptk::Thread* t = session.thread(tid);
    ASSERT_NE(t, nullptr) << "thread " << tid << " not attached";
    EXPECT_EQ(t->state, ptk::ThreadState::Stopped);
    EXPECT_EQ(t->pid, pid());
    auto st = ptk::read_status(tid);
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->tracer_pid, ::getpid());
    auto regs = session.get_regs(tid);
    ASSERT_TRUE(regs.ok()) << regs.error().message();
    EXPECT_EQ(regs->arch(), ptk_test::arch_of_bits(GetParam()));
  }
  ASSERT_NE(session.process(pid()), nullptr);
  EXPECT_FALSE(session.process(pid())->spawned);

  // Traced but running freely: the counter goes on.
  ASSERT_TRUE(session.resume_all().ok());
  for (int i = 0; i < 3; ++i) step();

  ASSERT_TRUE(session.detach(pid()).ok());
  EXPECT_TRUE(session.empty());
  expect_untraced();
  for (int i = 0; i < 3; ++i) step();
  finish();
}

TEST_P(AttachTest, DetachFromThreadsInSyscallStops) {
  ptk::Session session;  // every syscall stops
  ASSERT_TRUE(session.attach(pid()).ok());
  ASSERT_TRUE(session.resume_all().ok());
  for (int i = 0; i < 3; ++i) {
    ++count_;
    ASSERT_TRUE(write_byte(in_.write_end.get()));
    // The worker's write(1, "count K\n") has returned: the line is in the pipe.
    std::vector<ptk::Event> seen;
    auto ev = wait_until(session, is_stdout_write_exit, &seen);
    ASSERT_TRUE(ev.has_value());
    EXPECT_NE(ev->tid, pid()) << "the main thread does not write";
    EXPECT_EQ(read_line(out_.read_end.get()), "count " + std::to_string(count_));
    ASSERT_TRUE(session.resume(*ev).ok());
  }
  // Some threads are stopped at syscall stops not yet waited for, some run: detach takes all.
  ASSERT_TRUE(session.detach(pid()).ok());
  EXPECT_TRUE(session.empty());
  expect_untraced();
  for (int i = 0; i < 3; ++i) step();
  finish();
}

TEST_P(AttachTest, DetachWhileStoppedAtAttachLeavesItRunning) {
  ptk::Session session;
  ASSERT_TRUE(session.attach(pid()).ok());
  // Detach at once, every thread still in its attach stop (blocked syscalls were interrupted).
  ASSERT_TRUE(session.detach(pid()).ok());
  expect_untraced();
  for (int i = 0; i < 3; ++i) step();
  finish();
}

TEST_P(AttachTest, ReattachAfterDetach) {
  for (int round = 0; round < 3; ++round) {
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
    ASSERT_TRUE(session.attach(pid()).ok()) << "round " << round;
    ASSERT_TRUE(session.resume_all().ok());
    step();
    ASSERT_TRUE(session.detach(pid()).ok());
    step();
  }
  expect_untraced();
  finish();
}

TEST_P(AttachTest, SessionDestructorDetachesAttachedProcesses) {
  {
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
    ASSERT_TRUE(session.attach(pid()).ok());
    ASSERT_TRUE(session.resume_all().ok());
    step();
  }
  expect_untraced();
  for (int i = 0; i < 2; ++i) step();
  finish();
}

TEST_P(AttachTest, AGroupStoppedProcessStaysStoppedAfterDetach) {
  ASSERT_EQ(::kill(pid(), SIGSTOP), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid(), &status, WUNTRACED), pid());
  ASSERT_TRUE(WIFSTOPPED(status));
  {
    ptk::Session session;
    ASSERT_TRUE(session.attach(pid()).ok());
    // Attaching to a stopped process reports its group-stop (for each thread).
    std::vector<ptk::Event> seen;
    for (int i = 0; i <= kWorkers; ++i) {
      auto ev = session.wait();
      ASSERT_TRUE(ev.ok()) << ev.error().message();
      seen.push_back(*ev);
      EXPECT_EQ(ev->kind, EventKind::GroupStop) << describe(*ev);
    }
    ASSERT_TRUE(session.detach(pid()).ok());
  }
  expect_untraced();
  // Each thread, woken by the detach, stops again: 'T', not sleeping in its read.
  auto tids = ptk::list_tasks(pid());
  ASSERT_TRUE(tids.ok());
  for (pid_t tid : *tids) EXPECT_EQ(settled_state(tid), 'T') << "thread " << tid;
  // Still stopped: the byte is not consumed until SIGCONT.
  ++count_;
  ASSERT_TRUE(write_byte(in_.write_end.get()));
  for (pid_t tid : *tids) EXPECT_EQ(settled_state(tid), 'T') << "thread " << tid;
  EXPECT_FALSE(readable_now(out_.read_end.get()));
  ASSERT_EQ(::kill(pid(), SIGCONT), 0);
  EXPECT_EQ(read_line(out_.read_end.get()), "count " + std::to_string(count_));
  finish();
}

INSTANTIATE_TEST_SUITE_P(Bits, AttachTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
