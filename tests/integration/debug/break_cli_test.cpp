// `ptk break`: every kind of location hits, in the program, in libc and in a dlopen-ed library;
// hits of 8 threads are all counted; bad locations leave nothing behind.
#include <fmt/format.h>

#include "break_util.h"

namespace ptk_test {
namespace {

class BreakCliTest : public ptk_test::BitsTest {};

TEST_P(BreakCliTest, EveryLocationKindHitsInASpawnedProgram) {
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "break_by_symbol", "break_calls.c:15",
                   "libc:getppid", "--", tracee_path("break_calls", GetParam()), "4"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "break_by_symbol"), 4) << r.out;
  EXPECT_EQ(break_count(r.out, "break_calls.c:15"), 4) << r.out;
  EXPECT_EQ(break_count(r.out, "libc:getppid"), 4) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 42")) << r.out;  // 7 * (0+1+2+3): see break_calls.c
}

TEST_P(BreakCliTest, HitLinesCarryArgumentsInOrder) {
  CommandResult r = run_command({PTK_CLI, "break", "break_by_symbol", "--args", "1", "--",
                                 tracee_path("break_calls", GetParam()), "3"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  for (int i = 1; i <= 3; ++i) {
    EXPECT_TRUE(contains(r.out, fmt::format("hit {} break_by_symbol at ", i))) << r.out;
    EXPECT_TRUE(contains(r.out, fmt::format("  args: {:#x}\n", i - 1))) << r.out;
  }
}

TEST_P(BreakCliTest, AttachedBreakpointsHitInADlopenedLibraryAndByAddress) {
  PipedTracee tracee({tracee_path("break_calls", GetParam()), "5"});
  ASSERT_TRUE(tracee.ready_line().starts_with("ready 0x")) << tracee.ready_line();
  std::string addr = tracee.ready_line().substr(6);
  BackgroundPtk ptk({"break", "--count", "break_by_symbol", "libm:cbrt", addr, "break_calls.c:15",
                     "libc:getppid", "-p", std::to_string(tracee.pid())});
  ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
  ASSERT_TRUE(tracee.go());
  std::string out = ptk.rest_of_out();
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << ptk.rest_of_err();
  for (const std::string& loc : {std::string("break_by_symbol"), std::string("libm:cbrt"), addr,
                                 std::string("break_calls.c:15"), std::string("libc:getppid")}) {
    EXPECT_EQ(break_count(out, loc), 5) << loc << "\n" << out;
  }
  EXPECT_TRUE(contains(tracee.rest_of_output(), "sum 70"));
  EXPECT_EQ(describe_status(tracee.wait()), "exited with 0");
}

TEST_P(BreakCliTest, EightThreadsCountEveryHitAndComputeRightly) {
  // thread_target is reached directly (a slot step-over) and through classic_target's jump
  // (whose first instruction takes the classic stop-every-thread path): 2N hits per thread, N
  // at classic.
  constexpr int kN = 150;
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "thread_target", "classic_target", "--",
                   tracee_path("break_threads", GetParam()), std::to_string(kN)});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err << r.out;
  EXPECT_EQ(break_count(r.out, "thread_target"), 8 * 2 * kN) << r.out;
  EXPECT_EQ(break_count(r.out, "classic_target"), 8 * kN) << r.out;
  EXPECT_TRUE(contains(r.out, fmt::format("total {}", 2 * kN * 36))) << r.out;
}

TEST_P(BreakCliTest, BadLocationsFailInOneLineAndLeaveNothingInserted) {
  PipedTracee tracee({tracee_path("break_calls", GetParam()), "3"});
  ASSERT_TRUE(tracee.ready_line().starts_with("ready")) << tracee.ready_line();
  std::string pid = std::to_string(tracee.pid());
  // A good location first: it must be taken out again when a later one fails.
  CommandResult unknown =
      run_command({PTK_CLI, "break", "break_by_symbol", "break_by_symbl", "-p", pid});
  EXPECT_NE(describe_status(unknown.status), "exited with 0");
  EXPECT_EQ(std::count(unknown.err.begin(), unknown.err.end(), '\n'), 1) << unknown.err;
  EXPECT_TRUE(contains(unknown.err, "break_by_symbol")) << unknown.err;  // the close match
  CommandResult data = run_command({PTK_CLI, "break", "break_by_addr", "sink", "-p", pid});
  EXPECT_NE(describe_status(data.status), "exited with 0");
  EXPECT_EQ(std::count(data.err.begin(), data.err.end(), '\n'), 1) << data.err;
  EXPECT_TRUE(contains(data.err, "not in an executable mapping")) << data.err;
  // A leftover int3 would kill it with SIGTRAP.
  ASSERT_TRUE(tracee.go());
  EXPECT_TRUE(contains(tracee.rest_of_output(), "sum 21"));
  EXPECT_EQ(describe_status(tracee.wait()), "exited with 0");
}

INSTANTIATE_TEST_SUITE_P(Abi, BreakCliTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
