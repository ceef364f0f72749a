// BreakpointSet on the library: reads through the Session's Memory never show an inserted int3,
// while the process's memory does hold it; hits at the breakpoint are all seen and stepped over.
#include <fmt/format.h>

#include <array>

#include "ptk/debug/breakpoints.h"
#include "ptk/debug/disasm.h"
#include "ptk/debug/symbols.h"
#include "test_util.h"

namespace ptk_test {
namespace {

class BreakMemoryTest : public ptk_test::BitsTest {};

TEST_P(BreakMemoryTest, ReadsShowTheOriginalBytesAtEveryHit) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ptk::UniqueFd null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  auto pid = spawn_with_stdio(session, {tracee_path("break_calls", GetParam()), "3"}, null.get(),
                              null.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  auto table = ptk::debug::SymbolTable::load(*pid, &session.memory(*pid));
  ASSERT_TRUE(table.ok()) << table.error().message();
  auto found = table->find("break_by_symbol");
  ASSERT_FALSE(found.empty());
  std::uint64_t address = found.front()->address;

  std::array<std::byte, 16> original{};
  ASSERT_TRUE(session.memory(*pid).read_exact(ptk::RemoteAddr(address), original).ok());
  ptk::debug::BreakpointSet bps(session);  // no scratch allocator: the classic step-over
  ASSERT_TRUE(bps.insert(*pid, address).ok());
  ptk::Memory raw(*pid);  // a reader of its own, without the set's filter
  // The breakpoint instruction's first byte: int3 (0xcc), or brk #0's (0x00, little-endian).
  const int trap_first = ptk::abi(ptk_test::arch_of_bits(GetParam())).breakpoint_insn[0];
  auto check = [&](const char* when) {
    std::byte b{};
    ASSERT_TRUE(raw.read_exact(ptk::RemoteAddr(address), std::span(&b, 1)).ok());
    EXPECT_EQ(std::to_integer<int>(b), trap_first)
        << when << ": the breakpoint is not in the process";
    // From a few bytes before, so that the breakpoint is inside the read, not at its start.
    std::array<std::byte, 20> around{}, around_raw{};
    ASSERT_TRUE(session.memory(*pid).read_exact(ptk::RemoteAddr(address - 4), around).ok());
    ASSERT_TRUE(raw.read_exact(ptk::RemoteAddr(address - 4), around_raw).ok());
    EXPECT_TRUE(std::equal(original.begin(), original.end(), around.begin() + 4)) << when;
    EXPECT_EQ(std::to_integer<int>(around_raw[4]), trap_first) << when;
    ptk::debug::Disassembler dis;
    auto insn = dis.decode_at(session.memory(*pid), ptk_test::arch_of_bits(GetParam()), address);
    ASSERT_TRUE(insn.ok());
    EXPECT_NE(insn->mnemonic, "int3") << when;
  };
  check("after insertion");
  ASSERT_TRUE(session.resume_all().ok());
  int hits = 0;
  int exit_code = -1;
  while (!session.empty()) {
    auto ev = session.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    if (ev->kind == ptk::EventKind::Exited) {
      if (ev->tid == *pid) exit_code = ev->exit_code;
      continue;
    }
    auto hit = bps.match(*ev);
    ASSERT_TRUE(hit.ok()) << hit.error().message();
    if (*hit) {
      ++hits;
      EXPECT_EQ((*hit)->address, address);
      check(fmt::format("at hit {}", hits).c_str());
      ASSERT_TRUE(bps.step_over(**hit).ok());
      continue;
    }
    ASSERT_TRUE(session.resume(*ev).ok()) << describe(*ev);
  }
  EXPECT_EQ(hits, 3);
  EXPECT_EQ(exit_code, 0);
  // Without scratch memory there is no slot: x86 steps over classically; on aarch64 the
  // function starts with adrp, which is emulated.
  EXPECT_EQ(bps.stats().slot, 0u);
  EXPECT_EQ(bps.stats().classic + bps.stats().emulated, 3u);
}

INSTANTIATE_TEST_SUITE_P(Abi, BreakMemoryTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
