// `ptk break` across a process's life: a `lib:symbol` location waits for the dlopen that brings
// its library, goes out before a dlclose and comes back with the next dlopen; with --pending a
// location waits for an execve, and -f sets them in children, before and after their execve.
#include <fmt/format.h>

#include "break_util.h"

namespace ptk_test {
namespace {

class BreakFollowTest : public ptk_test::BitsTest {
 protected:
  std::string tracee(const char* name) const { return tracee_path(name, GetParam()); }
};

TEST_P(BreakFollowTest, LibraryLocationWaitsForTheDlopen) {
  // break_calls dlopens libm in main, after the entry point where breakpoints are set.
  CommandResult r = run_command({PTK_CLI, "break", "--count", "libm:cbrt", "break_by_symbol", "--",
                                 tracee("break_calls"), "4"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.err, "ptk break: libm:cbrt: pending until a library or program defines it\n");
  EXPECT_EQ(break_count(r.out, "libm:cbrt"), 4) << r.out;
  EXPECT_EQ(break_count(r.out, "break_by_symbol"), 4) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 42")) << r.out;
}

TEST_P(BreakFollowTest, DlcloseTakesTheBreakpointOutAndDlopenPutsItBack) {
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "libm:cbrt", "--", tracee("break_dlclose")});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "libm:cbrt"), 2) << r.out;
  EXPECT_TRUE(contains(r.out, "cubes 4")) << r.out;
}

TEST_P(BreakFollowTest, PendingLocationIsSetInTheProgramAnExecveBrings) {
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "--pending", "break_by_symbol", "--", "/bin/sh",
                   "-c", fmt::format("exec {} 3 </dev/null", tracee("break_calls"))});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "break_by_symbol"), 3) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 21")) << r.out;
}

TEST_P(BreakFollowTest, FollowedChildHitsWhatItInherited) {
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "-f", "fork_target", "--", tracee("break_fork")});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "fork_target"), 3 + 2) << r.out;
  EXPECT_TRUE(contains(r.out, "child ok, parent ok")) << r.out;
}

TEST_P(BreakFollowTest, UnfollowedChildRunsFreeAndUnharmed) {
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "fork_target", "--", tracee("break_fork")});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "fork_target"), 2) << r.out;
  EXPECT_TRUE(contains(r.out, "child ok, parent ok")) << r.out;
}

TEST_P(BreakFollowTest, FollowedChildrenGetTheLocationsAfterTheirExecve) {
  // The shell forks for the first command (and maybe the second); each child execs
  // break_calls, where the pending location is set at its entry point.
  std::string prog = tracee("break_calls");
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "-f", "--pending", "break_by_symbol", "--",
                   "/bin/sh", "-c", fmt::format("{0} 2 </dev/null; {0} 3 </dev/null", prog)});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "break_by_symbol"), 2 + 3) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 7\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 21\n")) << r.out;
}

TEST_P(BreakFollowTest, WithoutFollowChildrenRunFree) {
  std::string prog = tracee("break_calls");
  CommandResult r =
      run_command({PTK_CLI, "break", "--count", "--pending", "break_by_symbol", "--", "/bin/sh",
                   "-c", fmt::format("{0} 2 </dev/null; {0} 3 </dev/null; exit 0", prog)});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(break_count(r.out, "break_by_symbol"), 0) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 7\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "sum 21\n")) << r.out;
}

TEST_P(BreakFollowTest, UnknownSymbolWithoutPendingStillFails) {
  CommandResult r =
      run_command({PTK_CLI, "break", "break_by_symbl", "--", tracee("break_calls"), "1"});
  EXPECT_EQ(describe_status(r.status), "exited with 1") << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(contains(r.err, "break_by_symbol")) << r.err;  // the close match
}

INSTANTIATE_TEST_SUITE_P(Abi, BreakFollowTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
