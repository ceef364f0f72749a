// `ptk trace -f` when a thread that is not the leader calls execve: strace's lines for it. The
// leader dies (in a syscall, or already a zombie) without an exit report, the exec'ing thread
// takes its tid, and strace says so: "<pid changed to L ...>", "+++ superseded by execve in pid
// T +++", then "<... execve resumed>) = 0" under the leader's tid.
#include <fmt/format.h>

#include <cstdlib>
#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

class TempFile {
 public:
  TempFile() {
    char tmpl[] = "/tmp/ptk-exec-thread.XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd >= 0) ::close(fd);
    path_ = tmpl;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The trace's lines (-o FILE with -f: each starts with the tid) of `exec_thread_leader MODE`
// running hello_writes.
std::vector<std::string> trace_exec(int bits, std::string_view mode, std::string_view trace,
                                    std::vector<std::string> extra = {}) {
  TempFile out;
  std::vector<std::string> argv = {PTK_CLI, "trace", "-f", "-e", std::string(trace)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"-o", out.path(), "--", tracee_path("exec_thread_leader", bits),
                           std::string(mode), tracee_path("hello_writes", bits)});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << describe_status(r.status) << r.err;
  return read_lines(out.path());
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return all;
}

// The index of the first line matching `re` at or after `from`, or -1.
int find_line(const std::vector<std::string>& lines, const std::regex& re, int from = 0) {
  for (int i = from; i < static_cast<int>(lines.size()); ++i) {
    if (std::regex_search(lines[static_cast<std::size_t>(i)], re)) return i;
  }
  return -1;
}

class TraceExecThread : public ptk_test::BitsTest {};

TEST_P(TraceExecThread, LeaderKilledInASyscallEndsItsLineThenIsSuperseded) {
  std::vector<std::string> lines = trace_exec(GetParam(), "read", "trace=read,execve");
  std::string all = joined(lines);
  // "L +++ superseded by execve in pid T +++", L being the process (the first line's pid).
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      all, m, std::regex(R"((\d+) +\+\+\+ superseded by execve in pid (\d+) \+\+\+)")))
      << all;
  std::string leader = m[1];
  std::string thread = m[2];
  EXPECT_NE(leader, thread);
  int superseded = find_line(lines, std::regex("superseded by execve"));
  // The leader's read never returned: its line ends with "= ?" before the superseded line.
  int read_end =
      find_line(lines, std::regex("^" + leader + R"( +(<\.\.\. read resumed>|read\().*\) += \?$)"));
  EXPECT_GE(read_end, 0) << all;
  EXPECT_LT(read_end, superseded) << all;
  // The thread's execve: its line ends before the leader's "= ?", and its result comes under
  // the leader's tid right after the superseded line.
  int execve = find_line(lines, std::regex("^" + thread + R"( +execve\(.*<unfinished \.\.\.>$)"));
  EXPECT_GE(execve, 0) << all;
  EXPECT_LT(execve, read_end) << all;
  ASSERT_LT(superseded + 1, static_cast<int>(lines.size())) << all;
  EXPECT_TRUE(std::regex_search(lines[static_cast<std::size_t>(superseded + 1)],
                                std::regex("^" + leader + R"( +<\.\.\. execve resumed>\) += 0$)")))
      << all;
  // The leader's tid carries on and exits; the vanished leader has no "+++ exited" of its own.
  EXPECT_EQ(find_line(lines, std::regex("^" + thread + R"( +\+\+\+ exited)")), -1) << all;
  EXPECT_GE(
      find_line(lines, std::regex("^" + leader + R"( +\+\+\+ exited with 0 \+\+\+$)"), superseded),
      0)
      << all;
}

TEST_P(TraceExecThread, LeaderGoneBeforeTheExecLeavesThePidChangedNote) {
  std::vector<std::string> lines = trace_exec(GetParam(), "exit", "trace=exit,execve");
  std::string all = joined(lines);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      all, m, std::regex(R"((\d+) +\+\+\+ superseded by execve in pid (\d+) \+\+\+)")))
      << all;
  std::string leader = m[1];
  std::string thread = m[2];
  int superseded = find_line(lines, std::regex("superseded by execve"));
  // exit(0) of the leader: one line, ended at its exit stop.
  int exit_line = find_line(lines, std::regex("^" + leader + R"( +exit\(0\) += \?$)"));
  EXPECT_GE(exit_line, 0) << all;
  EXPECT_LT(exit_line, superseded) << all;
  // The execve's line is still open at the exec event: strace ends it with the new pid.
  EXPECT_EQ(find_line(lines, std::regex("^" + thread + R"( +execve\(.* <pid changed to )" + leader +
                                        R"( \.\.\.>$)")),
            superseded - 1)
      << all;
  ASSERT_LT(superseded + 1, static_cast<int>(lines.size())) << all;
  EXPECT_TRUE(std::regex_search(lines[static_cast<std::size_t>(superseded + 1)],
                                std::regex("^" + leader + R"( +<\.\.\. execve resumed>\) += 0$)")))
      << all;
}

TEST_P(TraceExecThread, QuietThreadExecveHidesOnlyTheSupersededLine) {
  for (const char* quiet : {"--quiet=thread-execve", "-qqq"}) {
    std::vector<std::string> lines = trace_exec(GetParam(), "exit", "trace=exit,execve", {quiet});
    std::string all = joined(lines);
    EXPECT_EQ(find_line(lines, std::regex("superseded")), -1) << quiet << "\n" << all;
    int changed = find_line(lines, std::regex(R"(execve\(.* <pid changed to \d+ \.\.\.>$)"));
    ASSERT_GE(changed, 0) << quiet << "\n" << all;
    ASSERT_LT(changed + 1, static_cast<int>(lines.size())) << all;
    EXPECT_TRUE(std::regex_search(lines[static_cast<std::size_t>(changed + 1)],
                                  std::regex(R"(^\d+ +<\.\.\. execve resumed>\) += 0$)")))
        << quiet << "\n"
        << all;
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceExecThread, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

}  // namespace
}  // namespace ptk_test
