// The -c tables: `ptk trace -c` (strace's layout, per syscall) and `ptk calls -c` (ltrace's,
// per function): the right header, one row per name with its call count, and a total that
// adds up. And the other times: -t/-tt/-ttt before each line, -T after each syscall or call.
#include <map>
#include <regex>
#include <sstream>

#include "calls/calls_util.h"

namespace ptk_test {
namespace {

struct Table {
  std::string header;
  std::map<std::string, std::uint64_t> calls;  // per name
  std::map<std::string, std::uint64_t> errors;
  std::uint64_t total_calls = 0;
  int rules = 0;
};

// Parses a table (and nothing else) from `text`; `with_errors`: strace's errors column.
Table parse_table(const std::string& text, bool with_errors) {
  Table t;
  for (const std::string& line : lines_of(text)) {
    if (line.starts_with("% time")) {
      t.header = line;
      continue;
    }
    if (line.starts_with("------")) {
      ++t.rules;
      continue;
    }
    if (t.header.empty()) continue;  // the program's own output
    std::istringstream in(line);
    double pct = 0, seconds = 0;
    std::uint64_t usecs = 0, calls = 0, errors = 0;
    in >> pct >> seconds >> usecs >> calls;
    std::string rest, name;
    std::getline(in, rest);
    std::istringstream words(rest);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty()) continue;
    name = w.back();
    if (with_errors && w.size() == 2) errors = std::stoull(w[0]);
    if (name == "total") {
      t.total_calls = calls;
    } else {
      t.calls[name] = calls;
      t.errors[name] = errors;
    }
  }
  return t;
}

TEST(Summary, TraceCountsEverySyscallAndItsErrors) {
  // hello_writes: two writes; `cat` of a missing file: one failing openat.
  CommandResult r = run_command({PTK_CLI, "trace", "-c", "-f", "--", "/bin/sh", "-c",
                                 tracee_path("hello_writes", 64) + "; cat /no/such/file; true"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  Table t = parse_table(r.err, true);
  EXPECT_EQ(t.header, "% time     seconds  usecs/call     calls    errors syscall");
  EXPECT_EQ(t.rules, 2);
  EXPECT_GE(t.calls["write"], 2U) << r.err;
  EXPECT_GE(t.errors["openat"], 1U) << r.err;
  std::uint64_t sum = 0;
  for (const auto& [name, n] : t.calls) sum += n;
  EXPECT_EQ(t.total_calls, sum) << r.err;
}

TEST(Summary, CallsCountsEachFunctionOfTheZNowProgram) {
  TempFile out("calls-summary");
  CommandResult r =
      run_command({PTK_CLI, "calls", "-c", "-o", out.path(), "--", tracee_path("calls_znow", 64)});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> prog = lines_of(r.out);  // hello, strlen=.., cmp x N, sorted ..
  ASSERT_GE(prog.size(), 4U) << r.out;
  const std::uint64_t comparisons = prog.size() - 3;
  std::string text;
  for (const std::string& line : read_lines(out.path())) text += line + "\n";
  Table t = parse_table(text, false);
  EXPECT_EQ(t.header, "% time     seconds  usecs/call     calls      function");
  EXPECT_EQ(t.rules, 2);
  std::map<std::string, std::uint64_t> expected = {{"puts", 1},
                                                   {"strlen", 1},
                                                   {"malloc", 1},
                                                   {"qsort", 1},
                                                   {"strcmp", comparisons},
                                                   {"free", 1},
                                                   {"getenv", 1},
                                                   {"printf", 2 + comparisons},
                                                   {"__cxa_finalize", 1}};
  EXPECT_EQ(t.calls, expected) << text;
  EXPECT_EQ(t.total_calls, 9 + 2 * comparisons) << text;
  EXPECT_FALSE(contains(text, "+++ exited")) << text;  // only the table
}

TEST(TraceTimes, TimestampsBeforeAndDurationsAfter) {
  CommandResult r = run_command(
      {PTK_CLI, "trace", "-tt", "-T", "-e", "trace=write", "--", tracee_path("hello_writes", 64)});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 3U) << r.err;
  EXPECT_TRUE(std::regex_match(
      lines[0],
      std::regex(R"(\d\d:\d\d:\d\d\.\d{6} write\(1, "hello, ptrace\\n", 14\) += 14 <\d+\.\d{6}>)")))
      << lines[0];
  EXPECT_TRUE(std::regex_match(lines[2],
                               std::regex(R"(\d\d:\d\d:\d\d\.\d{6} \+\+\+ exited with 0 \+\+\+)")))
      << lines[2];
  CommandResult epoch = run_command(
      {PTK_CLI, "trace", "-ttt", "-e", "trace=write", "--", tracee_path("hello_writes", 64)});
  EXPECT_TRUE(std::regex_search(epoch.err, std::regex(R"(^\d{10,}\.\d{6} write\(1, )")))
      << epoch.err;
}

TEST(CallTimes, TimestampsBeforeAndDurationsAfter) {
  struct Case {
    std::vector<std::string> flags;
    std::string line;  // the regex of puts' line
  };
  const std::vector<Case> cases = {
      {{"-t"}, R"(\d\d:\d\d:\d\d puts\("hello"\) = 6)"},
      {{"-tt", "-T"}, R"(\d\d:\d\d:\d\d\.\d{6} puts\("hello"\) = 6 <\d+\.\d{6}>)"},
      {{"-ttt"}, R"(\d{10,}\.\d{6} puts\("hello"\) = 6)"},
      {{"-T"}, R"(puts\("hello"\) = 6 <\d+\.\d{6}>)"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {PTK_CLI, "calls"};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    argv.insert(argv.end(), {"--", tracee_path("calls_znow", 64)});
    CommandResult r = run_command(argv);
    ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
    std::vector<std::string> lines = lines_of(r.err);
    ASSERT_FALSE(lines.empty());
    EXPECT_TRUE(std::regex_match(lines.front(), std::regex(c.line))) << lines.front();
    // A split call: the resumed line has its own time, and -T the whole call's duration.
    if (c.flags.back() == "-T") {
      bool resumed = false;
      for (const std::string& l : lines) {
        resumed = resumed || std::regex_search(
                                 l, std::regex(R"(<\.\.\. qsort resumed> = <void> <\d+\.\d{6}>$)"));
      }
      EXPECT_TRUE(resumed) << r.err;
    }
  }
}

}  // namespace
}  // namespace ptk_test
