// The article's examples 6 (attach, print ip and instruction, detach) and 7 (int3 at the ip,
// trap, restore, detach) on tests/tracees/attach_counter.c, 64 and 32-bit: the examples print
// what they did, and the tracee carries on to the result of a run nobody attached to.
#include <fmt/format.h>

#include <regex>

#include "inject/inject_util.h"
#include "test_util.h"

namespace ptk_test {
namespace {

class ExamplesAttachTest : public ptk_test::BitsTest {
 protected:
  std::string path() const { return tracee_path("attach_counter", GetParam()); }

  // The output of an untraced run fed the same bytes: what the traced one must print.
  std::string plain_run(std::string_view input) {
    PipedChild plain({path()});
    EXPECT_TRUE(plain.send(input));
    plain.close_stdin();
    std::string out = plain.rest();
    EXPECT_EQ(describe_status(plain.wait()), "exited with 0");
    return out;
  }
};

TEST_P(ExamplesAttachTest, Ex6PrintsTheIpAndInstructionAndDetaches) {
  PipedChild child({path()});
  std::string out = child.line().value_or("EOF") + "\n";
  ASSERT_TRUE(child.send("ab"));
  for (int i = 0; i < 2; ++i) out += child.line().value_or("EOF") + "\n";
  wait_blocked_in(child.pid(), arch_of_bits(GetParam()), {"read"});
  CommandResult r = run_command({example_path("ex6_attach_ip"), std::to_string(child.pid())});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  // "x86_64 ip 0x7f... <read+18>  48 3d 00 f0 ff ff  cmpq $-0x1000, %rax": an address, the
  // bytes and some instruction text.
  static const std::regex kLine(
      "attached to [0-9]+\n(x86_64|i386|aarch64) ip 0x[0-9a-f]+ <[^>]*>  ([0-9a-f]{2} ?)+  "
      "[a-z].*\n"
      "detached\n");
  EXPECT_TRUE(std::regex_match(r.out, kLine)) << r.out;
  const ptk::Arch arch = arch_of_bits(GetParam());
  EXPECT_TRUE(contains(r.out, fmt::format("{} ip", ptk::to_string(arch)))) << r.out;
  ASSERT_TRUE(child.send("cd"));
  child.close_stdin();
  out += child.rest();
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  EXPECT_EQ(out, plain_run("abcd"));
}

TEST_P(ExamplesAttachTest, Ex7TrapsAtTheIpRestoresAndDetaches) {
  PipedChild child({path()});
  std::string out = child.line().value_or("EOF") + "\n";
  ASSERT_TRUE(child.send("x"));
  out += child.line().value_or("EOF") + "\n";
  wait_blocked_in(child.pid(), arch_of_bits(GetParam()), {"read"});
  // ex7 runs beside the test: it reports its int3, then waits for the tracee to reach it,
  // which it does once its read returns.
  Pipe ex7_out = make_pipe();
  Child ex7({example_path("ex7_int3"), std::to_string(child.pid())}, -1, ex7_out.write_end.get());
  ex7_out.write_end.reset();
  auto first = read_line(ex7_out.read_end.get());
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(std::regex_match(*first, std::regex("attached to [0-9]+; int3 at 0x[0-9a-f]+")))
      << *first;
  std::string ip = first->substr(first->rfind(' ') + 1);
  ASSERT_TRUE(child.send("y"));
  std::string rest = read_all(ex7_out.read_end.get());
  EXPECT_EQ(describe_status(ex7.wait()), "exited with 0") << rest;
  EXPECT_TRUE(std::regex_match(
      rest, std::regex("thread [0-9]+ trapped; byte and ip " + ip + " restored\ndetached\n")))
      << rest;
  ASSERT_TRUE(child.send("z"));
  child.close_stdin();
  out += child.rest();
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  EXPECT_EQ(out, plain_run("xyz"));
}

INSTANTIATE_TEST_SUITE_P(Bits, ExamplesAttachTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(ExamplesAttachUsageTest, UsageAndAGonePid) {
  for (const char* example : {"ex6_attach_ip", "ex7_int3"}) {
    CommandResult usage = run_command({example_path(example)});
    EXPECT_EQ(describe_status(usage.status), "exited with 2") << example;
    EXPECT_TRUE(contains(usage.err, "usage:")) << example;
    pid_t gone = 0;
    {
      Child c({"/bin/true"});
      gone = c.pid();
      c.wait();
    }
    CommandResult r = run_command({example_path(example), std::to_string(gone)});
    EXPECT_EQ(describe_status(r.status), "exited with 1") << example;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace ptk_test
