// Breakpoint slots at the end of a session: the scratch pages are unmapped at release, so no
// thread may be left in a slot and no signal frame may return into one. slot_signal's
// slot_target starts with a nop, which a hit runs from a slot; a SIGUSR1 queued while the
// thread is stopped at the hit is delivered as it enters the slot, deterministically.
#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>

#include <cstdlib>

#include "break_util.h"
#include "inject/inject_util.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/inject/scratch_pages.h"

namespace ptk_test {
namespace {

class BreakSlotsTest : public BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    child_.emplace(std::vector<std::string>{tracee_path("slot_signal", GetParam())});
    std::optional<std::string> ready = child_->line();
    ASSERT_TRUE(ready && ready->starts_with("ready 0x")) << ready.value_or("EOF");
    target_ = std::strtoull(ready->c_str() + 6, nullptr, 16);
    park(pid());
    before_ = maps(pid());
  }
  pid_t pid() const { return child_->pid(); }
  void park(pid_t tid) { wait_blocked_in(tid, arch_of_bits(GetParam()), {"read"}); }
  static std::string maps(pid_t pid) { return ptk::read_proc_file(pid, "maps").value_or("gone"); }

  // Attached, the breakpoint in, the tracee told to call slot_target: returns at the Signal stop
  // of a SIGUSR1 queued at the hit, the thread's ip on the slot's first byte.
  void stop_in_slot(ptk::Session& session, ptk::debug::BreakpointSet& bps) {
    ASSERT_TRUE(session.attach(pid()).ok());
    ptk::inject::provide_scratch_pages(bps, session);
    ASSERT_TRUE(bps.insert(pid(), target_).ok());
    ASSERT_EQ(bps.step_over_kind(pid(), target_), ptk::debug::StepOverKind::Slot);
    ASSERT_TRUE(session.resume_all().ok());
    ASSERT_TRUE(child_->send("c"));
    auto trap =
        wait_until(session, [](const ptk::Event& e) { return e.kind == ptk::EventKind::Trap; });
    ASSERT_TRUE(trap);
    auto hit = bps.match(*trap);
    ASSERT_TRUE(hit.ok() && hit->has_value());
    EXPECT_FALSE((*hit)->repeated);
    ASSERT_EQ(::syscall(SYS_tgkill, pid(), pid(), SIGUSR1), 0);
    ASSERT_TRUE(bps.step_over(**hit).ok());
    auto sig =
        wait_until(session, [](const ptk::Event& e) { return e.kind == ptk::EventKind::Signal; });
    ASSERT_TRUE(sig);
    EXPECT_EQ(sig->signal, SIGUSR1);
    signal_ = *sig;
    auto regs = session.get_regs(pid());
    ASSERT_TRUE(regs.ok());
    EXPECT_NE(regs->ip(), target_);                                 // in the slot
    EXPECT_TRUE(maps_diff(before_, maps(pid())).starts_with("+"));  // the scratch page
  }

  // Detached: the maps are as before, and slot_target runs untraced.
  void expect_let_go(int calls, int handled) {
    park(pid());
    EXPECT_EQ(maps_diff(before_, maps(pid())), "");
    ASSERT_TRUE(child_->send("c"));
    EXPECT_EQ(child_->line(), fmt::format("called {} handled {}", calls, handled));
    child_->close_stdin();
    EXPECT_EQ(describe_status(child_->wait()), "exited with 0");
  }

  std::optional<PipedChild> child_;
  std::uint64_t target_ = 0;
  std::string before_;
  ptk::Event signal_{};
};

TEST_P(BreakSlotsTest, SignalEnteringASlotIsDeliveredAtTheBreakpointAndItsHitIsNotRepeated) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ptk::debug::BreakpointSet bps(session);
  ASSERT_NO_FATAL_FAILURE(stop_in_slot(session, bps));
  ASSERT_TRUE(bps.before_signal(signal_).ok());
  // The handler's frame returns to the breakpoint, not into the slot.
  EXPECT_EQ(session.get_regs(pid())->ip(), target_);
  ASSERT_TRUE(session.resume(signal_).ok());
  auto trap =
      wait_until(session, [](const ptk::Event& e) { return e.kind == ptk::EventKind::Trap; });
  ASSERT_TRUE(trap);
  auto again = bps.match(*trap);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_TRUE((*again)->repeated);
  ASSERT_TRUE(bps.step_over(**again).ok());
  EXPECT_EQ(child_->line(), "called 1 handled 1");
  park(pid());
  ASSERT_TRUE(session.interrupt(pid()).ok());
  ASSERT_TRUE(
      wait_until(session, [](const ptk::Event& e) { return e.kind == ptk::EventKind::Interrupt; }));
  ASSERT_TRUE(bps.release(pid()).ok());
  ASSERT_TRUE(session.detach(pid()).ok());
  expect_let_go(2, 1);
}

TEST_P(BreakSlotsTest, ReleaseMovesAThreadOutOfASlotBeforeTheSlotIsUnmapped) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ptk::debug::BreakpointSet bps(session);
  ASSERT_NO_FATAL_FAILURE(stop_in_slot(session, bps));
  // Let go right there: the breakpoint's byte is back, the thread on the nop it stood for, and
  // SIGUSR1 is delivered as it is detached.
  ASSERT_TRUE(bps.release(pid()).ok());
  EXPECT_EQ(session.get_regs(pid())->ip(), target_);
  ASSERT_TRUE(session.detach(pid()).ok());
  EXPECT_EQ(child_->line(), "called 1 handled 1");
  expect_let_go(2, 1);
}

TEST_P(BreakSlotsTest, ChildNotFollowedIsLetGoWithoutTheScratchPages) {
  BackgroundPtk ptk({"break", "slot_target", "-p", std::to_string(pid())});
  ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
  ASSERT_TRUE(child_->send("c"));
  ASSERT_EQ(child_->line(), "called 1 handled 0");
  ASSERT_TRUE(ptk.wait_out("hit 1 "));
  ASSERT_TRUE(child_->send("f"));
  std::optional<std::string> forked = child_->line();
  ASSERT_TRUE(forked && forked->starts_with("forked ")) << forked.value_or("EOF");
  pid_t grandchild = std::atoi(forked->c_str() + 7);
  park(grandchild);
  // The child's address space is its parent's from before the attach: no scratch page.
  EXPECT_EQ(maps_diff(before_, maps(grandchild)), "");
  EXPECT_EQ(ptk::read_status(grandchild)->tracer_pid, 0);
  ::kill(grandchild, SIGKILL);
  park(pid());
  ptk.kill(SIGINT);
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << ptk.rest_of_err();
  expect_let_go(2, 0);
}

INSTANTIATE_TEST_SUITE_P(Abi, BreakSlotsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
