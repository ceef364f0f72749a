// What `ptk trace` leaves to the command it starts, as strace does: the signal mask and an
// ignored SIGCHLD it was started with (strace's sigblock.test, sigign.test), and none of its
// own hold on stdin and stdout (redirect.test: a pipe shared with the command must reach EOF
// when the command closes its end).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>

#include "test_util.h"

namespace ptk_test {
namespace {

// The hex mask of a /proc/PID/status line ("SigBlk:", "SigIgn:") in `status`.
unsigned long long status_mask(const std::string& status, const std::string& key) {
  std::size_t at = status.find(key);
  if (at == std::string::npos) return ~0ull;
  return std::stoull(status.substr(at + key.size()), nullptr, 16);
}

constexpr unsigned long long bit(int sig) { return 1ull << (sig - 1); }

TEST(TraceTransparency, TheCommandKeepsTheBlockedSignals) {
  sigset_t usr2, before;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &usr2, &before), 0);
  CommandResult r = run_command(
      {PTK_CLI, "trace", "-qq", "-e", "trace=none", "--", "/bin/cat", "/proc/self/status"});
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(status_mask(r.out, "SigBlk:"), bit(SIGUSR2)) << r.out;
}

TEST(TraceTransparency, AnIgnoredSigchldStaysIgnoredAndPtkStillSeesTheExit) {
  if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "python3 is not installed";
  // python3 execs ptk with SIGCHLD ignored (a shell's trap would not: dash resets it). ptk
  // must take the default itself, or the kernel reaps the command and its guard's wait fails,
  // and give the command the ignored SIGCHLD back.
  std::string exec_ptk = std::string("import os, signal; signal.signal(signal.SIGCHLD, ") +
                         "signal.SIG_IGN); os.execv('" + PTK_CLI + "', ['ptk', 'trace', '-qq', " +
                         "'-e', 'trace=none', '--', '/bin/grep', 'SigIgn', '/proc/self/status'])";
  CommandResult r = run_command({"/usr/bin/python3", "-c", exec_ptk});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_NE(status_mask(r.out, "SigIgn:") & bit(SIGCHLD), 0u) << r.out;
}

TEST(TraceTransparency, PtkHoldsNoStandardDescriptorOfTheCommand) {
  // The command looks at its parent (ptk's tracer) and grandparent (ptk's guard, the process
  // the user started): their stdin and stdout are /dev/null, not the pipe run_command made.
  const char* script =
      "p=$PPID; g=$(cut -d' ' -f4 /proc/$p/stat); "
      "for pid in $p $g; do readlink /proc/$pid/fd/0 /proc/$pid/fd/1; done";
  CommandResult r =
      run_command({PTK_CLI, "trace", "-qq", "-e", "trace=none", "--", "/bin/sh", "-c", script});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "/dev/null\n/dev/null\n/dev/null\n/dev/null\n");
}

}  // namespace
}  // namespace ptk_test
