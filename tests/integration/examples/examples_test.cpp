// The article's examples 1-3 (examples/*.cpp) on 64-bit and 32-bit children: what they print,
// and that the child's own output is unchanged by them.
#include <fmt/format.h>

#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

class ExamplesTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }

  // ex2/ex3 on hello_writes: the child's stdout is untouched, and the tracer's stderr has one
  // line per write entry and exit, as the article's examples print them.
  void expect_write_lines(const std::string& example) {
    CommandResult r = run_command({example_path(example), tracee_path("hello_writes", bits())});
    EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
    EXPECT_EQ(r.out, "hello, ptrace\nsecond line!\n");
    static const std::regex kExpected(
        "Write called with 1, 0x[0-9a-f]+, 14\n"
        "Write returned with 14\n"
        "Write called with 1, 0x[0-9a-f]+, 13\n"
        "Write returned with 13\n");
    EXPECT_TRUE(std::regex_match(r.err, kExpected)) << r.err;
  }
};

TEST_P(ExamplesTest, Ex1PrintsTheFirstSyscallOfTheChild) {
  CommandResult r =
      run_command({example_path("ex1_first_syscall"), tracee_path("nostd_article_child", bits())});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  // execve: 59 on x86_64, 11 on i386, 221 on aarch64. The child then runs `ls /`, whose output
  // follows.
#if defined(__aarch64__)
  const int execve_nr = 221;
#else
  const int execve_nr = bits() == 64 ? 59 : 11;
#endif
  std::string expected = fmt::format("The child made a system call {}\n", execve_nr);
  EXPECT_EQ(r.out.substr(0, expected.size()), expected) << r.out;
  EXPECT_EQ(r.out.find("The child made a system call", expected.size()), std::string::npos);
  EXPECT_TRUE(contains(r.out, "\nproc\n")) << "ls / ran";
}

TEST_P(ExamplesTest, Ex2PrintsWriteArgumentsAndReturnValues) {
  expect_write_lines("ex2_write_args");
}

TEST_P(ExamplesTest, Ex3PrintsTheSameFromWholeRegisterReads) {
  expect_write_lines("ex3_all_registers");
}

INSTANTIATE_TEST_SUITE_P(Bits, ExamplesTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(ExamplesUsageTest, WithoutAProgramTheyPrintUsage) {
  for (const char* example : {"ex1_first_syscall", "ex2_write_args", "ex3_all_registers"}) {
    CommandResult r = run_command({example_path(example)});
    EXPECT_EQ(describe_status(r.status), "exited with 2") << example;
    EXPECT_TRUE(contains(r.err, "usage:")) << example;
  }
}

TEST(ExamplesUsageTest, AMissingProgramIsReported) {
  CommandResult r = run_command({example_path("ex2_write_args"), "/nonexistent/program"});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  EXPECT_TRUE(contains(r.err, "/nonexistent/program")) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace ptk_test
