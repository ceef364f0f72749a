// Injection into multi-threaded processes: the other threads stay stopped and untouched, any
// thread can be the one that runs the code, and a signal for the process that arrives during
// the injection is delivered afterwards.
#include <signal.h>

#include "inject_code.h"
#include "inject_util.h"
#include "ptk/inject/remote_syscalls.h"
#include "ptk/inject/shellcode.h"

namespace ptk_test {
namespace {

using ptk::inject::RemoteSyscalls;

class InjectThreadsTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return arch_of_bits(bits()); }
};

// Registers of every thread but `except`.
std::map<pid_t, ptk::Registers> other_regs(ptk::Session& session, pid_t pid, pid_t except) {
  std::map<pid_t, ptk::Registers> out;
  for (pid_t tid : session.process(pid)->tids) {
    if (tid == except) continue;
    auto r = session.get_regs(tid);
    EXPECT_TRUE(r.ok()) << "thread " << tid << " is not stopped";
    if (r.ok()) out[tid] = *r;
  }
  return out;
}

TEST_P(InjectThreadsTest, EveryThreadCanRunCodeWhileTheOthersStayStopped) {
  constexpr int kWorkers = 8;
  std::string path = tracee_path("inject_target", bits());
  PipedChild child({path, std::to_string(kWorkers)});
  ASSERT_TRUE(child.send("xy"));
  std::string out;
  for (int i = 0; i < 2; ++i) out += child.line().value_or("EOF") + "\n";
  wait_blocked_in(child.pid(), arch(), {"read"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  std::vector<pid_t> tids = session.process(child.pid())->tids;
  ASSERT_EQ(tids.size(), static_cast<std::size_t>(kWorkers + 1));
  const std::vector<std::byte> ret42 = ret42_code();
  for (pid_t tid : tids) {
    auto others = other_regs(session, child.pid(), tid);
    auto before = session.get_regs(tid);
    ASSERT_TRUE(before.ok());
    {
      auto remote = RemoteSyscalls::open(session, tid);
      ASSERT_TRUE(remote.ok()) << remote.error().message();
      auto got = remote->syscall("gettid", {});
      ASSERT_TRUE(got.ok()) << got.error().message();
      EXPECT_EQ(*got, tid);
      auto report = ptk::inject::run_shellcode(*remote, {.code = ret42});
      ASSERT_TRUE(report.ok()) << report.error().message();
      EXPECT_EQ(report->stop.regs.get(ptk::RegRole::Ret), 42u);
    }
    EXPECT_TRUE(same_registers(*session.get_regs(tid), *before)) << "thread " << tid;
    EXPECT_EQ(other_regs(session, child.pid(), tid), others) << "another thread moved";
    for (pid_t other : tids) {
      EXPECT_EQ(session.thread(other)->state, ptk::ThreadState::Stopped) << "thread " << other;
    }
  }
  ASSERT_TRUE(session.detach(child.pid()).ok());
  ASSERT_TRUE(child.send("z"));
  child.close_stdin();
  out += child.rest();
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  // The workers check every step against the main thread's checksums: any register or FP state
  // ptk failed to restore in one of them ends the run with "thread N disagrees".
  PipedChild plain({path, std::to_string(kWorkers)});
  ASSERT_TRUE(plain.send("xyz"));
  plain.close_stdin();
  EXPECT_EQ(out, plain.rest());
  EXPECT_EQ(describe_status(plain.wait()), "exited with 0");
}

// kill(getpid(), SIGUSR1) from a worker: the other threads are in ptrace-stops, so the signal
// can only be taken by the injected thread, which holds it back until the restore.
TEST_P(InjectThreadsTest, ProcessSignalDuringInjectionIsDeliveredAfter) {
  PipedChild child({tracee_path("inject_blocked", bits()), "threads", "3"});
  ASSERT_EQ(child.line(), "ready");
  // Every thread in its read: a thread just made still blocks all signals (glibc's
  // pthread_create), and a signal it blocks is not its to take.
  auto all = ptk::list_tasks(child.pid());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  for (pid_t tid : *all) wait_blocked_in(tid, arch(), {"read"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  std::vector<pid_t> tids = session.process(child.pid())->tids;
  ASSERT_EQ(tids.size(), 4u);
  pid_t worker = tids.back() != child.pid() ? tids.back() : tids.front();
  {
    auto remote = RemoteSyscalls::open(session, worker);
    ASSERT_TRUE(remote.ok());
    ASSERT_TRUE(remote->syscall("kill", {static_cast<std::uint64_t>(child.pid()), SIGUSR1}).ok());
    auto got = remote->syscall("gettid", {});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, worker);
    EXPECT_EQ(remote->held_signal_count(), 1u);
  }
  ASSERT_TRUE(session.detach(child.pid()).ok());
  EXPECT_EQ(child.line(), "got SIGUSR1");
  ASSERT_TRUE(child.send("q"));
  EXPECT_EQ(child.line(), "read 1: q");
  child.close_stdin();
  EXPECT_EQ(child.line(), "eof");
  EXPECT_EQ(child.line(), "joined 3");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

// At a PTRACE_EVENT_CLONE stop the thread is still inside clone3/clone: leaving the stop, the
// kernel stores the new thread's id in rax over anything run there, so the program would see
// its clone fail and make a second thread. The scope refuses such a thread.
TEST_P(InjectThreadsTest, AThreadStoppedInsideACloneIsRefused) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid = session.spawn({.argv = {tracee_path("thread_pool", bits()), "1", "1"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());  // from its first instruction
  auto clone =
      wait_until(session, [](const ptk::Event& e) { return e.kind == ptk::EventKind::Clone; });
  ASSERT_TRUE(clone);
  auto remote = RemoteSyscalls::open(session, clone->tid);
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error().kind(), ptk::ErrorKind::Unsupported);
  EXPECT_TRUE(contains(remote.error().message(), "inside a syscall")) << remote.error().message();
  ASSERT_TRUE(session.resume(*clone).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, ptk::EventKind::Exited) << describe(events);
  EXPECT_EQ(events.back().exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectThreadsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
