// Following children: fork, vfork, clone of a thread and of a process (SessionOptions::
// follow_forks), and exec from a thread that is not the thread group leader.
#include <algorithm>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

struct ForkCase {
  const char* mode;
  EventKind kind;  // the parent's event
  bool is_thread;  // the child is a thread of the parent's process
  int child_exit;  // the child's exit code
};

constexpr ForkCase kForkCases[] = {
    {"fork", EventKind::Fork, false, 5},
    {"vfork", EventKind::Vfork, false, 6},
    {"thread", EventKind::Clone, true, 0},
    {"clone", EventKind::Clone, false, 7},
};

void PrintTo(const ForkCase& c, std::ostream* os) { *os << c.mode; }

class ForkTest : public ::testing::TestWithParam<std::tuple<ForkCase, int, ptk::SyscallStops>> {
 protected:
  const ForkCase& fork_case() const { return std::get<0>(GetParam()); }
  int bits() const { return std::get<1>(GetParam()); }
  ptk::SyscallStops stops() const { return std::get<2>(GetParam()); }
  void SetUp() override { PTK_REQUIRE_BITS(bits()); }
};

std::ptrdiff_t index_of(const std::vector<ptk::Event>& events,
                        const std::function<bool(const ptk::Event&)>& pred) {
  auto it = std::ranges::find_if(events, pred);
  return it == events.end() ? -1 : it - events.begin();
}

TEST_P(ForkTest, FollowsTheChildFromStartToExit) {
  const ForkCase& c = fork_case();
  ptk::Session session({.syscall_stops = stops(), .follow_forks = true});
  auto pid = session.spawn({.argv = {tracee_path("forker", bits()), c.mode}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  // The tracee checks that its child ended as it should: 0 means it did.
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);

  auto made = std::ranges::find_if(events, [&](const ptk::Event& e) { return e.kind == c.kind; });
  ASSERT_NE(made, events.end()) << describe(events);
  EXPECT_EQ(made->tid, *pid);
  EXPECT_EQ(made->pid, *pid);
  pid_t child = made->new_tid;
  ASSERT_GT(child, 0);
  EXPECT_NE(child, *pid);
  EXPECT_EQ(std::ranges::count_if(events, [&](const ptk::Event& e) { return e.kind == c.kind; }), 1)
      << describe(events);

  std::ptrdiff_t made_at = made - events.begin();
  std::ptrdiff_t start_at = index_of(events, [&](const ptk::Event& e) {
    return e.kind == EventKind::ThreadStart && e.tid == child;
  });
  std::ptrdiff_t exit_at = index_of(
      events, [&](const ptk::Event& e) { return e.kind == EventKind::Exited && e.tid == child; });
  ASSERT_GE(start_at, 0) << describe(events);
  ASSERT_GE(exit_at, 0) << describe(events);
  // The child's start is handed out right before its parent's event, so that a caller
  // resuming in event order starts the child before the parent goes on (as strace does).
  EXPECT_EQ(start_at + 1, made_at) << describe(events);
  EXPECT_LT(made_at, exit_at) << describe(events);
  EXPECT_EQ(events[static_cast<std::size_t>(start_at)].pid, c.is_thread ? *pid : child);
  EXPECT_EQ(events[static_cast<std::size_t>(exit_at)].exit_code, c.child_exit);
  // Every event is about the parent or the child, and nothing is left traced.
  for (const ptk::Event& e : events) {
    EXPECT_TRUE(e.tid == *pid || e.tid == child) << describe(e);
  }
  EXPECT_TRUE(session.empty());

  if (stops() == ptk::SyscallStops::All && !c.is_thread) {
    // The child's own syscalls are traced too: its exit is a syscall of the child.
    EXPECT_GE(index_of(events,
                       [&](const ptk::Event& e) {
                         return e.kind == EventKind::SyscallEntry && e.tid == child;
                       }),
              0)
        << describe(events);
  }
}

std::string fork_case_name(const ::testing::TestParamInfo<ForkTest::ParamType>& info) {
  return fmt::format("{}_{}bit_{}", std::get<0>(info.param).mode, std::get<1>(info.param),
                     std::get<2>(info.param) == ptk::SyscallStops::All ? "syscalls" : "nostops");
}

INSTANTIATE_TEST_SUITE_P(
    Modes, ForkTest,
    ::testing::Combine(::testing::ValuesIn(kForkCases), ::testing::Values(64, 32),
                       ::testing::Values(ptk::SyscallStops::None, ptk::SyscallStops::All)),
    fork_case_name);

TEST(ForkNotFollowedTest, ChildProcessesRunUntraced) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::All, .follow_forks = false});
  auto pid = session.spawn({.argv = {tracee_path("forker", 64), "fork"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
  for (const ptk::Event& e : events) {
    EXPECT_EQ(e.tid, *pid) << describe(e);
    EXPECT_NE(e.kind, EventKind::Fork) << describe(e);
  }
}

TEST(ForkNotFollowedTest, ThreadsAreStillFollowed) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None, .follow_forks = false});
  auto pid = session.spawn({.argv = {tracee_path("forker", 64), "thread"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
  EXPECT_GE(index_of(events, [](const ptk::Event& e) { return e.kind == EventKind::Clone; }), 0)
      << describe(events);
}

// exec_thread_A runs hello_writes_B from a non-leader thread.
class ExecFromThreadTest : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(ExecFromThreadTest, TheExecingThreadTakesTheLeadersTid) {
  auto [from_bits, to_bits] = GetParam();
  PTK_REQUIRE_BITS(from_bits);
  PTK_REQUIRE_BITS(to_bits);
  ptk::Arch new_arch = ptk_test::arch_of_bits(to_bits);
  Pipe out = make_pipe();
  ptk::Session session;
  auto pid = spawn_with_stdio(
      session, {tracee_path("exec_thread", from_bits), tracee_path("hello_writes", to_bits)}, -1,
      out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(read_all(out.read_end.get()), "hello, ptrace\nsecond line!\n");
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
  EXPECT_TRUE(session.empty());

  auto clone =
      std::ranges::find_if(events, [](const ptk::Event& e) { return e.kind == EventKind::Clone; });
  ASSERT_NE(clone, events.end()) << describe(events);
  pid_t thread = clone->new_tid;
  auto exec =
      std::ranges::find_if(events, [](const ptk::Event& e) { return e.kind == EventKind::Exec; });
  ASSERT_NE(exec, events.end()) << describe(events);
  EXPECT_EQ(exec->tid, *pid);
  EXPECT_EQ(exec->pid, *pid);
  EXPECT_EQ(exec->old_tid, thread);
  EXPECT_NE(exec->old_tid, exec->tid);

  // After the exec the trace goes on under the leader's tid, in the new program's ABI.
  const std::int64_t write_nr = ptk::find_syscall(new_arch, "write")->nr;
  auto writes = std::count_if(exec + 1, events.end(), [&](const ptk::Event& e) {
    return e.kind == EventKind::SyscallEntry && e.tid == *pid && e.syscall.arch == new_arch &&
           e.syscall.nr == write_nr;
  });
  EXPECT_EQ(writes, 2) << describe(events);
  for (auto it = exec + 1; it != events.end(); ++it) {
    EXPECT_EQ(it->tid, *pid) << describe(*it);
  }
  // The old thread id never reports an exit of its own.
  EXPECT_EQ(std::ranges::count_if(
                events, [&](const ptk::Event& e) { return e.tid == thread && !e.stopped(); }),
            0)
      << describe(events);
}

INSTANTIATE_TEST_SUITE_P(Bits, ExecFromThreadTest,
                         ::testing::Values(std::tuple{64, 64}, std::tuple{64, 32},
                                           std::tuple{32, 32}, std::tuple{32, 64}),
                         [](const auto& info) {
                           return fmt::format("from{}to{}", std::get<0>(info.param),
                                              std::get<1>(info.param));
                         });

}  // namespace
}  // namespace ptk_test
