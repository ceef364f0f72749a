// Nothing left behind: after ptk lets an attached process go -- at SIGINT, SIGTERM or SIGHUP,
// or at its normal end -- /proc/PID/maps is exactly as before the attach. Each subcommand that
// changes a target (break and calls map scratch pages for their breakpoints, trace with a
// rewrite rule borrows memory, step pins CPUs, inject and call run code) is run against
// inject_blocked parked in read(2), made to work while attached, and parked again.
#include <fmt/format.h>
#include <signal.h>

#include <string>
#include <vector>

#include "debug/break_util.h"
#include "inject/inject_code.h"
#include "inject/inject_util.h"
#include "ptk/core/wait_status.h"

namespace ptk_test {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

class DetachMapsTest : public BlockedReaderTest {
 protected:
  std::string maps() { return ptk::read_proc_file(child_->pid(), "maps").value_or("gone"); }
  void park() { wait_blocked_in(child_->pid(), arch_of_bits(GetParam()), {"read"}); }

  // One trial of a subcommand that runs until a stop signal: attach, one line of work through
  // the tracee (the breakpoints hit, the rule fires), the stop signal, then the maps compared.
  void stop_trial(const std::vector<std::string>& args, int sig, std::string_view echo) {
    park();
    std::string before = maps();
    std::vector<std::string> argv = args;
    argv.push_back("-p");
    argv.push_back(std::to_string(child_->pid()));
    BackgroundPtk ptk(argv);
    ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
    ASSERT_TRUE(child_->send("ok"));
    ASSERT_EQ(child_->line(), echo);
    park();
    ptk.kill(sig);
    // trace ends as strace does after -p, of the signal; the others exit 0.
    EXPECT_EQ(describe_status(ptk.wait()),
              args[0] == "trace" ? "killed by " + ptk::signal_name(sig) : "exited with 0")
        << ptk.rest_of_err();
    EXPECT_EQ(maps_diff(before, maps()), "") << "after " << args[0] << " and signal " << sig;
  }

  // One run of a subcommand that ends by itself.
  void run_trial(const std::vector<std::string>& args) {
    park();
    std::string before = maps();
    std::vector<std::string> argv = {PTK_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult r = run_command(argv);
    EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
    EXPECT_EQ(maps_diff(before, maps()), "") << "after " << args[0];
  }

  std::string pid() const { return std::to_string(child_->pid()); }
};

// 10 rounds of the three stop signals: 30 trials per subcommand and ABI.
TEST_P(DetachMapsTest, BreakAtAStopSignalUnmapsItsScratchPages) {
  for (int round = 0; round < 30; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    stop_trial({"break", "write"}, kStopSignals[round % 3], "read 2: ok");
  }
  expect_unharmed();
}

TEST_P(DetachMapsTest, CallsAtAStopSignalUnmapsItsScratchPages) {
  for (int round = 0; round < 30; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    stop_trial({"calls"}, kStopSignals[round % 3], "read 2: ok");
  }
  expect_unharmed();
}

TEST_P(DetachMapsTest, StepAtAStopSignalLeavesTheMapsAsTheyWere) {
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    stop_trial({"step", "--count"}, kStopSignals[round % 3], "read 2: ok");
  }
  expect_unharmed();
}

TEST_P(DetachMapsTest, TraceWithARewriteRuleAtAStopSignalGivesItsMemoryBack) {
  for (int round = 0; round < 30; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    stop_trial(
        {"trace", "-o", "/dev/null", "--rewrite", R"(write if fd=1 -> buf=replace("ok","OK"))"},
        kStopSignals[round % 3], "read 2: OK");
  }
  expect_unharmed();
}

TEST_P(DetachMapsTest, StepToItsLimitDetachesWithTheMapsAsTheyWere) {
  for (int round = 0; round < 10; ++round) {
    park();
    std::string before = maps();
    BackgroundPtk ptk({"step", "--count", "--max", "200", "-p", pid()});
    ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
    ASSERT_TRUE(child_->send("ok"));
    EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << ptk.rest_of_err();
    ASSERT_EQ(child_->line(), "read 2: ok");
    park();
    EXPECT_EQ(maps_diff(before, maps()), "");
  }
  expect_unharmed();
}

TEST_P(DetachMapsTest, InjectAndCallLeaveTheMapsAsTheyWere) {
  for (int round = 0; round < 5; ++round) {
    run_trial({"inject", "-p", pid(), "--syscall", "getpid()"});
    run_trial({"inject", "-p", pid(), "--syscall", R"(write(1, "", 0))"});
    // Machine code in a fresh mapping: getpid, then a breakpoint instruction.
    run_trial({"inject", "-p", pid(), "--hex", getpid_hex(GetParam())});
    run_trial({"call", "-p", pid(), "getpid()"});
    run_trial({"call", "-p", pid(), R"(strlen("abc"))"});
  }
  expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Abi, DetachMapsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
