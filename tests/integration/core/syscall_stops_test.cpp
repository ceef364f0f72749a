// Syscall stops: entry and exit pairs with the ABI of each syscall, for 64-bit and 32-bit
// tracees and for `int $0x80` made from 64-bit code.
#include <unistd.h>

#include <algorithm>
#include <span>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

struct WriteCall {
  std::uint64_t fd = 0, len = 0;
  std::int64_t ret = 0;
};

class SyscallStopsTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return ptk_test::arch_of_bits(bits()); }
};

TEST_P(SyscallStopsTest, WritesOfHelloWritesInTheTraceesAbi) {
  const std::int64_t write_nr = ptk::find_syscall(arch(), "write")->nr;  // 1, 4 or 64 (aarch64)
  Pipe out = make_pipe();
  ptk::Session session;
  auto pid =
      spawn_with_stdio(session, {tracee_path("hello_writes", bits())}, -1, out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
  EXPECT_EQ(read_all(out.read_end.get()), "hello, ptrace\nsecond line!\n");

  // The first stop is the exit of the execve that started the program (its entry was before
  // spawn returned); from then on entries and exits alternate.
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].kind, EventKind::SyscallExit) << describe(events[0]);
  EXPECT_EQ(events[0].syscall.nr, ptk::find_syscall(arch(), "execve")->nr);
  std::vector<WriteCall> writes;
  bool in_syscall = false;
  for (const ptk::Event& ev : std::span(events).subspan(1)) {
    if (ev.kind == EventKind::SyscallEntry) {
      // Entries and exits alternate, and every syscall is of the tracee's ABI.
      EXPECT_FALSE(in_syscall) << describe(events);
      in_syscall = true;
      EXPECT_EQ(ev.syscall.arch, arch()) << describe(ev);
      if (ev.syscall.nr == write_nr) writes.push_back({ev.syscall.args[0], ev.syscall.args[2]});
    } else if (ev.kind == EventKind::SyscallExit) {
      EXPECT_TRUE(in_syscall) << describe(events);
      in_syscall = false;
      EXPECT_EQ(ev.syscall.arch, arch()) << describe(ev);
      if (ev.syscall.nr == write_nr) {
        ASSERT_FALSE(writes.empty());
        EXPECT_FALSE(ev.syscall.is_error);
        writes.back().ret = ev.syscall.ret;
      }
    }
  }
  ASSERT_EQ(writes.size(), 2u) << describe(events);
  EXPECT_EQ(writes[0].fd, 1u);
  EXPECT_EQ(writes[0].len, 14u);
  EXPECT_EQ(writes[0].ret, 14);
  EXPECT_EQ(writes[1].fd, 1u);
  EXPECT_EQ(writes[1].len, 13u);
  EXPECT_EQ(writes[1].ret, 13);
}

TEST_P(SyscallStopsTest, Int80IsAnI386Syscall) {
  // Also from the 64-bit build: `int $0x80` needs the kernel's 32-bit entry.
  PTK_REQUIRE_HOST(ptk::HostCapability::I386Programs);
  ptk::Session session;
  auto pid = session.spawn({.argv = {tracee_path("int80", bits())}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  // The tracee exits 0 only when the syscall returned its pid: the tracer changed nothing.
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);

  auto is_i386_getpid = [](const ptk::Event& e) {
    return (e.kind == EventKind::SyscallEntry || e.kind == EventKind::SyscallExit) &&
           e.syscall.arch == ptk::Arch::I386 && e.syscall.nr == 20;
  };
  auto entry = std::ranges::find_if(events, is_i386_getpid);
  ASSERT_NE(entry, events.end()) << describe(events);
  EXPECT_EQ(entry->kind, EventKind::SyscallEntry);
  // A 32-bit syscall sees 32-bit arguments: rbx's upper half is not part of ebx.
  EXPECT_EQ(entry->syscall.args[0], 5u);
  auto exit = std::find_if(entry + 1, events.end(), is_i386_getpid);
  ASSERT_NE(exit, events.end()) << describe(events);
  EXPECT_EQ(exit->kind, EventKind::SyscallExit);
  EXPECT_EQ(exit->syscall.ret, *pid);
  EXPECT_FALSE(exit->syscall.is_error);
  // The syscalls around it are in the program's own ABI.
  ASSERT_NE(entry, events.begin());
  auto before = std::find_if(std::make_reverse_iterator(entry), events.rend(),
                             [](const ptk::Event& e) { return e.kind == EventKind::SyscallExit; });
  ASSERT_NE(before, events.rend());
  EXPECT_EQ(before->syscall.arch, arch());
  auto after = std::find_if(exit + 1, events.end(),
                            [](const ptk::Event& e) { return e.kind == EventKind::SyscallEntry; });
  ASSERT_NE(after, events.end());
  EXPECT_EQ(after->syscall.arch, arch());
}

TEST_P(SyscallStopsTest, ThreadArchFollowsTheProgram) {
  ptk::Session session;
  auto pid = session.spawn({.argv = {tracee_path("hello_writes", bits())}});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_NE(session.thread(*pid), nullptr);
  EXPECT_EQ(session.thread(*pid)->arch, arch());
  auto regs = session.get_regs(*pid);
  ASSERT_TRUE(regs.ok()) << regs.error().message();
  EXPECT_EQ(regs->arch(), arch());
  EXPECT_EQ(regs->abi_info().word_size, bits() / 8);
}

INSTANTIATE_TEST_SUITE_P(Bits, SyscallStopsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
