// Processes `ptk trace` meets but does not trace, without -f: strace's lines about them on
// stderr, hidden by -q (attach) and -qq (exit).
#include <cstdlib>
#include <string>

#include "test_util.h"

namespace ptk_test {
namespace {

CommandResult trace(std::vector<std::string> options, const std::string& tracee) {
  std::vector<std::string> argv = {PTK_CLI, "trace", "-e", "trace=none"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.insert(argv.end(), {"--", tracee_path(tracee, 64)});
  return run_command(argv);
}

TEST(TraceStrangers, TheEndOfAClonedParentsChildIsIgnoredAndSaidSo) {
  // The CLONE_PARENT child is a child of ptk's tracer: its end comes to the tracer's waitpid.
  CommandResult r = trace({}, "clone_parent");
  ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << describe_status(r.status) << r.err;
  int child = std::atoi(r.out.c_str());
  ASSERT_GT(child, 0) << r.out;
  EXPECT_TRUE(contains(r.err, fmt::format("Exit of unknown pid {} ignored\n", child))) << r.err;
  // -q hides attach messages only; -qq the exits too.
  r = trace({"-q"}, "clone_parent");
  EXPECT_TRUE(contains(r.err, "Exit of unknown pid")) << r.err;
  r = trace({"-qq"}, "clone_parent");
  EXPECT_FALSE(contains(r.err, "Exit of unknown pid")) << r.err;
}

TEST(TraceStrangers, AnUnaskedTraceeIsDetachedAndSaidSo) {
  // The CLONE_PTRACE child is traced by ptk without asking; without -f it is let go.
  CommandResult r = trace({}, "clone_ptrace");
  ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << describe_status(r.status) << r.err;
  EXPECT_TRUE(contains(r.err, "Detached unknown pid ")) << r.err;
  r = trace({"-q"}, "clone_ptrace");
  EXPECT_FALSE(contains(r.err, "Detached unknown pid")) << r.err;
}

}  // namespace
}  // namespace ptk_test
