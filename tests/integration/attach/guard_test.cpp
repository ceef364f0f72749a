// A kill -9 of ptk (the process the user started) leaves its targets whole: the tracer is
// that process's child, gets the parent-death signal, puts back what it changed and detaches
// (ptk/core/tracer_child.h). An attached target keeps working with its maps as before; a
// command ptk started runs on, untraced, to its own end.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "debug/break_util.h"
#include "inject/inject_util.h"

namespace ptk_test {
namespace {

// Until `pid` has no tracer; false if it ended meanwhile. The tracer child detaches on its own
// time once its parent is gone: nothing to wait for but the kernel's word (the watchdog ends
// a test that would wait forever).
bool wait_untraced(pid_t pid) {
  for (;;) {
    auto status = ptk::read_proc_file(pid, "status");
    if (!status.ok()) return false;
    if (status->find("\nTracerPid:\t0\n") != std::string::npos) return true;
    ::sched_yield();
  }
}

class GuardTest : public BlockedReaderTest {
 protected:
  // `args` -p PID, killed with SIGKILL once attached and at work (the tracee's write ran
  // through ptk's breakpoint or rule), then the target checked.
  void kill_nine_trial(const std::vector<std::string>& args) {
    const pid_t pid = child_->pid();
    wait_blocked_in(pid, arch_of_bits(GetParam()), {"read"});
    const std::string before = ptk::read_proc_file(pid, "maps").value_or("?");
    std::vector<std::string> argv = args;
    argv.push_back("-p");
    argv.push_back(std::to_string(pid));
    BackgroundPtk ptk(argv);
    ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
    ASSERT_TRUE(child_->send("ok"));
    ASSERT_EQ(child_->line(), "read 2: ok");
    wait_blocked_in(pid, arch_of_bits(GetParam()), {"read"});
    ptk.kill(SIGKILL);
    EXPECT_EQ(describe_status(ptk.wait()), "killed by SIGKILL");
    ASSERT_TRUE(wait_untraced(pid)) << "the target ended";
    EXPECT_EQ(maps_diff(before, ptk::read_proc_file(pid, "maps").value_or("gone")), "")
        << "after kill -9 of ptk " << args[0];
  }
};

TEST_P(GuardTest, KillNineOfBreakLeavesNoInt3AndNoScratchPage) {
  kill_nine_trial({"break", "write"});
  expect_unharmed();  // a left int3 would kill it with SIGTRAP at its next write
}

TEST_P(GuardTest, KillNineOfCallsLeavesNoInt3AndNoScratchPage) {
  kill_nine_trial({"calls"});
  expect_unharmed();
}

TEST_P(GuardTest, KillNineOfTraceWithARewriteRuleGivesItsMemoryBack) {
  kill_nine_trial(
      {"trace", "-o", "/dev/null", "--rewrite", R"(write if fd=1 -> buf=replace("ok","ok"))"});
  expect_unharmed();
}

// Without -o, a stop signal would be passed on to the command (as strace does); the death of
// the process the user started is not one: the command is detached and finishes.
TEST(GuardSpawned, KillNineOfTraceLetsTheCommandRunOnUntraced) {
  TempFile fifo("guard-fifo");
  ASSERT_EQ(::mkfifo(fifo.path().c_str(), 0600), 0);
  BackgroundPtk ptk({"trace", "-e", "trace=none", "--", "/bin/sh", "-c",
                     "echo started; read x < " + fifo.path() + "; echo finished $x"});
  ASSERT_TRUE(ptk.wait_out("started")) << ptk.rest_of_err();
  ptk.kill(SIGKILL);
  EXPECT_EQ(describe_status(ptk.wait()), "killed by SIGKILL");
  // O_RDWR: the open does not wait for the reader, and cannot hang if the command is gone.
  int fd = ::open(fifo.path().c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "go\n", 3), 3);
  // The command's stdout is ptk's: EOF there (nullopt) means it ended without a word.
  EXPECT_EQ(ptk.wait_out("finished").value_or("(the command was killed)"), "finished go");
  ::close(fd);
}

INSTANTIATE_TEST_SUITE_P(Abi, GuardTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
