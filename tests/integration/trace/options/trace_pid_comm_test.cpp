// `ptk trace -Y` (--decode-pids=comm): the pid of each line is followed by the thread's command
// name, as strace prints it, also on the line of a process that is gone (its name is kept).
#include <regex>
#include <string>

#include "test_util.h"

namespace ptk_test {
namespace {

TEST(TracePidComm, ThePidColumnNamesTheCommand) {
  char tmpl[] = "/tmp/ptk-pid-comm.XXXXXX";
  int fd = ::mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::string out = tmpl;
  CommandResult r = run_command(
      {PTK_CLI, "trace", "-f", "-Y", "-e", "trace=exit_group", "-o", out, "--", "/bin/true"});
  ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << describe_status(r.status) << r.err;
  std::vector<std::string> lines = read_lines(out);
  ::unlink(out.c_str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(\d+<true> exit_group\(0\) += \?)")))
      << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex(R"(\d+<true> \+\+\+ exited with 0 \+\+\+)")))
      << lines[1];
}

}  // namespace
}  // namespace ptk_test
