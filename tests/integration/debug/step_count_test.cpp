// Single-stepping with a known instruction count: the article's example 5 (examples/
// ex5_step_after_write) and `ptk step` on nostd_count_loop, whose code after its write is
// exactly kCountLoopSteps instructions (see tests/tracees/nostd_count_loop.c), for both ABIs.
#include <regex>

#include "ptk/debug/stepper.h"
#include "test_util.h"

namespace ptk_test {
namespace {

// 1 (mov $1000, %ecx) + 3 * 1000 (add, dec, jnz) + 3 (mov, xor, exit syscall).
constexpr std::uint64_t kCountLoopSteps = 1 + 3 * 1000 + 3;
// Before the write returns: the instructions that load its arguments (four on x86, five on
// aarch64: its address takes adrp and add), and the syscall.
#if defined(__aarch64__)
constexpr std::uint64_t kStepsBeforeWrite = 6;
// The first instruction of the loop and the exit, as the example prints them.
constexpr const char* kLoopStart[] = {"<count_loop+0>  01 7d 80 52", "movz w1, #0x3e8"};
constexpr const char* kExitAt = "<exit_now+8>";
#else
constexpr std::uint64_t kStepsBeforeWrite = 5;
constexpr const char* kLoopStart[] = {"<count_loop+0>  b9 e8 03 00 00", "movl $0x3e8, %ecx"};
constexpr const char* kExitAt = "<exit_now+7>";
#endif

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

class StepCountTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  std::string program() const { return tracee_path("nostd_count_loop", bits()); }
  std::string exit_insn() const {
    if (ptk_test::arch_of_bits(bits()) == ptk::Arch::Aarch64) return "svc #0";
    return bits() == 64 ? "syscall" : "int $0x80";
  }
};

TEST_P(StepCountTest, ExampleFiveStepsFromTheWriteToTheExit) {
  CommandResult r = run_command({example_path("ex5_step_after_write"), program()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> lines = split_lines(r.out);
  // The program's own line, one line per instruction, then the count.
  ASSERT_EQ(lines.size(), kCountLoopSteps + 2) << r.out.substr(0, 400);
  EXPECT_EQ(lines.front(), "counting 3004 steps...");
  EXPECT_EQ(lines.back(), fmt::format("{} instructions", kCountLoopSteps));
  for (const char* part : kLoopStart) EXPECT_TRUE(contains(lines[1], part)) << lines[1];
  const std::string& last = lines[lines.size() - 2];
  EXPECT_TRUE(contains(last, kExitAt)) << last;
  EXPECT_TRUE(contains(last, exit_insn())) << last;
}

TEST_P(StepCountTest, CliCountsFromTheWritesExit) {
  CommandResult r =
      run_command({PTK_CLI, "step", "--count", "--from-syscall", "write", "--", program()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0], "counting 3004 steps...");
  EXPECT_EQ(lines[1], std::to_string(kCountLoopSteps));
}

TEST_P(StepCountTest, CliCountsTheSameWithoutThePin) {
  CommandResult r = run_command(
      {PTK_CLI, "step", "--no-same-cpu", "--count", "--from", "count_loop", "--", program()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_TRUE(r.out.ends_with(fmt::format("\n{}\n", kCountLoopSteps))) << r.out;
}

TEST_P(StepCountTest, CliCountsFromASymbolAndFromTheStart) {
  CommandResult from_exit =
      run_command({PTK_CLI, "step", "--count", "--from", "exit_now", "--", program()});
  EXPECT_EQ(describe_status(from_exit.status), "exited with 0") << from_exit.err;
  EXPECT_TRUE(from_exit.out.ends_with("\n3\n")) << from_exit.out;  // mov, xor, exit syscall
  CommandResult all = run_command({PTK_CLI, "step", "--count", "--", program()});
  EXPECT_EQ(describe_status(all.status), "exited with 0") << all.err;
  EXPECT_TRUE(all.out.ends_with(fmt::format("\n{}\n", kStepsBeforeWrite + kCountLoopSteps)))
      << all.out;
}

TEST_P(StepCountTest, CliLineFormatAndMaxLetTheCommandFinish) {
  CommandResult r = run_command({PTK_CLI, "step", "--max", "4", "--from", "count_loop", "-o",
                                 "/dev/stdout", "--", program()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> lines = split_lines(r.out);
  // Four instruction lines (the program's line comes before the start), and after --max the
  // command runs on to its end.
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0], "counting 3004 steps...");
  static const std::regex kLine(
      R"(0x[0-9a-f]+ <count_loop\+(\d+)> +([0-9a-f]{2} )*[0-9a-f]{2} +[a-z.]+ .*)");
#if defined(__aarch64__)
  // Every A64 instruction is 4 bytes; capstone has one syntax for them, so --intel changes
  // nothing.
  std::vector<std::string> offsets = {"0", "4", "8", "12"};
  const std::string first = "  01 7d 80 52           movz w1, #0x3e8";
  const std::string intel_first = "movz w1, #0x3e8";
  const std::string bytes[2] = {"01 7d", "42 00"}, mnemonics[2] = {"movz", "add"};
#else
  // dec %ecx is ff c9 in 64-bit mode, 49 in 32-bit mode (where 48-4f are inc/dec).
  std::vector<std::string> offsets = {"0", "5", "7", bits() == 64 ? "9" : "8"};
  const std::string first = "  b9 e8 03 00 00        movl $0x3e8, %ecx";
  const std::string intel_first = "mov ecx, 0x3e8";
  const std::string bytes[2] = {"b9 e8", "01 ca"}, mnemonics[2] = {"movl", "addl"};
#endif
  for (int i = 0; i < 4; ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i + 1], m, kLine)) << lines[i + 1];
    EXPECT_EQ(m[1], offsets[i]) << lines[i + 1];
  }
  EXPECT_TRUE(contains(lines[1], first)) << lines[1];
  // The byte and instruction columns line up.
  EXPECT_EQ(lines[1].find(bytes[0]), lines[2].find(bytes[1]));
  EXPECT_EQ(lines[1].find(mnemonics[0]), lines[2].find(mnemonics[1]));

  CommandResult intel = run_command(
      {PTK_CLI, "step", "--intel", "--max", "1", "--from", "count_loop", "--", program()});
  EXPECT_TRUE(contains(intel.out, intel_first)) << intel.out;
}

TEST_P(StepCountTest, LibraryStepperCountsEveryInstruction) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid = session.spawn({.argv = {program()}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ptk::debug::Stepper stepper(session);
  std::uint64_t observed = 0;
  auto outcome = stepper.step(*pid, {}, [&](const ptk::Registers&) {
    ++observed;
    return true;
  });
  ASSERT_TRUE(outcome.ok()) << outcome.error().message();
  EXPECT_EQ(outcome->end, ptk::debug::StepEnd::Exited);
  EXPECT_EQ(outcome->last.exit_code, 0);
  EXPECT_EQ(outcome->steps, kStepsBeforeWrite + kCountLoopSteps);
  EXPECT_EQ(observed, outcome->steps) << "one observation per instruction";
}

INSTANTIATE_TEST_SUITE_P(Bits, StepCountTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

class StepSignalTest : public ptk_test::BitsTest {};

TEST_P(StepSignalTest, SignalsArePassedOnAndTheirHandlerIsStepped) {
  std::string program = tracee_path("step_signal", GetParam());
  CommandResult r =
      run_command({PTK_CLI, "step", "--profile", "--count", "--from", "main", "--", program});
  // The program exits 0 only if its handler ran.
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_TRUE(contains(r.out, fmt::format("handler (step_signal_{})", GetParam()))) << r.out;
  EXPECT_TRUE(contains(r.out, fmt::format("main (step_signal_{})", GetParam()))) << r.out;
  static const std::regex kCountLast(R"([\s\S]*\n[1-9][0-9]*\n)");
  EXPECT_TRUE(std::regex_match(r.out, kCountLast)) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Bits, StepSignalTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(StepCliTest, LibraryLocationsResolveOnceTheLibrariesAreMapped) {
  // libc is not mapped yet when a dynamic program starts (its dynamic linker maps it).
  std::string program = tracee_path("hello_writes", 64);
  CommandResult r =
      run_command({PTK_CLI, "step", "--max", "3", "--from", "libc:write", "--", program});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_TRUE(contains(lines[0], "<write+0>")) << lines[0];
  EXPECT_EQ(lines[3], "hello, ptrace");
  EXPECT_EQ(lines[4], "second line!");
}

TEST(StepCliTest, BadInputIsOneLineAndNonzero) {
  std::string program = tracee_path("nostd_count_loop", 64);
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  std::vector<Case> cases = {
      {{"--from", "count_lop"}, "close matches: count_loop"},
      {{"--from", "0x1"}, "in no object"},
      {{"--from", "0xzz"}, "bad address"},
      {{"--from", "nostd_count_loop.c:3"}, "source"},
      {{"--from", "libnope:puts"}, "no object named 'libnope'"},
      {{"--from-syscall", "wrte"}, "close matches: write"},
      {{"--from-syscall", "openat"}, "before any openat syscall"},
      // The stream that failed to open was once closed too: a SIGSEGV after the line.
      {{"--output", "/"}, "open /: Is a directory"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {PTK_CLI, "step"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    argv.insert(argv.end(), {"--", program});
    CommandResult r = run_command(argv);
    EXPECT_EQ(describe_status(r.status), "exited with 1") << c.args[1] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, c.says)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  CommandResult neither = run_command({PTK_CLI, "step", "--count"});
  EXPECT_EQ(describe_status(neither.status), "exited with 2") << neither.err;
  CommandResult both = run_command({PTK_CLI, "step", "-p", "1", "--", program});
  EXPECT_EQ(describe_status(both.status), "exited with 2") << both.err;
}

}  // namespace
}  // namespace ptk_test
