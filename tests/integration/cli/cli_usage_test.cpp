// A bad command line, whichever subcommand and whichever check caught it (CLI11's own parser
// or validators, or ptk's), is one line on stderr and exit status 2; --help and --version 0.
#include "test_util.h"

namespace ptk_test {
namespace {

TEST(CliUsage, BadCommandLinesExitTwoWithOneLine) {
  const std::vector<std::vector<std::string>> cases = {
      {"--bogus"},
      {"calls", "-s", "-3", "--", "/bin/true"},              // a CLI11 range check
      {"break", "--args", "99", "main", "--", "/bin/true"},  // likewise
      {"step", "--spin-us", "x", "--", "/bin/true"},         // not a number
      {"calls"},                                             // ptk's own check
      {"break", "main"},
  };
  for (const auto& args : cases) {
    std::vector<std::string> argv = {PTK_CLI};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult r = run_command(argv);
    EXPECT_EQ(describe_status(r.status), "exited with 2") << args.front() << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("ptk")) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(CliUsage, HelpAndVersionExitZero) {
  for (const char* flag : {"--help", "--version"}) {
    CommandResult r = run_command({PTK_CLI, flag});
    EXPECT_EQ(describe_status(r.status), "exited with 0") << flag << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << flag;
  }
  CommandResult sub = run_command({PTK_CLI, "calls", "--help"});
  EXPECT_EQ(describe_status(sub.status), "exited with 0") << sub.err;
  EXPECT_TRUE(contains(sub.out, "-e")) << sub.out;
}

}  // namespace
}  // namespace ptk_test
