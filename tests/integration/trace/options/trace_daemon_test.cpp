// `ptk trace -D` (strace's --daemonize): the command runs in the process that was started, so
// it is the caller's child, and the tracer is a grandchild nobody waits for.
#include <fmt/format.h>

#include <cstdlib>
#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

// The number after "Name:" in a /proc/PID/status text, or -1.
int status_field(const std::string& status, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(status, m, std::regex(name + R"(:\s*(\d+))"))) return -1;
  return std::atoi(m[1].str().c_str());
}

TEST(TraceDaemonize, TheCommandIsTheCallersChildTracedByAnother) {
  for (const char* d : {"-D", "-DD", "-DDD"}) {
    CommandResult r = run_command(
        {PTK_CLI, "trace", d, "-e", "trace=none", "--", "/bin/cat", "/proc/self/status"});
    ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
        << d << " " << describe_status(r.status) << r.err;
    int parent = status_field(r.out, "PPid");
    int tracer = status_field(r.out, "TracerPid");
    EXPECT_EQ(parent, ::getpid()) << d << "\n" << r.out;
    EXPECT_GT(tracer, 0) << d << "\n" << r.out;
    EXPECT_NE(tracer, parent) << d;
    // Traced all the same, to its end.
    EXPECT_TRUE(contains(r.err, "+++ exited with 0 +++")) << d << "\n" << r.err;
  }
}

TEST(TraceDaemonize, TheExitStatusIsTheCommandsOwn) {
  CommandResult r = run_command({PTK_CLI, "trace", "-D", "-e", "trace=exit_group", "--",
                                 tracee_path("exit_with", 64), "exit", "3"});
  ASSERT_TRUE(WIFEXITED(r.status)) << describe_status(r.status) << r.err;
  EXPECT_EQ(WEXITSTATUS(r.status), 3);
  EXPECT_TRUE(contains(r.err, "exit_group(3)")) << r.err;
  EXPECT_TRUE(contains(r.err, "+++ exited with 3 +++")) << r.err;
}

}  // namespace
}  // namespace ptk_test
