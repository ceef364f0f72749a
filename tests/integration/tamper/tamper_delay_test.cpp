// Delays (SyscallContext::delay, inject=...:delay_enter=/delay_exit=, rules' delay=) hold only
// the delayed thread: ptk goes on handling the other threads' stops meanwhile.
#include <csignal>

#include "tamper_util.h"

namespace ptk_test {
namespace {

using ptk::tamper::SyscallContext;
using ptk::tamper::Tamperer;

class TamperDelay : public ptk_test::BitsTest {
 protected:
  std::string prog() const { return tracee_path("tamper_calls", GetParam()); }
};

// A thread's getppid is held for 30 s at entry (or at exit); the main thread spins on getpid
// until that getppid returns. With only the delayed thread held, the getpid calls keep coming
// while the getppid is held: after 20 of them the test stops the trace, which ends the delay.
// (A tracer that slept instead would see none of them until the 30 s are over.)
void expect_others_run_on(const std::string& prog, bool at_exit) {
  Tamperer t;
  volatile std::sig_atomic_t stop = 0;
  pid_t delayed = 0;
  bool delayed_done = false;
  int others = 0;
  auto& slow = add_hook(t, named("getppid"));
  slow.entry = [&](SyscallContext& ctx) {
    delayed = ctx.tid();
    if (!at_exit) ctx.delay(std::chrono::seconds(30));
  };
  slow.exit = [&](SyscallContext& ctx) {
    if (at_exit) {
      ctx.delay(std::chrono::seconds(30));
    } else {
      delayed_done = true;
    }
  };
  auto& other = add_hook(t, named("getpid"));
  other.entry = [&](SyscallContext& ctx) {
    EXPECT_NE(ctx.tid(), delayed);
    if (delayed != 0 && !delayed_done && ++others == 20) stop = 1;
  };
  HookedRun r = run_hooked({prog, "spin"}, {.hooks = {&t}, .stop = &stop});
  EXPECT_EQ(others, 20);
  EXPECT_NE(delayed, 0);
  EXPECT_FALSE(delayed_done);
}

TEST_P(TamperDelay, AtEntryOnlyTheDelayedThreadWaits) { expect_others_run_on(prog(), false); }

TEST_P(TamperDelay, AtExitOnlyTheDelayedThreadWaits) { expect_others_run_on(prog(), true); }

TEST_P(TamperDelay, TheDelayedThreadGoesOnWhenItsTimeIsUp) {
  Tamperer t;
  int delays = 0;
  auto& slow = add_hook(t, named("getppid"));
  slow.entry = [&](SyscallContext& ctx) {
    ctx.delay(std::chrono::milliseconds(2));
    ++delays;
  };
  slow.exit = [&](SyscallContext& ctx) {
    ctx.delay(std::chrono::milliseconds(1));
    ++delays;
  };
  HookedRun r = run_hooked({prog(), "spin"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, "spun\n");
  EXPECT_EQ(r.ended, "exited with 0");
  EXPECT_EQ(delays, 2);
}

INSTANTIATE_TEST_SUITE_P(Bits, TamperDelay, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("abi{}", info.param); });

}  // namespace
}  // namespace ptk_test
