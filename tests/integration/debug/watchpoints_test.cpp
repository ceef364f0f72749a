// Hardware watchpoints (ptk/debug/watchpoints.h) on tests/tracees/watch_target.c, 64 and
// 32-bit (x86) or aarch64: write, read/write and execute hits with old and new values, a thread
// created after the watchpoint was set, removal, and the errors that must leave nothing set.
#include <array>
#include <bit>
#include <utility>

#include "ptk/core/hw_debug.h"
#include "ptk/debug/watchpoints.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;
using ptk::WatchKind;
using ptk::debug::WatchHit;
using ptk::debug::Watchpoints;
using ptk::debug::WatchSpec;

// watch_target's exit code: 1+2+3+4+5 read back, plus 5 calls of touch().
constexpr int kExpectedExit = 20;

class WatchpointsTest : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    PTK_REQUIRE_HOST(ptk::HostCapability::DebugRegisterTraps);
  }
  // Spawns watch_target and runs it to its announcement (the sentinel write(-1, table, 32)
  // entry), reading the addresses of counter, wide, touch and bytes.
  void start(std::vector<std::string> args = {}) {
    args.insert(args.begin(), tracee_path("watch_target", GetParam()));
    auto spawned = spawn_with_stdio(session_, args);
    ASSERT_TRUE(spawned.ok()) << spawned.error().message();
    pid_ = *spawned;
    ASSERT_TRUE(session_.resume(pid_).ok());
    auto ev = wait_until(session_, [](const ptk::Event& e) {
      return e.kind == EventKind::SyscallEntry &&
             static_cast<std::int32_t>(e.syscall.args[0]) == -1;
    });
    ASSERT_TRUE(ev.has_value());
    std::array<std::uint64_t, 4> table{};
    ASSERT_TRUE(session_.memory(pid_)
                    .read_exact(ptk::RemoteAddr(ev->syscall.args[1]),
                                std::as_writable_bytes(std::span(table)))
                    .ok());
    counter_ = table[0];
    wide_ = table[1];
    touch_ = table[2];
    bytes_ = table[3];
    watch_.emplace(session_, pid_);
    held_ = *ev;  // stopped there: watchpoints are set before run() resumes it
  }

  // The thread's hardware debug state, to compare: DR7, or aarch64's slots.
  std::vector<std::uint64_t> hw_state(pid_t tid) {
    std::vector<std::uint64_t> state;
#if defined(__aarch64__)
    for (auto kind : {ptk::HwSlotKind::Watchpoint, ptk::HwSlotKind::Breakpoint}) {
      auto slots = ptk::read_hw_slots(tid, kind);
      EXPECT_TRUE(slots.ok()) << slots.error().message();
      if (!slots.ok()) continue;
      for (const ptk::a64::HwSlot& s : slots->slots) {
        state.push_back(s.addr);
        state.push_back(s.ctrl);
      }
    }
#else
    auto v = session_.get_debugreg(tid, ptk::kDr7Index);
    EXPECT_TRUE(v.ok()) << v.error().message();
    state.push_back(v.ok() ? *v : ~0ULL);
#endif
    return state;
  }

  // How many slots are enabled in the thread: DR7's local-enable bits, or aarch64's slots.
  int enabled_slots(pid_t tid) {
#if defined(__aarch64__)
    int n = 0;
    std::vector<std::uint64_t> state = hw_state(tid);
    for (std::size_t i = 1; i < state.size(); i += 2) n += (state[i] & 1) != 0;
    return n;
#else
    return std::popcount(hw_state(tid).front() & 0x55);
#endif
  }

  // Runs the tracee to its end, collecting the hits; new threads get the watchpoints.
  std::vector<WatchHit> run() {
    std::vector<WatchHit> hits;
    std::vector<ptk::Event> events;
    if (held_) {
      EXPECT_TRUE(resume_event(session_, *std::exchange(held_, std::nullopt)));
    }
    while (!session_.empty()) {
      auto ev = session_.wait();
      if (!ev.ok()) {
        ADD_FAILURE() << ev.error().message();
        break;
      }
      events.push_back(*ev);
      if (ev->kind == EventKind::ThreadStart) {
        ptk::Status s = watch_->on_thread_start(ev->tid);
        EXPECT_TRUE(s.ok()) << s.error().message();
      }
      if (Watchpoints::is_hw_trap(*ev)) {
        auto hit = watch_->decode_hit(*ev);
        EXPECT_TRUE(hit.ok()) << hit.error().message();
        EXPECT_TRUE(hit.ok() && hit->has_value()) << describe(*ev);
        if (hit.ok() && hit->has_value()) hits.push_back(**hit);
      }
      if (!resume_event(session_, *ev)) break;
    }
    EXPECT_EQ(how_ended(events, pid_), fmt::format("exited with {}", kExpectedExit))
        << describe(events);
    return hits;
  }

  int add(std::uint64_t address, unsigned len, WatchKind kind) {
    auto slot = watch_->add(WatchSpec{.address = address, .len = len, .kind = kind});
    EXPECT_TRUE(slot.ok()) << slot.error().message();
    return slot.ok() ? *slot : -1;
  }

  std::string add_error(std::uint64_t address, unsigned len, WatchKind kind) {
    auto slot = watch_->add(WatchSpec{.address = address, .len = len, .kind = kind});
    EXPECT_FALSE(slot.ok()) << "slot " << (slot.ok() ? *slot : -1);
    return slot.ok() ? "" : slot.error().message();
  }

  ptk::Session session_;
  pid_t pid_ = 0;
  std::uint64_t counter_ = 0, wide_ = 0, touch_ = 0, bytes_ = 0;
  std::optional<Watchpoints> watch_;
  std::optional<ptk::Event> held_;
};

TEST_P(WatchpointsTest, WriteHitsReportOldAndNewValues) {
  start();
  ASSERT_EQ(add(counter_, 4, WatchKind::Write), 0);
  std::vector<WatchHit> hits = run();
  ASSERT_EQ(hits.size(), 5u);
  for (std::uint64_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].slot, 0);
    EXPECT_EQ(hits[i].tid, pid_);
    EXPECT_EQ(hits[i].old_value, i) << "hit " << i;
    EXPECT_EQ(hits[i].new_value, i + 1) << "hit " << i;
    EXPECT_EQ(hits[i].spec.address, counter_);
    // A data watchpoint traps after the write: ip is in the program, not at 0.
    EXPECT_NE(hits[i].ip, 0u);
  }
}

TEST_P(WatchpointsTest, ReadWriteHitsReadsToo) {
  start();
  add(counter_, 4, WatchKind::ReadWrite);
  std::vector<WatchHit> hits = run();
  // Each round writes counter and reads it back: a write hit (value changed) then a read
  // hit (value unchanged).
  ASSERT_EQ(hits.size(), 10u);
  for (std::size_t i = 0; i < hits.size(); i += 2) {
    EXPECT_NE(hits[i].old_value, hits[i].new_value) << "write " << i;
    EXPECT_EQ(hits[i + 1].old_value, hits[i + 1].new_value) << "read " << i + 1;
  }
}

TEST_P(WatchpointsTest, ExecuteHitsStopAtTheInstruction) {
  start();
  add(touch_, 1, WatchKind::Execute);
  std::vector<WatchHit> hits = run();
  ASSERT_EQ(hits.size(), 5u);
  for (const WatchHit& hit : hits) {
    EXPECT_EQ(hit.ip, touch_);
    EXPECT_FALSE(hit.old_value.has_value());
  }
}

TEST_P(WatchpointsTest, WidestWatchSeesTheWholeValue) {
  start();
  unsigned len = GetParam() == 64 ? 8 : 4;
  add(wide_, len, WatchKind::Write);
  std::vector<WatchHit> hits = run();
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].old_value, 0u);
  EXPECT_EQ(hits[0].new_value, GetParam() == 64 ? 0x1122334455667788ULL : 0x55667788ULL);
}

TEST_P(WatchpointsTest, ThreadCreatedLaterGetsTheWatchpoint) {
  start({"thread"});
  add(counter_, 4, WatchKind::Write);
  std::vector<WatchHit> hits = run();
  ASSERT_EQ(hits.size(), 5u);
  for (const WatchHit& hit : hits) EXPECT_NE(hit.tid, pid_) << "the write is the new thread's";
}

TEST_P(WatchpointsTest, RemovedWatchpointsDoNotHit) {
  start();
  int a = add(counter_, 4, WatchKind::Write);
  add(touch_, 1, WatchKind::Execute);
  ASSERT_EQ(enabled_slots(pid_), 2);
  ASSERT_TRUE(watch_->remove(a).ok());
  EXPECT_EQ(enabled_slots(pid_), 1);
  ASSERT_TRUE(watch_->remove_all().ok());
  EXPECT_EQ(enabled_slots(pid_), 0) << "no enable bit left";
  EXPECT_EQ(watch_->size(), 0u);
  EXPECT_TRUE(run().empty());
}

TEST_P(WatchpointsTest, ErrorsLeaveNothingSet) {
  start();
#if defined(__aarch64__)
  // A byte-select mask over one aligned doubleword; instructions are 4-byte words.
  EXPECT_TRUE(contains(add_error(counter_, 9, WatchKind::Write), "1 to 8 bytes"));
  EXPECT_TRUE(
      contains(add_error((counter_ & ~7ULL) + 6, 4, WatchKind::Write), "one 8-byte-aligned"));
  EXPECT_TRUE(contains(add_error(touch_ + 2, 4, WatchKind::Execute), "4-byte aligned"));
  // A kernel address: the kernel refuses per-task breakpoints there (EINVAL).
  EXPECT_TRUE(contains(add_error(0xffff800008000000ULL, 8, WatchKind::Write), "refused"));
#else
  EXPECT_TRUE(contains(add_error(counter_, 3, WatchKind::Write), "1, 2, 4 or 8 bytes"));
  EXPECT_TRUE(contains(add_error(counter_ + 1, 4, WatchKind::Write), "multiple of the length"));
  EXPECT_TRUE(contains(add_error(touch_, 4, WatchKind::Execute), "length 1"));
  if (GetParam() == 32) {
    EXPECT_TRUE(contains(add_error(wide_, 8, WatchKind::Write), "64-bit tracee"));
  } else {
    // Aligned but not a user-space address: the kernel refuses it (EINVAL).
    EXPECT_TRUE(contains(add_error(0xffffffffff600000ULL, 8, WatchKind::Write), "refused"));
  }
#endif
  EXPECT_EQ(enabled_slots(pid_), 0);
  EXPECT_EQ(watch_->size(), 0u);

  add(counter_, 4, WatchKind::Write);
  add(wide_, 4, WatchKind::Write);
  add(touch_, 1, WatchKind::Execute);
  add(bytes_, 1, WatchKind::ReadWrite);
  const std::vector<std::uint64_t> full = hw_state(pid_);
  EXPECT_EQ(enabled_slots(pid_), 4);
  EXPECT_TRUE(contains(add_error(bytes_ + 1, 1, WatchKind::Write), "all 4 "));
  EXPECT_TRUE(contains(add_error(bytes_ + 1, 1, WatchKind::Write), " in use"));
  EXPECT_EQ(hw_state(pid_), full);
  EXPECT_EQ(watch_->size(), 4u);
  ASSERT_TRUE(watch_->remove_all().ok());
  EXPECT_EQ(enabled_slots(pid_), 0);
  EXPECT_TRUE(run().empty());
}

INSTANTIATE_TEST_SUITE_P(Bits, WatchpointsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("x{}", info.param); });

}  // namespace
}  // namespace ptk_test
