// Detach safety: ptk break holds breakpoints and a watchpoint in an attached, multi-threaded
// process computing a checksum, and is told to stop (SIGINT, SIGTERM, SIGHUP) mid-run: every
// breakpoint and the watchpoint must go, and the process must finish with the right sum.
#include <fmt/format.h>
#include <signal.h>

#include "break_util.h"

namespace ptk_test {
namespace {

class BreakDetachTest : public BitsTest {};

// 25 trials per ABI, 50 in all.
TEST_P(BreakDetachTest, KilledPtkLeavesTheChecksumIntactIn25Trials) {
  PTK_REQUIRE_HOST(ptk::HostCapability::DebugRegisterTraps);
  constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  int bits = GetParam();
  for (int trial = 0; trial < 25; ++trial) {
    int sig = kSignals[trial % 3];
    SCOPED_TRACE(fmt::format("trial {} ({}-bit, signal {})", trial, bits, sig));
    PipedTracee tracee({tracee_path("break_checksum", bits), "3000"});
    ASSERT_EQ(tracee.ready_line(), "ready");
    BackgroundPtk ptk(
        {"break", "checksum_step", "--watch", "watched:4:w", "-p", std::to_string(tracee.pid())});
    ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
    ASSERT_TRUE(tracee.go());
    // Mid-run: a few hits in, thousands to go.
    ASSERT_TRUE(ptk.wait_out("hit 3 ")) << ptk.rest_of_err();
    ptk.kill(sig);
    EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << ptk.rest_of_err();
    EXPECT_TRUE(contains(ptk.rest_of_err(), "detached"));
    std::string out = tracee.rest_of_output();
    EXPECT_TRUE(contains(out, " ok")) << out;
    ASSERT_EQ(describe_status(tracee.wait()), "exited with 0") << out;
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, BreakDetachTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
