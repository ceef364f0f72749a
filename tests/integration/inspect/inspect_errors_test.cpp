// The inspection commands leave a busy process running exactly as before (a counter that
// writes every number keeps counting, none lost or repeated), and answer bad input with one
// line and a nonzero exit, without touching the process.
#include <fmt/ranges.h>

#include "inspect_util.h"

namespace ptk_test {
namespace {

// Reads the counter's output until `count` more numbers came, checking each is the one after
// the last; returns the last. The count is bigger than a pipe holds (64 KiB), so the numbers
// read must have been written after whatever happened before the call.
std::uint64_t expect_counting_on(int fd, std::uint64_t last, std::size_t count) {
  std::string pending;
  std::size_t seen = 0;
  char buf[4096];
  while (seen < count) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ADD_FAILURE() << "the counter stopped writing after " << last;
      return last;
    }
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::uint64_t value = std::stoull(pending.substr(start, nl - start));
      if (value != last + 1) {
        ADD_FAILURE() << "after " << last << " came " << value;
        return value;
      }
      last = value;
      ++seen;
    }
    pending.erase(0, start);
  }
  // A line read in part is finished here, one byte at a time, so the next call starts at a
  // line boundary.
  if (!pending.empty()) {
    for (char c = 0; c != '\n' && ::read(fd, &c, 1) == 1;) pending += c;
    std::uint64_t value = std::stoull(pending);
    if (value != last + 1) ADD_FAILURE() << "after " << last << " came " << value;
    last = value;
  }
  return last;
}

class InspectRunning : public ptk_test::BitsTest {};

TEST_P(InspectRunning, CounterKeepsCountingAfterEachCommand) {
  InspectTarget t(GetParam(), "count");
  auto first = read_line(t.out_fd());
  ASSERT_EQ(first, "0");
  std::uint64_t last = expect_counting_on(t.out_fd(), 0, 100);
  const std::vector<std::vector<std::string>> commands = {
      {"regs", str(t.pid())},
      {"regs", str(t.pid()), "--all", "--json"},
      {"bt", str(t.pid())},
      {"maps", str(t.pid())},
      {"mem", str(t.pid()), "find", "no such string anywhere, surely"},
  };
  for (const auto& cmd : commands) {
    CommandResult r = ptk(cmd);
    if (cmd[0] == "mem") {
      EXPECT_TRUE(failed_with_one_line(r, "mem"));  // not found
    } else {
      EXPECT_TRUE(succeeded(r)) << cmd[0];
    }
    last = expect_counting_on(t.out_fd(), last, 20000);
  }
  EXPECT_NE(proc_state(t.pid()), 't');
}

INSTANTIATE_TEST_SUITE_P(Abi, InspectRunning, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

TEST(InspectErrors, BadInputIsOneLineAndChangesNothing) {
  InspectTarget t(64);
  std::string pid = str(t.pid());
  std::string marker = fmt::format("{:#x}", t.value("marker"));
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const Case cases[] = {
      {{"regs", "abc"}, "a process id is a positive decimal number"},
      {{"regs", "0"}, "a process id is a positive decimal number"},
      {{"regs", "99999999"}, "no process with pid 99999999"},
      {{"regs", "2"}, "kernel thread"},
      {{"bt", "2"}, "kernel thread"},
      {{"maps", "2"}, "kernel thread"},
      {{"mem", "2", "read", "0x1000", "16"}, "kernel thread"},
      {{"bt", "99999999"}, "no process with pid 99999999"},
      {{"maps", "-5"}, ""},
      {{"regs", pid, "--tid", "1"}, "is not a thread of process"},
      {{"mem", pid}, "expected PID and an action"},
      {{"mem", pid, "peek", marker}, "unknown action 'peek'"},
      {{"mem", pid, "read", "0xZZ", "16"}, "an address is a hex number"},
      {{"mem", pid, "read", marker}, "usage: ptk mem PID read ADDR LEN"},
      {{"mem", pid, "read", marker, "0"}, "LEN 0 is out of range"},
      {{"mem", pid, "read", marker, "1G"}, "LEN 1G is out of range"},
      {{"mem", pid, "read", marker, "ten"}, "a size is a number of bytes"},
      {{"mem", pid, "read", "0x10", "16"}, "cannot read 0x10 (not mapped)"},
      {{"mem", pid, "read", "0xffffffffffffffff", "16"}, "past the end of the address space"},
      {{"mem", pid, "write", marker, "505"}, "an odd number of hex digits"},
      {{"mem", pid, "write", marker, "5g"}, "'g' splits a byte"},
      {{"mem", pid, "write", marker, "xyz"}, "'x' is not a hex digit"},
      {{"mem", pid, "write", marker}, "usage: ptk mem PID write ADDR HEX"},
      {{"mem", pid, "find", "--hex", "4"}, "an odd number of hex digits"},
      {{"mem", pid, "find", "x", "--max", "0"}, "--max 0 is out of range"},
      {{"mem", pid, "read", marker, "4", "--hex", "41"}, "--hex goes with find"},
      {{"bt", pid, "--max-frames", "0"}, "--max-frames 0 is out of range"},
  };
  for (const Case& c : cases) {
    CommandResult r = ptk(c.args);
    std::string shown = fmt::format("ptk {}", fmt::join(c.args, " "));
    if (c.says.empty()) {
      // CLI11 may take "-5" for an option it does not know, with its own one-line error.
      EXPECT_NE(r.status, 0) << shown;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << shown << ": " << r.err;
    } else {
      EXPECT_TRUE(failed_with_one_line(r, c.args[0])) << shown;
      EXPECT_TRUE(contains(r.err, c.says)) << shown;
    }
    EXPECT_EQ(r.out, "") << shown;
  }
  // The tracee was never changed, and still runs.
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
  EXPECT_EQ(t.ask('a'), "answer 42");
}

}  // namespace
}  // namespace ptk_test
