// One diagnosis for a process that cannot be attached, in every subcommand that attaches: a
// zombie (it has exited; its parent, this test, has not reaped it) is called a zombie, not a
// permission problem, and a pid that does not exist is named. One line, nonzero exit, nothing
// on stdout.
#include <fmt/format.h>
#include <sys/wait.h>

#include "inject/inject_util.h"

namespace ptk_test {
namespace {

// Each subcommand that takes a running process, with `PID` where its id goes.
const std::vector<std::vector<std::string>> kAttachingCommands = {
    {"trace", "-p", "PID"},
    {"trace", "-p", "PID", "--rewrite", "write -> deny=EIO"},
    {"inject", "-p", "PID", "--syscall", "getpid()"},
    {"call", "-p", "PID", "getpid()"},
    {"break", "main", "-p", "PID"},
    {"step", "-p", "PID"},
    {"calls", "-p", "PID"},
    {"regs", "PID"},
    {"bt", "PID"},
    {"maps", "PID"},
    {"mem", "PID", "read", "0x1000", "4"},
};

CommandResult run_on(const std::vector<std::string>& command, pid_t pid) {
  std::vector<std::string> argv = {PTK_CLI};
  for (const std::string& a : command) argv.push_back(a == "PID" ? std::to_string(pid) : a);
  return run_command(argv);
}

class AttachRefusalsTest : public BitsTest {};

TEST_P(AttachRefusalsTest, AZombieIsCalledAZombieByEverySubcommand) {
  Child zombie({tracee_path("exit_with", GetParam()), "exit", "3"});
  // Until it has exited, without reaping it (WNOWAIT): it stays a zombie for the whole test.
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(zombie.pid()), &info, WEXITED | WNOWAIT), 0);
  ASSERT_EQ(proc_state(zombie.pid()), 'Z');
  std::string says = fmt::format(
      "process {} (exit_with_{}) is a zombie: it has exited, and its "
      "parent (pid {}) has not reaped it yet",
      zombie.pid(), GetParam(), ::getpid());
  for (const auto& command : kAttachingCommands) {
    CommandResult r = run_on(command, zombie.pid());
    EXPECT_TRUE(one_line_error(r, fmt::format("ptk {}: ", command[0]), says)) << command[0];
    EXPECT_TRUE(r.err.find("security module") == std::string::npos) << r.err;
  }
  EXPECT_EQ(describe_status(zombie.wait()), "exited with 3");
}

TEST_P(AttachRefusalsTest, APidWithoutAProcessIsNamedByEverySubcommand) {
  // Above the largest pid_max (2^22): no process ever has it.
  constexpr pid_t kNoSuchPid = 99999999;
  for (const auto& command : kAttachingCommands) {
    CommandResult r = run_on(command, kNoSuchPid);
    EXPECT_TRUE(one_line_error(r, fmt::format("ptk {}: ", command[0]),
                               fmt::format("no process with pid {}", kNoSuchPid)))
        << command[0];
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, AttachRefusalsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
