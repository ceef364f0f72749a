// ptk trace --break LOCATION [--bt]: syscalls, breakpoints and tampering in one run of one
// command line (the engine's parts together). getpid_exit exits with what getpid returned, so
// an injected result shows in the exit status; the breakpoint on main hits before that call.
#include <string>
#include <vector>

#include "test_util.h"

namespace ptk_test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::size_t find_line(const std::vector<std::string>& lines, std::string_view head) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with(head)) return i;
  }
  return lines.size();
}

class TraceBreakTest : public BitsTest {};

TEST_P(TraceBreakTest, SyscallsABreakpointAndATamperRuleInOneRun) {
  std::string prog = tracee_path("getpid_exit", GetParam());
  auto r = run_command({PTK_CLI, "trace", "-e", "trace=getpid", "-e", "inject=getpid:retval=42",
                        "--break", "main", "--bt", "--", prog});
  EXPECT_EQ(describe_status(r.status), "exited with 42") << r.err;
  auto lines = lines_of(r.err);
  std::size_t hit = find_line(lines, "--- breakpoint main #1 at 0x");
  std::size_t call = find_line(lines, "getpid()");
  ASSERT_LT(hit, lines.size()) << r.err;
  ASSERT_LT(call, lines.size()) << r.err;
  EXPECT_LT(hit, call) << r.err;
  EXPECT_NE(lines[hit].find("<main+0>"), std::string::npos) << lines[hit];
  // --bt: the stack under the hit, main's frame first, as -k prints a syscall's.
  ASSERT_LT(hit + 1, lines.size());
  EXPECT_TRUE(lines[hit + 1].starts_with(" > ")) << r.err;
  EXPECT_NE(lines[hit + 1].find("(main+0x0)"), std::string::npos) << r.err;
  EXPECT_NE(lines[call].find("= 42 (INJECTED)"), std::string::npos) << lines[call];
  EXPECT_EQ(find_line(lines, "--- breakpoint main #2"), lines.size()) << r.err;
  EXPECT_EQ(lines.back(), "+++ exited with 42 +++");
}

TEST(TraceBreak, FollowsForksAndExecsWithF) {
  // The shell's own write, then /usr/bin/echo's in a child that exec'd: one location, two
  // programs, each hit once, the second under its pid.
  auto r = run_command({PTK_CLI, "trace", "-f", "-qq", "-e", "trace=none", "--break", "write", "--",
                        "/bin/sh", "-c", "echo a; /bin/echo b"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "a\nb\n");
  auto lines = lines_of(r.err);
  std::size_t first = find_line(lines, "--- breakpoint write #1 at 0x");
  ASSERT_LT(first, lines.size()) << r.err;
  std::size_t second = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with("[pid ") &&
        lines[i].find("--- breakpoint write #2 at 0x") != std::string::npos) {
      second = i;
    }
  }
  EXPECT_LT(second, lines.size()) << r.err;
  EXPECT_EQ(r.err.find("#3"), std::string::npos) << r.err;
}

TEST(TraceBreak, ALocationNoProgramDefinesIsSaidAtTheEnd) {
  auto r = run_command({PTK_CLI, "trace", "-e", "trace=none", "--break", "no_such_function_here",
                        "--", tracee_path("getpid_exit", 64)});
  EXPECT_TRUE(WIFEXITED(r.status)) << r.err;
  EXPECT_NE(r.err.find("ptk trace: warning: --break no_such_function_here: no traced program "
                       "defined it\n"),
            std::string::npos)
      << r.err;
}

TEST(TraceBreak, OptionsThatCannotGoTogetherAreUsageErrors) {
  auto bt = run_command({PTK_CLI, "trace", "--bt", "--", "/bin/true"});
  EXPECT_EQ(describe_status(bt.status), "exited with 2");
  EXPECT_EQ(bt.err, "ptk trace: --bt needs --break\n");
  auto json = run_command({PTK_CLI, "trace", "--json", "--break", "main", "--", "/bin/true"});
  EXPECT_EQ(describe_status(json.status), "exited with 2");
  EXPECT_EQ(json.err,
            "ptk trace: --break shows its hits in the text trace: not with --json or -c\n");
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceBreakTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
