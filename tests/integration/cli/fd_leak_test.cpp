// No descriptor of ptk's own reaches the command it starts: every subcommand that spawns one is
// run with each option that makes ptk open a file or a pipe before it does (-o, -ff -o, -o |CMD,
// --perfetto), on a tracee that lists its descriptors. The command gets stdin, stdout and stderr,
// as the test gives them, and nothing else.
#include "test_util.h"

namespace ptk_test {
namespace {

class FdLeakTest : public BitsTest {
 protected:
  std::string lister() const { return tracee_path("list_fds", GetParam()); }

  // Runs `ptk SUBCOMMAND OPTIONS -- list_fds` and checks the list it printed (followed by
  // what ptk itself prints on stdout, `after`).
  void expect_only_stdio(const std::string& subcommand, const std::vector<std::string>& options,
                         std::string_view after = "") {
    std::vector<std::string> argv = {PTK_CLI, subcommand};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--");
    argv.push_back(lister());
    CommandResult r = run_command(argv);
    ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
        << fmt::format("{}", fmt::join(argv, " ")) << ": " << describe_status(r.status) << "\n"
        << r.err;
    EXPECT_EQ(r.out, fmt::format("0\n1\n2\n{}", after)) << fmt::format("{}", fmt::join(argv, " "));
  }
};

TEST_P(FdLeakTest, Trace) {
  TempFile out("fdleak-trace");
  expect_only_stdio("trace", {"-o", out.path()});
  expect_only_stdio("trace", {"-o", out.path(), "--json"});
  expect_only_stdio("trace", {"-o", "|cat >/dev/null"});
  expect_only_stdio("trace", {"-o", out.path(), "-k"});  // stack traces: libdw opens files
  expect_only_stdio("trace", {"-o", out.path(), "--perfetto", out.path() + ".json"});
  ::unlink((out.path() + ".json").c_str());
}

TEST_P(FdLeakTest, TracePerThreadFiles) {
  TempFile out("fdleak-ff");
  expect_only_stdio("trace", {"-ff", "-o", out.path()});
  // -ff names each file after the thread: remove whatever was made.
  (void)std::system(fmt::format("rm -f '{}'.*", out.path()).c_str());
}

TEST_P(FdLeakTest, Calls) {
  TempFile out("fdleak-calls");
  expect_only_stdio("calls", {"-o", out.path()});
  expect_only_stdio("calls", {"-o", out.path(), "--json"});
}

TEST_P(FdLeakTest, Step) {
  TempFile out("fdleak-step");
  // A few instructions stepped, then the command runs on to print its list.
  expect_only_stdio("step", {"--max", "10", "-o", out.path()});
}

TEST_P(FdLeakTest, Break) { expect_only_stdio("break", {"main", "--count"}, "main 1\n"); }

INSTANTIATE_TEST_SUITE_P(Bits, FdLeakTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
