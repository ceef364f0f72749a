// The wait routine a stop signal can call off (src/core/wait_syscall.h), white-box: a handler
// that interrupted it before its syscall moves it to its "called off" exit; after the syscall
// it leaves it alone. The kernel's part (an interrupted wait4 resumes at the syscall when it is
// to be restarted, after it otherwise) is signal(7)'s and the x86 entry code's.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "../../../src/core/wait_syscall.h"

#if defined(__x86_64__)
extern "C" const char ptk_wait4_window[], ptk_wait4_window_end[], ptk_wait4_called_off[];

namespace {

std::uintptr_t address(const char* label) { return reinterpret_cast<std::uintptr_t>(label); }

// What cancel_wait_in does with a signal frame whose instruction pointer is `ip`.
std::uintptr_t resumed_at(std::uintptr_t ip) {
  ucontext_t uc{};
  uc.uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(ip);
  ptk::detail::cancel_wait_in(&uc);
  return static_cast<std::uintptr_t>(uc.uc_mcontext.gregs[REG_RIP]);
}

TEST(WaitSyscall, ASignalBeforeTheSyscallCallsTheWaitOff) {
  std::uintptr_t begin = address(ptk_wait4_window), end = address(ptk_wait4_window_end);
  ASSERT_LT(begin, end);
  for (std::uintptr_t ip = begin; ip < end; ++ip) {
    EXPECT_EQ(resumed_at(ip), address(ptk_wait4_called_off)) << "at +" << ip - begin;
  }
}

TEST(WaitSyscall, ASignalAfterTheSyscallLeavesItsResult) {
  std::uintptr_t end = address(ptk_wait4_window_end);
  EXPECT_EQ(resumed_at(end), end);
  EXPECT_EQ(resumed_at(address(ptk_wait4_window) - 1), address(ptk_wait4_window) - 1);
}

}  // namespace
#endif

namespace {

TEST(WaitSyscall, ASetFlagReturnsAtOnceAndAClearOneWaits) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(7);
  ASSERT_GT(child, 0);
  volatile std::sig_atomic_t flag = 1;
  int status = 0;
  EXPECT_EQ(ptk::detail::wait4_any_unless(&flag, &status), -EINTR);  // the child not reaped
  flag = 0;
  EXPECT_EQ(ptk::detail::wait4_any_unless(&flag, &status), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

// The fourth argument of wait4 travels in %r10 (the syscall ABI's, where the C ABI has %rcx):
// the usage the kernel writes must land in the caller's struct, all of it.
TEST(WaitSyscall, TheUsageReachesTheCaller) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(3);
  ASSERT_GT(child, 0);
  volatile std::sig_atomic_t flag = 0;
  int status = 0;
  struct rusage usage;
  std::memset(&usage, 0xff, sizeof usage);  // every field -1 until the kernel writes it
  EXPECT_EQ(ptk::detail::wait4_any_unless(&flag, &status, &usage), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3);
  EXPECT_GE(usage.ru_stime.tv_usec, 0);
  EXPECT_LT(usage.ru_stime.tv_usec, 1000000);
  EXPECT_GE(usage.ru_utime.tv_sec, 0);
  EXPECT_GT(usage.ru_maxrss, 0);  // a process that ran has a resident set
}

}  // namespace
