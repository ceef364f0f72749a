// `ptk step` runs the stepped thread on ptk's CPU between its syscalls (debug/cpu_pin.h); the
// program must never see it: what step_affinity reads of its own CPU affinity, and its own
// changes to it, are the same stepped and untraced. On a machine with one CPU the pin changes
// nothing and the test shows nothing; on two or more, a visible pin reads as one CPU at "start".
#include "test_util.h"

namespace ptk_test {
namespace {

class StepAffinityTest : public ptk_test::BitsTest {
 protected:
  std::string program() const { return tracee_path("step_affinity", GetParam()); }
};

TEST_P(StepAffinityTest, TheSteppedProgramSeesItsOwnAffinity) {
  CommandResult plain = run_command({program()});
  ASSERT_EQ(describe_status(plain.status), "exited with 0") << plain.err;
  ASSERT_TRUE(plain.out.starts_with("start: cpus ")) << plain.out;

  CommandResult stepped =
      run_command({PTK_CLI, "step", "--count", "--from", "main", "--", program()});
  EXPECT_EQ(describe_status(stepped.status), "exited with 0") << stepped.err;
  // The program's lines, then ptk's count.
  ASSERT_TRUE(stepped.out.starts_with(plain.out)) << stepped.out;
  std::string count = stepped.out.substr(plain.out.size());
  EXPECT_TRUE(!count.empty() && count.back() == '\n' && std::stoull(count) > 1000) << count;
}

TEST_P(StepAffinityTest, WithoutThePinTheSameLines) {
  CommandResult plain = run_command({program()});
  CommandResult stepped =
      run_command({PTK_CLI, "step", "--no-same-cpu", "--count", "--from", "main", "--", program()});
  EXPECT_EQ(describe_status(stepped.status), "exited with 0") << stepped.err;
  EXPECT_TRUE(stepped.out.starts_with(plain.out)) << stepped.out;
}

INSTANTIATE_TEST_SUITE_P(Bits, StepAffinityTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
