// `ptk trace` on the time family: clocks, sleeps, timers, futex and getrandom calls of
// tests/tracees/time_calls.c, checked against fixed lines and, where strace is installed,
// against strace's own output for the same tracee (clock readings and random bytes masked).

#include <fmt/ranges.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The tracee's own calls: from the first line starting with `from` to exit_group, with
// addresses and alignment padding masked.
std::vector<std::string> section(const std::vector<std::string>& lines, std::string_view from) {
  // Addresses vary between runs; a value with a /* NAME_??? */ comment is not an address.
  static const std::regex kAddr("0x[0-9a-f]{5,}(?![0-9a-f]| /\\*)");
  static const std::regex kPad(" +=");
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (!on && l.starts_with(from)) on = true;
    if (!on) continue;
    if (l.starts_with("exit_group(")) break;
    out.push_back(std::regex_replace(std::regex_replace(l, kAddr, "0xADDR"), kPad, " ="));
  }
  return out;
}

std::vector<std::string> trace_with(const std::string& tracer, std::vector<std::string> opts,
                                    const std::string& prog) {
  TempFile out("time");
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out.path()});
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.insert(argv.end(), {"--", prog});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  return read_lines(out.path());
}

// What differs between two runs: clock readings, dates, random bytes, thread ids.
std::vector<std::string> masked(std::vector<std::string> lines) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("(tv_sec|tv_nsec|tv_usec)=-?[0-9]+"), "$1=N"},
      {std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+[+-][0-9]{4}"), "DATE"},
      {std::regex("\\[[0-9]+ /\\*"), "[N /*"},
      {std::regex("= [0-9]{6,}"), "= N"},
      {std::regex("(\\\\x[0-9a-f]{2})+"), "HEX"},
  };
  for (std::string& l : lines) {
    for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  }
  return lines;
}

class TraceTime : public ptk_test::BitsTest {
 protected:
  std::string prog() const { return tracee_path("time_calls", GetParam()); }
};

TEST_P(TraceTime, ExpectedLines) {
  std::vector<std::string> got =
      section(trace_with(PTK_CLI, {}, prog()), "clock_gettime(CLOCK_MONOTONIC,");
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  bool i386 = GetParam() == 32;
  const std::vector<std::string> expected = {
      "clock_gettime(CLOCK_MONOTONIC, {tv_sec=",
      "clock_gettime(0xffffffff /* CLOCK_??? */, 0xADDR) = -1 EINVAL",
      "clock_gettime(CLOCK_MONOTONIC, 0x1) = -1 EFAULT",
      "clock_gettime(CLOCK_MONOTONIC, NULL) = -1 EFAULT",
      "clock_gettime(0xffffffe2 /* CLOCK_??? */, {tv_sec=0, tv_nsec=",
      "clock_getres(CLOCK_REALTIME, {tv_sec=0, tv_nsec=1}) = 0",
      "clock_settime(CLOCK_MONOTONIC, {tv_sec=0, tv_nsec=1}) = -1 EINVAL",
      i386 ? "clock_gettime64(CLOCK_BOOTTIME, {tv_sec=" : "",
      "nanosleep({tv_sec=-1, tv_nsec=2000000000}, NULL) = -1 EINVAL",
      "nanosleep({tv_sec=0, tv_nsec=1000}, 0xADDR) = 0",
      "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, 0xADDR) = 0",
      "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME|0x4, {tv_sec=0, tv_nsec=1000}, NULL) = 0",
      "}, {tz_minuteswest=0, tz_dsttime=0}) = 0",
      "settimeofday(NULL, NULL) = 0",
      "timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC|TFD_NONBLOCK) = 3",
      "timerfd_settime(3, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, "
      "tv_nsec=0}}, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=0}}) = 0",
      "timerfd_settime(3, TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET, NULL, NULL) = -1 EFAULT",
      "timerfd_create(CLOCK_BOOTTIME_ALARM, TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET|"
      "TFD_NONBLOCK|0xf7fc) = -1 EINVAL",
      "timer_create(CLOCK_MONOTONIC, {sigev_value={sival_int=5, sival_ptr=0x5}, "
      "sigev_signo=SIGUSR1, sigev_notify=SIGEV_SIGNAL}, [0]) = 0",
      "timer_settime(0, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=100, tv_nsec=0}}",
      "timer_create(CLOCK_REALTIME, {sigev_signo=12, sigev_notify=SIGEV_NONE}, [1]) = 0",
      "timer_create(CLOCK_REALTIME, {sigev_signo=12, sigev_notify=0x4d /* SIGEV_??? */}, "
      "0xADDR) = -1 EINVAL",
      "timer_create(CLOCK_REALTIME, 0x1, 0x1) = -1 EFAULT",
      "setitimer(ITIMER_REAL, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=100, "
      "tv_usec=0}}, {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=0, tv_usec=0}}) = 0",
      "getitimer(0x5 /* ITIMER_??? */, NULL) = -1 EINVAL",
      "times(NULL) = ",
      "adjtimex(NULL) = -1 EFAULT",
      ", FUTEX_WAKE_PRIVATE, 1) = ",
      ", FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 1, NULL, FUTEX_BITSET_MATCH_ANY) = -1 "
      "EAGAIN",
      ", FUTEX_WAIT_PRIVATE, 0, {tv_sec=0, tv_nsec=1}) = -1 ETIMEDOUT",
      ", FUTEX_WAKE_OP_PRIVATE, 1, 1, 0xADDR, FUTEX_OP_SET<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0)",
      "futex(NULL, FUTEX_WAKE_OP, 1, 0, NULL, FUTEX_OP_OPARG_SHIFT<<28|0x7<<28 /* FUTEX_OP_??? "
      "*/|0xfff<<12|0xf<<24 /* FUTEX_OP_CMP_??? */|0xfff) = -1 EFAULT",
      ", FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, 0xADDR, 0) = -1 EAGAIN",
      "futex(NULL, FUTEX_REQUEUE, 1, 2, NULL) = -1 EFAULT",
      "futex(NULL, FUTEX_LOCK_PI, NULL) = -1 EFAULT",
      "futex(NULL, FUTEX_UNLOCK_PI) = -1 EFAULT",
      "futex(NULL, FUTEX_WAKE_BITSET, 1, 0x3) = -1 EFAULT",
      "futex(NULL, FUTEX_WAIT, 0, 0x1) = -1 EFAULT",
      "futex(NULL, 0x7f /* FUTEX_??? */, 1, NULL, NULL, 0x3) = -1 ENOSYS",
      "futex(NULL, FUTEX_FD|FUTEX_PRIVATE_FLAG, 1) = -1 ENOSYS",
      "getrandom(\"\\x",
      "\", 3, GRND_NONBLOCK) = 3",
      "\"..., 64, 0) = 64",
      "getrandom(NULL, 3, 0) = -1 EFAULT",
      "getrandom(0xADDR, 3, 0x8 /* GRND_??? */) = -1 EINVAL",
  };
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e));
#if defined(__aarch64__)
  // aarch64 has no time syscall (the tracee's #ifdef SYS_time makes none).
  EXPECT_FALSE(std::regex_search(all, std::regex(R"((^|\n)time\()"))) << all;
#else
  // time(): the value and its date, after the return value too.
  static const std::regex kTime(
      R"(time\(\[([0-9]+) /\* [0-9T:+-]+ \*/\]\) = ([0-9]+) \([0-9T:+-]+\))");
  EXPECT_TRUE(std::regex_search(all, kTime)) << all;
  EXPECT_TRUE(contains(all, "time(0x1) = -1 EFAULT"));
#endif
}

TEST_P(TraceTime, MatchesStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  for (const std::vector<std::string>& opts : {std::vector<std::string>{}, {"-s", "4"}}) {
    std::vector<std::string> ours =
        masked(section(trace_with(PTK_CLI, opts, prog()), "clock_gettime(CLOCK_MONOTONIC,"));
    std::vector<std::string> theirs =
        masked(section(trace_with(kStrace, opts, prog()), "clock_gettime(CLOCK_MONOTONIC,"));
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
      EXPECT_EQ(ours[i], theirs[i]) << "options: " << fmt::format("{}", fmt::join(opts, " "));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceTime, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
