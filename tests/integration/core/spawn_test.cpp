// Session::spawn: the child stops at its first instruction after exec, runs to its end under
// the tracer, and ends exactly as it ends untraced (exit codes, fatal signals).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>

#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

class SpawnTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return ptk_test::arch_of_bits(bits()); }
  std::string exit_with() const { return tracee_path("exit_with", bits()); }

  // Runs argv traced (no syscall stops) to its end; returns how the tracee ended.
  std::string run_traced(const std::vector<std::string>& argv, std::vector<ptk::Event>* events) {
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
    auto pid = session.spawn({.argv = argv});
    if (!pid.ok()) return "spawn failed: " + pid.error().message();
    if (auto s = session.resume(*pid); !s.ok()) return "resume failed: " + s.error().message();
    *events = run_to_end(session);
    return how_ended(*events, *pid);
  }
};

TEST_P(SpawnTest, ExitCodeZero) {
  std::vector<ptk::Event> events;
  EXPECT_EQ(run_traced({exit_with(), "exit", "0"}, &events), "exited with 0") << describe(events);
  EXPECT_EQ(describe_status(run_command({exit_with(), "exit", "0"}).status), "exited with 0");
}

TEST_P(SpawnTest, ExitCodeThree) {
  std::vector<ptk::Event> events;
  EXPECT_EQ(run_traced({exit_with(), "exit", "3"}, &events), "exited with 3") << describe(events);
  EXPECT_EQ(describe_status(run_command({exit_with(), "exit", "3"}).status), "exited with 3");
}

TEST_P(SpawnTest, KilledBySigtermIsReportedAndPassedOn) {
  std::vector<ptk::Event> events;
  std::vector<std::string> argv = {exit_with(), "signal", std::to_string(SIGTERM)};
  EXPECT_EQ(run_traced(argv, &events), "killed by SIGTERM") << describe(events);
  EXPECT_EQ(describe_status(run_command(argv).status), "killed by SIGTERM");
  // The signal was seen at its delivery, then passed on: exactly one delivery stop.
  auto sigterm = std::ranges::count_if(events, [](const ptk::Event& e) {
    return e.kind == EventKind::Signal && e.signal == SIGTERM;
  });
  EXPECT_EQ(sigterm, 1) << describe(events);
}

TEST_P(SpawnTest, KilledBySigkill) {
  std::vector<ptk::Event> events;
  std::vector<std::string> argv = {exit_with(), "signal", std::to_string(SIGKILL)};
  EXPECT_EQ(run_traced(argv, &events), "killed by SIGKILL") << describe(events);
  EXPECT_EQ(describe_status(run_command(argv).status), "killed by SIGKILL");
}

TEST_P(SpawnTest, StopsAtFirstInstructionOfTheNewProgram) {
  ptk::Session session;
  auto pid = session.spawn({.argv = {exit_with(), "exit", "0"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  const ptk::Thread* thread = session.thread(*pid);
  ASSERT_NE(thread, nullptr);
  EXPECT_EQ(thread->state, ptk::ThreadState::Stopped);
  ASSERT_NE(session.process(*pid), nullptr);
  EXPECT_TRUE(session.process(*pid)->spawned);
  EXPECT_EQ(ptk::read_proc_file(*pid, "comm").value_or(""),
            "exit_with_" + std::to_string(bits()) + "\n");

  auto regs = session.get_regs(*pid);
  ASSERT_TRUE(regs.ok()) << regs.error().message();
  EXPECT_EQ(regs->arch(), arch());
  // The first instruction is the entry of the program or of its dynamic loader: in an
  // executable mapping of the new address space.
  auto maps = ptk::read_maps(*pid);
  ASSERT_TRUE(maps.ok()) << maps.error().message();
  auto at_ip =
      std::ranges::find_if(*maps, [&](const ptk::MapEntry& m) { return m.contains(regs->ip()); });
  ASSERT_NE(at_ip, maps->end());
  EXPECT_TRUE(at_ip->exec);
  // Nothing of the new program ran yet: the first syscall stop is the exit of the execve
  // that started it (the kernel reports it after the exec event; orig_eax is the i386 execve
  // in a 32-bit program), then come the syscalls of the new program.
  ASSERT_TRUE(session.resume(*pid).ok());
  auto ev = session.wait();
  ASSERT_TRUE(ev.ok()) << ev.error().message();
  EXPECT_EQ(ev->kind, EventKind::SyscallExit) << describe(*ev);
  EXPECT_EQ(ev->syscall.arch, arch());
  EXPECT_EQ(ev->syscall.nr, ptk::find_syscall(arch(), "execve")->nr);
  EXPECT_EQ(ev->syscall.ret, 0);
  EXPECT_EQ(ev->syscall.ip, regs->ip());
  ASSERT_TRUE(session.resume(*ev).ok());
  ev = session.wait();
  ASSERT_TRUE(ev.ok()) << ev.error().message();
  EXPECT_EQ(ev->kind, EventKind::SyscallEntry) << describe(*ev);
  EXPECT_EQ(ev->syscall.arch, arch());
}

TEST_P(SpawnTest, StopBeforeExecReportsTheExecveEntryFirst) {
  ptk::Session session;
  auto pid = session.spawn({.argv = {exit_with(), "exit", "4"}, .stop_before_exec = true});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  auto first = session.wait();
  ASSERT_TRUE(first.ok()) << first.error().message();
  // The exec is made by the forked tracer child, a native 64-bit program: its execve.
  EXPECT_EQ(first->kind, EventKind::SyscallEntry) << describe(*first);
  EXPECT_EQ(first->syscall.arch, arch_of_bits(64));
  EXPECT_EQ(first->syscall.nr, SYS_execve);
  ASSERT_TRUE(session.resume(*first).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  auto exec =
      std::ranges::find_if(events, [](const ptk::Event& e) { return e.kind == EventKind::Exec; });
  ASSERT_NE(exec, events.end()) << describe(events);
  EXPECT_EQ(exec->tid, *pid);
  EXPECT_EQ(exec->old_tid, *pid);
  EXPECT_EQ(how_ended(events, *pid), "exited with 4") << describe(events);
}

TEST_P(SpawnTest, DestructorKillsSpawnedTracees) {
  Pipe in = make_pipe();
  pid_t pid = 0;
  {
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
    // The counter blocks reading stdin, whose write end the test holds: it never ends by itself.
    auto spawned =
        spawn_with_stdio(session, {tracee_path("counter_threads", bits()), "2"}, in.read_end.get());
    ASSERT_TRUE(spawned.ok()) << spawned.error().message();
    pid = *spawned;
    ASSERT_TRUE(session.resume_all().ok());
  }
  errno = 0;
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
  EXPECT_TRUE(has_no_children());
}

INSTANTIATE_TEST_SUITE_P(Bits, SpawnTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(SpawnPathTest, LooksTheCommandUpInPath) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid = session.spawn({.argv = {"true"}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
}

TEST(SpawnPathTest, PassesTheGivenEnvironment) {
  Pipe out = make_pipe();
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ptk::SpawnOptions options{.argv = {"/usr/bin/env"},
                            .env = std::vector<std::string>{"A=1", "B=two"}};
  int out_fd = out.write_end.get();
  options.child_setup = [out_fd] { ::dup2(out_fd, 1); };
  auto pid = session.spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
  EXPECT_EQ(read_all(out.read_end.get()), "A=1\nB=two\n");
}

}  // namespace
}  // namespace ptk_test
