#include "ptk/core/wait_policy.h"

#include <sched.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>

namespace ptk {
namespace {

// How long to poll for the next stop by default. A syscall stop of a busy tracee comes back
// within a few microseconds once the tracer has resumed it; the wake-up of a tracer asleep in
// waitpid on an idle CPU costs tens of microseconds on virtual machines. 100 us catches the
// fast stops and bounds what a tracee that has gone quiet costs: kMaxMisses spins, then none.
constexpr std::uint32_t kDefaultSpinUs = 100;

// After this many consecutive spins that found nothing, stop spinning until a blocking wait
// returns quickly again: a tracee that sleeps should cost the tracer no CPU.
constexpr int kMaxMisses = 4;

Result<std::pair<pid_t, int>> blocking_wait(const WaitPolicy& policy) {
  int status = 0;
  for (;;) {
    pid_t tid = ::waitpid(-1, &status, __WALL);
    if (tid >= 0) return std::pair{tid, status};
    if (errno == EINTR && !(policy.interrupt != nullptr && *policy.interrupt)) continue;
    return Error::from_errno(errno, "waitpid(-1, __WALL)");
  }
}

}  // namespace

WaitPolicy default_wait_policy() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  bool many = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 2;
  return WaitPolicy{.spin_us = many ? kDefaultSpinUs : 0, .adaptive = true, .interrupt = nullptr};
}

Result<std::pair<pid_t, int>> wait_any(const WaitPolicy& policy, WaitPolicyState& state) {
  if (policy.spin_us == 0 || (policy.adaptive && state.misses >= kMaxMisses)) {
    auto start = std::chrono::steady_clock::now();
    auto r = blocking_wait(policy);
    // A stop that came within the spin window means spinning would have caught it.
    if (policy.spin_us != 0 &&
        std::chrono::steady_clock::now() - start < std::chrono::microseconds(policy.spin_us)) {
      state.misses = 0;
    }
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(policy.spin_us);
  int status = 0;
  for (unsigned i = 0;; ++i) {
    pid_t tid = ::waitpid(-1, &status, __WALL | WNOHANG);
    if (tid > 0) {
      state.misses = 0;
      return std::pair{tid, status};
    }
    if (tid < 0 && errno != EINTR) return Error::from_errno(errno, "waitpid(-1, __WALL|WNOHANG)");
    if (policy.interrupt != nullptr && *policy.interrupt) {
      return Error::from_errno(EINTR, "waitpid(-1, __WALL|WNOHANG)");
    }
    // Reading the clock costs more than a waitpid that finds nothing; check it now and then,
    // and yield so that a tracee sharing this CPU is not kept from running by the spin.
    if ((i & 15) == 15) {
      if (std::chrono::steady_clock::now() >= deadline) break;
      ::sched_yield();
    }
  }
  ++state.misses;
  return blocking_wait(policy);
}

}  // namespace ptk
