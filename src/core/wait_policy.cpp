#include "ptk/core/wait_policy.h"

#include "wait_syscall.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

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

// When a spin misses because the tracee sat on the tracer's own CPU, spinning is off for this
// many waits, doubling up to kMaxBackoff while the two stay together. The scheduler's wake-up
// placement (wake_affine) pulls a tracer that sleeps in waitpid next to the tracee that woke
// it; a spin there starves the tracee for the whole window. Measured on fork_exec 200: a
// 5 us spin that kept falling into this took 0.85 s, blocking only 0.40 s.
constexpr int kFirstBackoff = 64;
constexpr int kMaxBackoff = 64 * 1024;

Result<WaitResult> blocking_wait(const WaitPolicy& policy) {
  static const volatile std::sig_atomic_t kNever = 0;
  const volatile std::sig_atomic_t* flag = policy.interrupt ? policy.interrupt : &kNever;
  int status = 0;
  struct rusage usage {};
  for (;;) {
    // A stop signal that came while the tracer was busy (not in waitpid) has set the flag but
    // interrupts nothing: the wait looks before it sleeps, and a signal that comes between the
    // look and the sleep calls the sleep off (wait_syscall.h).
    long tid = detail::wait4_any_unless(flag, &status, policy.want_rusage ? &usage : nullptr);
    if (tid >= 0) {
      return WaitResult{.tid = static_cast<pid_t>(tid),
                        .status = status,
                        .stime_ns = policy.want_rusage ? stime_ns_of(usage) : -1};
    }
    if (tid == -EINTR && !*flag) continue;
    return Error::from_errno(static_cast<int>(-tid), "waitpid(-1, __WALL)");
  }
}

// A spin missed and the blocking wait returned `tid`: if that thread last ran on this CPU,
// back off from spinning; otherwise the miss was an ordinary slow stop.
void note_miss(WaitPolicyState& state, pid_t tid) {
  int mine = ::sched_getcpu();
  if (mine < 0 || last_cpu_of(tid) != mine) {
    state.backoff_len = 0;
    return;
  }
  state.backoff_len = std::clamp(state.backoff_len * 2, kFirstBackoff, kMaxBackoff);
  state.backoff = state.backoff_len;
  state.misses = 0;
}

}  // namespace

void interrupt_wait_from_handler(void* ucontext) { detail::cancel_wait_in(ucontext); }

std::int64_t stime_ns_of(const struct rusage& usage) {
  return static_cast<std::int64_t>(usage.ru_stime.tv_sec) * 1'000'000'000 +
         static_cast<std::int64_t>(usage.ru_stime.tv_usec) * 1'000;
}

int last_cpu_of(pid_t tid) {
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(tid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return -1;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last
  // ')'. "processor" is field 39, i.e. the 37th after the name.
  std::string_view text(buf, static_cast<std::size_t>(n));
  auto close_paren = text.rfind(')');
  if (close_paren == std::string_view::npos) return -1;
  int field = 2;
  for (std::size_t i = close_paren + 1; i < text.size(); ++i) {
    if (text[i] != ' ') continue;
    if (++field == 39) return std::atoi(text.data() + i + 1);
  }
  return -1;
}

WaitPolicy default_wait_policy() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  bool many = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 2;
  return WaitPolicy{.spin_us = many ? kDefaultSpinUs : 0, .adaptive = true};
}

Result<WaitResult> wait_any(const WaitPolicy& policy, WaitPolicyState& state) {
  if (policy.spin_us != 0 && policy.adaptive && state.backoff > 0) {
    --state.backoff;
    return blocking_wait(policy);
  }
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
  struct rusage usage {};
  struct rusage* want = policy.want_rusage ? &usage : nullptr;
  for (unsigned i = 0;; ++i) {
    pid_t tid = ::wait4(-1, &status, __WALL | WNOHANG, want);
    if (tid > 0) {
      state.misses = 0;
      return WaitResult{.tid = tid, .status = status, .stime_ns = want ? stime_ns_of(usage) : -1};
    }
    if (tid < 0 && errno != EINTR) return Error::from_errno(errno, "waitpid(-1, __WALL|WNOHANG)");
    if (policy.interrupt != nullptr && *policy.interrupt) {
      return Error::from_errno(EINTR, "waitpid(-1, __WALL|WNOHANG)");
    }
    // Reading the clock costs more than a waitpid that finds nothing; check it now and then.
    // No sched_yield here: under EEVDF (kernel 6.6+) a yield to a co-located tracee made
    // fork_exec 200 take 0.85 s instead of 0.49 s; co-location is handled by the backoff.
    if ((i & 15) == 15 && std::chrono::steady_clock::now() >= deadline) break;
  }
  ++state.misses;
  auto r = blocking_wait(policy);
  if (r.ok() && policy.adaptive) note_miss(state, r->tid);
  return r;
}

}  // namespace ptk
