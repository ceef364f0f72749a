// --decode-pids=pidns (and strace's older --pidns-translation): a tracee in a new pid
// namespace names processes by its namespace's pids; ptk adds each one's pid in its own
// namespace as strace 6.1 does, also when ptk itself runs as a namespace's init with the
// outer namespace's /proc (as strace's suite runs these tests).
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "test_util.h"
#include "trace/trace_compare_util.h"

namespace ptk_test {
namespace {

bool can_unshare_pidns() {
  CommandResult r = run_command({"/usr/bin/unshare", "-Urpf", "/bin/true"});
  return WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
}

// The kill lines, digits masked and the pid column's padding closed up: the pids differ from
// run to run, the shape must not.
std::vector<std::string> kill_lines(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const std::string& l : lines) {
    if (l.find("kill(") != std::string::npos)
      out.push_back(std::regex_replace(std::regex_replace(l, std::regex("[0-9]+"), "N"),
                                       std::regex(" +"), " "));
  }
  return out;
}

const std::vector<std::string> kProgram = {"/usr/bin/unshare", "-Urpf", "/bin/sh", "-c",
                                           "kill -0 $$"};

TEST(TracePidns, KillOfPidOneShowsOurPid) {
  if (!can_unshare_pidns()) GTEST_SKIP() << "unshare of a pid namespace is not permitted";
  std::vector<std::string> opts = {"-f", "--decode-pids=pidns", "-e", "trace=kill"};
  std::vector<std::string> ours = kill_lines(trace_lines(PTK_CLI, opts, kProgram));
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_EQ(ours[0], "N kill(N /* N in strace's PID NS */, N) = N");
  std::vector<std::string> raw = trace_lines(PTK_CLI, opts, kProgram);
  bool pid_one = false;
  for (const std::string& l : raw) pid_one |= l.find("kill(1 /* ") != std::string::npos;
  EXPECT_TRUE(pid_one);
  if (::access(kStraceBinary, X_OK) == 0) {
    EXPECT_EQ(ours, kill_lines(trace_lines(kStraceBinary, opts, kProgram)));
  }
}

TEST(TracePidns, OldOptionSpellingAndTracerAsNamespaceInit) {
  if (!can_unshare_pidns()) GTEST_SKIP() << "unshare of a pid namespace is not permitted";
  // ptk as pid 1 of a namespace, /proc still the outer one's: the tracer reaps the orphans it
  // inherits (or the inner namespace never ends) and finds tasks by /proc's pids.
  std::string out = fmt::format("/tmp/ptk-pidns-{}", ::getpid());
  std::vector<std::string> argv = {
      "/usr/bin/unshare",    "-Urpf", PTK_CLI,      "trace", "-o", out, "-f",
      "--pidns-translation", "-e",    "trace=kill", "--"};
  argv.insert(argv.end(), kProgram.begin(), kProgram.end());
  CommandResult r = run_command(argv);
  std::vector<std::string> lines = read_lines(out);
  ::unlink(out.c_str());
  ASSERT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) << describe_status(r.status);
  std::vector<std::string> kills = kill_lines(lines);
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0], "N kill(N /* N in strace's PID NS */, N) = N");
}

}  // namespace
}  // namespace ptk_test
