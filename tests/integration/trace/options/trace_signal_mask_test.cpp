// The command ptk trace starts has the signal mask ptk was started with, as under strace (whose
// suite checks it for every signal: sigblock.test), not the empty one of ptk's launcher.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

// SigBlk of a /proc/PID/status text, or 0.
unsigned long long blocked_mask(const std::string& status) {
  std::smatch m;
  if (!std::regex_search(status, m, std::regex(R"(SigBlk:\s*([0-9a-f]+))"))) return 0;
  return std::strtoull(m[1].str().c_str(), nullptr, 16);
}

TEST(TraceSignalMask, TheCommandInheritsTheBlockedSignals) {
  sigset_t usr2, before;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &usr2, &before), 0);
  // run_command's child inherits this thread's mask, and ptk after it.
  CommandResult r =
      run_command({PTK_CLI, "trace", "-e", "trace=none", "--", "/bin/cat", "/proc/self/status"});
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << describe_status(r.status) << r.err;
  EXPECT_NE(blocked_mask(r.out) & (1ull << (SIGUSR2 - 1)), 0u) << r.out;
  EXPECT_EQ(blocked_mask(r.out) & (1ull << (SIGUSR1 - 1)), 0u) << r.out;
}

}  // namespace
}  // namespace ptk_test
