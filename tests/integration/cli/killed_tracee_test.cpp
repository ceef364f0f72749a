// A tracee SIGKILLed while ptk acts on it -- stepping it, at a breakpoint hit, tracing its
// syscalls or library calls, running injected code -- reads as what happened ("process N
// (prog) was killed by SIGKILL", strace's "+++ killed by SIGKILL +++"), with the status a
// shell shows for it (137), every time: never a failed ptrace request, a missing mapping or
// a vanished thread. kill_target keeps two threads busy in a breakpoint target and a libc
// call; it says "ready PID" once running, and the test kills it at that point, wherever ptk
// is in its work, 20 times per subcommand and ABI.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "debug/break_util.h"
#include "inject/inject_util.h"

namespace ptk_test {
namespace {

constexpr int kTrials = 20;

class KilledTraceeTest : public BitsTest {
 protected:
  std::string program() const { return tracee_path("kill_target", GetParam()); }
  std::string killed_line(std::string_view cmd, pid_t pid) const {
    return fmt::format("ptk {}: process {} (kill_target_{}) was killed by SIGKILL\n", cmd, pid,
                       GetParam());
  }

  // Runs `args` + "--" + kill_target under ptk, kills the tracee once it runs, and returns ptk's
  // wait status; `err` gets ptk's stderr and `pid` the tracee's.
  int kill_spawned(const std::vector<std::string>& args, std::string& err, pid_t& pid) {
    std::vector<std::string> argv = args;
    argv.push_back("--");
    argv.push_back(program());
    BackgroundPtk ptk(argv);
    std::optional<std::string> ready = ptk.wait_out("ready ");
    EXPECT_TRUE(ready) << ptk.rest_of_err();
    if (!ready) return -1;
    pid = std::atoi(ready->c_str() + 6);
    ::kill(pid, SIGKILL);
    int status = ptk.wait();
    err = ptk.rest_of_err();
    return status;
  }

  static pid_t only_child(pid_t parent) {
    auto children = ptk::read_proc_file(parent, fmt::format("task/{}/children", parent));
    return children.ok() && !children->empty() ? std::atoi(children->c_str()) : 0;
  }

  // The same, killing the program as soon as it has been executed: while ptk runs it to its
  // entry point and sets its breakpoints.
  int kill_at_start(const std::vector<std::string>& args, std::string& err, pid_t& pid) {
    std::vector<std::string> argv = args;
    argv.push_back("--");
    argv.push_back(program());
    BackgroundPtk ptk(argv);
    // The program, once it runs (it passes through ptk's own code first): a child of the
    // tracer, which is ptk's one child (ptk/core/tracer_child.h).
    pid = 0;
    for (;;) {
      pid_t tracer = only_child(ptk.pid());
      pid = tracer > 0 ? only_child(tracer) : 0;
      char exe[4096] = {};
      if (pid > 0 &&
          ::readlink(fmt::format("/proc/{}/exe", pid).c_str(), exe, sizeof exe - 1) > 0 &&
          program() == exe) {
        break;
      }
      ::sched_yield();
    }
    ::kill(pid, SIGKILL);
    int status = ptk.wait();
    err = ptk.rest_of_err();
    return status;
  }

  // The same for `args` + "-p PID" on a kill_target started untraced, killed once ptk says it
  // attached.
  int kill_attached(const std::vector<std::string>& args, std::string& err, pid_t& pid) {
    PipedTracee tracee({program()});
    EXPECT_TRUE(tracee.ready_line().starts_with("ready ")) << tracee.ready_line();
    pid = tracee.pid();
    std::vector<std::string> argv = args;
    argv.push_back("-p");
    argv.push_back(std::to_string(pid));
    BackgroundPtk ptk(argv);
    std::optional<std::string> attached = ptk.wait_err("attached");
    EXPECT_TRUE(attached) << ptk.rest_of_err();
    ::kill(pid, SIGKILL);
    int status = ptk.wait();
    err = ptk.rest_of_err();
    EXPECT_EQ(describe_status(tracee.wait()), "killed by SIGKILL");
    return status;
  }

  // kTrials runs of `args`, the program started by ptk or attached to, and killed: each time
  // ptk says so in one line and exits 137.
  enum class Target { Spawned, Attached };
  void expect_said_and_137(Target target, const std::vector<std::string>& args) {
    for (int trial = 0; trial < kTrials; ++trial) {
      SCOPED_TRACE(fmt::format("trial {}", trial));
      std::string err;
      pid_t pid = 0;
      int status =
          target == Target::Spawned ? kill_spawned(args, err, pid) : kill_attached(args, err, pid);
      EXPECT_EQ(describe_status(status), "exited with 137") << err;
      EXPECT_EQ(err, killed_line(args.front(), pid));
    }
  }
};

TEST_P(KilledTraceeTest, StepSaysTheProgramWasKilledAndExits137) {
  expect_said_and_137(Target::Spawned, {"step", "--count", "--from", "kill_step"});
}

TEST_P(KilledTraceeTest, StepOfAnAttachedProcessSaysItWasKilledAndExits137) {
  expect_said_and_137(Target::Attached, {"step", "--count"});
}

TEST_P(KilledTraceeTest, BreakSaysTheProgramWasKilledAndExits137) {
  expect_said_and_137(Target::Spawned, {"break", "--count", "kill_step"});
}

TEST_P(KilledTraceeTest, BreakOnAnAttachedProcessSaysItWasKilledAndExits137) {
  expect_said_and_137(Target::Attached, {"break", "--count", "kill_step"});
}

TEST_P(KilledTraceeTest, CallsEndsWithKilledBySigkillAndExits137) {
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    TempFile out("killed-calls");
    std::string err;
    pid_t pid = 0;
    int status = kill_spawned({"calls", "-o", out.path()}, err, pid);
    EXPECT_EQ(describe_status(status), "exited with 137") << err;
    EXPECT_EQ(err, "");
    std::vector<std::string> lines = read_lines(out.path());
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back(), fmt::format("[pid {}] +++ killed by SIGKILL +++", pid));
  }
}

TEST_P(KilledTraceeTest, CallsOnAnAttachedProcessEndsWithKilledBySigkillAndExits137) {
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    TempFile out("killed-calls");
    std::string err;
    pid_t pid = 0;
    int status = kill_attached({"calls", "-o", out.path()}, err, pid);
    EXPECT_EQ(describe_status(status), "exited with 137") << err;
    EXPECT_EQ(err, "");
    std::vector<std::string> lines = read_lines(out.path());
    ASSERT_FALSE(lines.empty());
    // "[pid N] " only once a second thread was seen calling.
    EXPECT_TRUE(lines.back() == "+++ killed by SIGKILL +++" ||
                lines.back() == fmt::format("[pid {}] +++ killed by SIGKILL +++", pid))
        << lines.back();
  }
}

// Killed while ptk starts it: on the way to its entry point, or as the breakpoints go in.
TEST_P(KilledTraceeTest, KilledAtItsStartTheProgramIsReportedAsKilled) {
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    std::string err;
    pid_t pid = 0;
    int status = kill_at_start({"break", "--count", "kill_step"}, err, pid);
    EXPECT_EQ(describe_status(status), "exited with 137") << err;
    EXPECT_EQ(err, killed_line("break", pid));
    status = kill_at_start({"step", "--count", "--from", "kill_step"}, err, pid);
    EXPECT_EQ(describe_status(status), "exited with 137") << err;
    EXPECT_EQ(err, killed_line("step", pid));
    TempFile out("killed-calls");
    status = kill_at_start({"calls", "-o", out.path()}, err, pid);
    EXPECT_EQ(describe_status(status), "exited with 137") << err;
    EXPECT_EQ(err, "");
    std::vector<std::string> lines = read_lines(out.path());
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(lines.back() == "+++ killed by SIGKILL +++" ||
                lines.back() == fmt::format("[pid {}] +++ killed by SIGKILL +++", pid))
        << lines.back();
  }
}

// As strace: the trace ends with the kill, and ptk dies of the same signal (137 in a shell).
TEST_P(KilledTraceeTest, TraceEndsWithKilledBySigkillAndDiesOfIt) {
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    TempFile out("killed-trace");
    std::string err;
    pid_t pid = 0;
    int status = kill_spawned({"trace", "-f", "-o", out.path()}, err, pid);
    EXPECT_EQ(describe_status(status), "killed by SIGKILL") << err;
    EXPECT_EQ(err, "");
    std::vector<std::string> lines = read_lines(out.path());
    ASSERT_FALSE(lines.empty());
    // "PID +++ killed by SIGKILL +++", the pid padded as strace pads it.
    std::string last = lines.back();
    std::string head = std::to_string(pid);
    EXPECT_TRUE(last.starts_with(head) && last.ends_with(" +++ killed by SIGKILL +++") &&
                last.find_first_not_of(' ', head.size()) == last.find('+'))
        << last;
  }
}

// An attached process killed during an injected syscall or call: one line saying so.
TEST_P(KilledTraceeTest, InjectAndCallSayTheProcessWasKilledDuringTheirWork) {
  struct Case {
    std::vector<std::string> args;
    std::string during;
  };
  // aarch64 has no pause syscall: glibc's pause() and the injected call block in ppoll.
  const ptk::Arch arch = arch_of_bits(GetParam());
  const bool has_pause = ptk::find_syscall(arch, "pause") != nullptr;
  const Case cases[] = {
      {{"inject", "--syscall", has_pause ? "pause()" : "ppoll(0, 0, 0, 0, 8)"},
       "during the injection"},
      {{"call", "pause()"}, "during the call"},
  };
  for (int trial = 0; trial < 5; ++trial) {
    for (const Case& c : cases) {
      SCOPED_TRACE(fmt::format("trial {}: ptk {}", trial, c.args[0]));
      PipedChild target({program(), "wait"});
      ASSERT_TRUE(target.line().value_or("EOF").starts_with("ready "));
      std::vector<std::string> argv = {c.args[0], "-p", std::to_string(target.pid())};
      argv.insert(argv.end(), c.args.begin() + 1, c.args.end());
      BackgroundPtk ptk(argv);
      // Blocked in the pause ptk made it run (the read it was in, restarted, comes after).
      wait_blocked_in(target.pid(), arch, {has_pause ? "pause" : "ppoll"});
      ::kill(target.pid(), SIGKILL);
      EXPECT_EQ(describe_status(ptk.wait()), "exited with 1");
      EXPECT_EQ(ptk.rest_of_err(),
                fmt::format("ptk {}: process {} (kill_target_{}) was killed by SIGKILL {}\n",
                            c.args[0], target.pid(), GetParam(), c.during));
      EXPECT_EQ(ptk.rest_of_out(), "");
      EXPECT_EQ(describe_status(target.wait()), "killed by SIGKILL");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, KilledTraceeTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
