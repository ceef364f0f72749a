// The eBPF backend's process events: forks followed (or not), exec from a non-leader thread,
// signals delivered and ignored, exits and kills.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cstring>
#include <set>
#include <string>

#include "bpf_test_util.h"

namespace ptk_bpf_test {
namespace {

using ptk::bpf::BackendOptions;

BackendOptions options_for(const std::vector<ptk_cap_plan>& plans, bool follow) {
  BackendOptions options;
  options.ring_bytes = std::size_t{16} << 20;
  options.follow_forks = follow;
  options.plans = plans;
  return options;
}

std::set<std::uint32_t> tids_of(const RunOutcome& run) {
  std::set<std::uint32_t> tids;
  for (const Record& r : run.records) {
    if (r.h.type != PTK_EV_LOST) tids.insert(r.h.tid);
  }
  return tids;
}

TEST(BpfProcess, ForkIsFollowedOnlyWithFollowForks) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto followed = trace_command({tracee("forker"), "fork"}, options_for(plans, true));
  auto forks = followed.of(PTK_EV_FORK);
  ASSERT_EQ(forks.size(), 1u);
  std::uint32_t child = forks[0]->fork.child_tid;
  EXPECT_EQ(forks[0]->h.tid, static_cast<std::uint32_t>(followed.pid));
  EXPECT_EQ(forks[0]->fork.child_pid, child);
  EXPECT_EQ(forks[0]->fork.flags, 0u);
  EXPECT_EQ(tids_of(followed),
            (std::set<std::uint32_t>{static_cast<std::uint32_t>(followed.pid), child}));
  bool child_exit = false;
  for (const Record* r : followed.of(PTK_EV_EXIT)) {
    if (r->h.tid == child) child_exit = r->exit.status == (5 << 8);
  }
  EXPECT_TRUE(child_exit) << "the child's exit with 5";
  ASSERT_TRUE(followed.result.status.has_value());
  EXPECT_EQ(*followed.result.status, 0);

  auto alone = trace_command({tracee("forker"), "fork"}, options_for(plans, false));
  EXPECT_TRUE(alone.of(PTK_EV_FORK).empty());
  EXPECT_EQ(tids_of(alone), (std::set<std::uint32_t>{static_cast<std::uint32_t>(alone.pid)}));
}

TEST(BpfProcess, ThreadsAreFollowedAsThreads) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("forker"), "thread"}, options_for(plans, true));
  auto forks = run.of(PTK_EV_FORK);
  ASSERT_EQ(forks.size(), 1u);
  EXPECT_EQ(forks[0]->fork.flags, static_cast<std::uint32_t>(PTK_FORK_THREAD));
  EXPECT_EQ(forks[0]->fork.child_pid, static_cast<std::uint32_t>(run.pid));
  // The thread's exit is not its process's end; the leader's is.
  for (const Record* r : run.of(PTK_EV_EXIT)) {
    bool leader = r->h.tid == static_cast<std::uint32_t>(run.pid);
    EXPECT_EQ(r->exit.flags, leader ? static_cast<std::uint32_t>(PTK_EXIT_GROUP_DEAD) : 0u);
  }
}

TEST(BpfProcess, IgnoredSigchldIsReportedAfterTheSyscallItInterrupted) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("forker"), "fork"}, options_for(plans, false));
  auto signals = run.of(PTK_EV_SIGNAL);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0]->sig.sig, SIGCHLD);
  siginfo_t info;
  std::memcpy(&info, signals[0]->sig.siginfo, sizeof info);
  EXPECT_EQ(info.si_signo, SIGCHLD);
  EXPECT_EQ(info.si_code, CLD_EXITED);
  EXPECT_EQ(info.si_status, 5);
  EXPECT_EQ(signals[0]->h.tid, static_cast<std::uint32_t>(run.pid));
  // It follows a syscall exit of the parent (wait4's or the one it returned to), never an entry
  // of the same syscall.
  std::size_t at = static_cast<std::size_t>(signals[0] - run.records.data());
  ASSERT_GT(at, 0u);
  const Record& before = run.records[at - 1];
  EXPECT_TRUE(before.h.type == PTK_EV_SYSCALL_EXIT || before.h.type == PTK_EV_FORK ||
              before.h.type == PTK_EV_SYSCALL_ENTRY)
      << before.h.type;
}

TEST(BpfProcess, HandledSignalIsReportedWithItsSiginfo) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("signal_calls")}, options_for(plans, false));
  auto signals = run.of(PTK_EV_SIGNAL);
  ASSERT_FALSE(signals.empty());
  const Record* usr1 = nullptr;
  for (const Record* r : signals) {
    if (r->sig.sig == SIGUSR1) {
      usr1 = r;
      break;
    }
  }
  ASSERT_NE(usr1, nullptr);
  siginfo_t info;
  std::memcpy(&info, usr1->sig.siginfo, sizeof info);
  EXPECT_EQ(info.si_signo, SIGUSR1);
  EXPECT_EQ(info.si_code, SI_USER);
  EXPECT_EQ(info.si_pid, run.pid);
}

TEST(BpfProcess, KilledBySignal) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("exit_with"), "signal", "15"}, options_for(plans, false));
  auto signals = run.of(PTK_EV_SIGNAL);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0]->sig.sig, SIGTERM);
  auto exits = run.of(PTK_EV_EXIT);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]->exit.status, SIGTERM);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*run.result.status) && WTERMSIG(*run.result.status) == SIGTERM);
  EXPECT_EQ(run.records.back().h.type, PTK_EV_EXIT);
}

TEST(BpfProcess, ExecFromANonLeaderThreadMovesItToTheLeadersTid) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("exec_thread"), tracee("exit_with"), "exit", "6"},
                           options_for(plans, true));
  auto execs = run.of(PTK_EV_EXEC);
  ASSERT_EQ(execs.size(), 2u);  // the command's and the thread's
  EXPECT_EQ(execs[0]->exec.old_tid, execs[0]->h.tid);
  execs.erase(execs.begin());
  std::uint32_t leader = static_cast<std::uint32_t>(run.pid);
  std::uint32_t thread = execs[0]->exec.old_tid;
  EXPECT_NE(thread, leader);
  EXPECT_EQ(execs[0]->h.tid, leader);
  // The thread's execve: entered as the thread, returned as the leader, 0.
  auto entries = run.of(PTK_EV_SYSCALL_ENTRY, kExecve);
  ASSERT_EQ(entries.size(), 2u);  // the command's and the thread's
  EXPECT_EQ(entries[1]->h.tid, thread);
  auto exits = run.of(PTK_EV_SYSCALL_EXIT, kExecve);
  ASSERT_EQ(exits.size(), 2u);
  EXPECT_EQ(exits[1]->h.tid, leader);
  EXPECT_EQ(exits[1]->sc.ret, 0);
  EXPECT_EQ(exits[1]->sc.args[0], entries[1]->sc.args[0]);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFEXITED(*run.result.status) && WEXITSTATUS(*run.result.status) == 6);
}

}  // namespace
}  // namespace ptk_bpf_test

namespace ptk_bpf_test {
namespace {

TEST(BpfProcess, TheCommandStartsWithNoSignalBlocked) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  sigset_t term;
  sigset_t old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ASSERT_EQ(::sigprocmask(SIG_BLOCK, &term, &old), 0);
  auto run = trace_command({tracee("exit_with"), "signal", "15"}, options_for(plans, false));
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*run.result.status) && WTERMSIG(*run.result.status) == SIGTERM);
}

}  // namespace
}  // namespace ptk_bpf_test

namespace ptk_bpf_test {
namespace {

TEST(BpfProcess, ASyscallASeccompFilterTrapsIsStillReported) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  constexpr long kGetppid = SYS_getppid;
  auto plans = test_plans();
  // signal_calls ends with a seccomp filter that makes getppid raise SIGSYS: the kernel skips
  // the syscall before its sys_enter tracepoint, but a ptrace tracer sees its entry.
  auto run = trace_command({tracee("signal_calls")}, options_for(plans, false));
  auto entries = run.of(PTK_EV_SYSCALL_ENTRY, kGetppid);
  auto exits = run.of(PTK_EV_SYSCALL_EXIT, kGetppid);
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_EQ(exits.size(), 1u);
  std::size_t at = static_cast<std::size_t>(exits[0] - run.records.data());
  ASSERT_LT(at + 1, run.records.size());
  EXPECT_EQ(run.records[at + 1].h.type, PTK_EV_SIGNAL);
  EXPECT_EQ(run.records[at + 1].sig.sig, SIGSYS);
}

}  // namespace
}  // namespace ptk_bpf_test
