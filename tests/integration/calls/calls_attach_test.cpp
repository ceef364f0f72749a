// `ptk calls` on processes: attached (-p) and let go by SIGINT with the process unharmed,
// forked children (-f, and left alone without it), and the one-line errors.
#include <fmt/format.h>

#include <regex>

#include "calls_util.h"
#include "debug/break_util.h"

namespace ptk_test {
namespace {

class CallsProcessTest : public ptk_test::BitsTest {};

TEST_P(CallsProcessTest, AttachTracesThenSigintDetachesAndTheProcessCarriesOn) {
  PipedTracee tracee({tracee_path("calls_blocked", GetParam())});
  ASSERT_EQ(tracee.ready_line(), "ready");
  BackgroundPtk ptk({"calls", "-p", std::to_string(tracee.pid())});
  ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
  ASSERT_TRUE(tracee.go());
  // The calls of round 1, seen as they happen: printf with strlen's result among its arguments.
  auto line = ptk.wait_err("printf(");
  ASSERT_TRUE(line) << ptk.rest_of_err();
  EXPECT_EQ(*line, "printf(\"round %d len %zu\\n\", 1, 8) = 14");
  ptk.kill(SIGINT);
  auto detached = ptk.wait_err("detached");
  ASSERT_TRUE(detached) << ptk.rest_of_err();
  EXPECT_EQ(*detached, fmt::format("ptk calls: Process {} detached", tracee.pid()));
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0");
  // No breakpoint left: an int3 would kill it with SIGTRAP.
  ASSERT_TRUE(tracee.go());
  ASSERT_TRUE(tracee.go());
  EXPECT_EQ(tracee.rest_of_output(), "round 1 len 8\nround 2 len 8\nround 3 len 8\ndone 3\n");
  EXPECT_EQ(describe_status(tracee.wait()), "exited with 0");
}

TEST_P(CallsProcessTest, FollowedForkTracesBothProcesses) {
  CommandResult r =
      run_command({PTK_CLI, "calls", "-f", "--", tracee_path("calls_fork", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("child (\\d+)\n"))) << r.out;
  std::string child = m[1];
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("parent (\\d+) status 7\n"))) << r.out;
  std::string parent = m[1];
  std::string trace = joined(join_unfinished(lines_of(r.err)));
  for (const std::string& want :
       {fmt::format("[pid {0}] <... fork resumed> = 0\n", child),
        fmt::format("[pid {0}] getpid() = {0}\n", child),
        fmt::format("[pid {0}] printf(\"child %d\\n\", {0}) = {1}\n", child, child.size() + 7),
        fmt::format("[pid {}] exit(7) <no return ...>\n", child),
        fmt::format("[pid {}] +++ exited (status 7) +++\n", child),
        fmt::format("[pid {0}] getpid() = {0}\n", parent),
        fmt::format("[pid {}] +++ exited (status 0) +++\n", parent)}) {
    EXPECT_TRUE(contains(trace, want)) << trace;
  }
  // The parent's return from fork, whole or resumed, names the child.
  EXPECT_TRUE(std::regex_search(r.err, std::regex("fork(\\(\\)| resumed>) = " + child + "\n")))
      << r.err;
}

TEST_P(CallsProcessTest, UnfollowedForkChildRunsUntraced) {
  CommandResult r = run_command({PTK_CLI, "calls", "--", tracee_path("calls_fork", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("child (\\d+)\n"))) << r.out;
  // It ran, ended with its own status, and none of its calls are in the trace.
  EXPECT_TRUE(contains(r.out, "status 7\n")) << r.out;
  EXPECT_FALSE(contains(r.err, "exit(7)")) << r.err;
  EXPECT_FALSE(contains(r.err, "resumed> = 0\n")) << r.err;
}

TEST_P(CallsProcessTest, UnknownLibraryOfAnAttachedProcessIsOneLineAndLeavesItAlone) {
  PipedTracee tracee({tracee_path("calls_blocked", GetParam())});
  ASSERT_EQ(tracee.ready_line(), "ready");
  std::string pid = std::to_string(tracee.pid());
  CommandResult r = run_command({PTK_CLI, "calls", "-l", "libnosuch", "-p", pid});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  // The loaded objects: the program first, then by address.
  EXPECT_TRUE(r.err.starts_with(fmt::format(
      "ptk calls: -l libnosuch: no such library in process {}; loaded: calls_blocked_{}, ", pid,
      GetParam())))
      << r.err;
  EXPECT_TRUE(contains(r.err, "libc.so.6")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tracee.go());
  EXPECT_EQ(tracee.rest_of_output(), "round 1 len 8\nround 2 len 8\nround 3 len 8\ndone 3\n");
  EXPECT_EQ(describe_status(tracee.wait()), "exited with 0");
}

TEST_P(CallsProcessTest, ExitStatusAndSignalArePassedOn) {
  CommandResult code =
      run_command({PTK_CLI, "calls", "--", tracee_path("exit_with", GetParam()), "exit", "3"});
  EXPECT_EQ(describe_status(code.status), "exited with 3");
  EXPECT_TRUE(code.err.ends_with("+++ exited (status 3) +++\n")) << code.err;
  CommandResult sig =
      run_command({PTK_CLI, "calls", "--", tracee_path("exit_with", GetParam()), "signal", "15"});
  EXPECT_EQ(describe_status(sig.status), "exited with 143");
  EXPECT_TRUE(sig.err.ends_with("+++ killed by SIGTERM +++\n")) << sig.err;
}

INSTANTIATE_TEST_SUITE_P(Calls, CallsProcessTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

TEST(CallsTestUtil, SplitCallsAreJoinedBack) {
  std::vector<std::string> in = {
      "[pid 2] getpid() <unfinished ...>", "[pid 1] waitpid(2, 0x10, 0x0) <unfinished ...>",
      "[pid 2] <... getpid resumed> = 2", "[pid 3] <... fork resumed> = 0",
      "[pid 1] <... waitpid resumed> = 2"};
  EXPECT_EQ(joined(join_unfinished(in)),
            "[pid 2] getpid() = 2\n[pid 1] waitpid(2, 0x10, 0x0) = 2\n"
            "[pid 3] <... fork resumed> = 0\n");
}

TEST(CallsErrors, BadCommandLinesAreOneLine) {
  struct Case {
    std::vector<std::string> args;
    std::string err;
    int code;
  };
  std::string prog = tracee_path("calls_znow", 64);
  for (const Case& c : std::vector<Case>{
           {{"-p", "4000000"},
            "ptk calls: attach 4000000: No such process; no process with pid 4000000\n",
            1},
           {{}, "ptk calls: give either -p PID or -- COMMAND ARGS... (see ptk calls --help)\n", 2},
           {{"-e", "[abc", "--", prog},
            "ptk calls: -e '[abc': bad glob: '[' without a closing ']'\n",
            2},
           {{"-e", "!", "--", prog}, "ptk calls: -e '!': bad glob: an empty pattern\n", 2},
           {{"-l", "libnosuch", "--", prog},
            "+++ exited (status 0) +++\n"
            "ptk calls: warning: -l libnosuch: the program loaded no such library\n",
            0},
       }) {
    std::vector<std::string> argv = {PTK_CLI, "calls"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    CommandResult r = run_command(argv);
    EXPECT_EQ(r.err, c.err);
    EXPECT_EQ(describe_status(r.status), fmt::format("exited with {}", c.code)) << r.err;
  }
}

}  // namespace
}  // namespace ptk_test
