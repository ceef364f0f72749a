// The core's register I/O on this host's own ABI, with no tracee program of ptk's (`true` from
// PATH), so that it builds and runs unchanged on an x86_64 and an aarch64 host: the syscall
// number read at a stop is the one the kernel reports, a block written back unchanged reads back
// bit-identical, and a changed syscall number (orig_rax on x86_64, NT_ARM_SYSTEM_CALL on
// aarch64) changes the call that runs.
#include <cstring>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

std::int64_t host_nr(std::string_view name) {
  const ptk::SyscallSpec* spec = ptk::find_syscall(ptk::kHostArches[0], name);
  return spec == nullptr ? -1 : spec->nr;
}

// Reads, writes back and reads again the registers of a stopped thread.
void expect_round_trip(ptk::Session& session, pid_t tid) {
  auto before = session.get_regs(tid);
  ASSERT_TRUE(before.ok()) << before.error().message();
  EXPECT_EQ(before->arch(), ptk::kHostArches[0]);
  ASSERT_TRUE(session.set_regs(tid, *before).ok());
  auto after = session.get_regs(tid);
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(*before, *after);
  EXPECT_EQ(
      std::memcmp(before->host_block().data(), after->host_block().data(), ptk::kHostRegsSize), 0);
}

TEST(CoreRegs, SyscallNumberReadsAndWritesOnTheHostAbi) {
  ptk::Session session;
  auto pid = session.spawn({.argv = {"true"}, .stop_before_exec = true});
  ASSERT_TRUE(pid.ok()) << pid.error().message();

  // The execve entry: the number, the arguments and the pointers agree with the kernel's view.
  auto entry = session.wait();
  ASSERT_TRUE(entry.ok()) << entry.error().message();
  ASSERT_EQ(entry->kind, EventKind::SyscallEntry) << describe(*entry);
  auto regs = session.get_regs(*pid);
  ASSERT_TRUE(regs.ok()) << regs.error().message();
  EXPECT_EQ(static_cast<std::int64_t>(regs->orig_syscall_no()), host_nr("execve"));
  EXPECT_EQ(static_cast<std::int64_t>(regs->orig_syscall_no()), entry->syscall.nr);
  EXPECT_EQ(regs->ip(), entry->syscall.ip);
  EXPECT_EQ(regs->sp(), entry->syscall.sp);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(regs->arg(i), entry->syscall.args[static_cast<std::size_t>(i)]) << "arg " << i;
  }
  expect_round_trip(session, *pid);

  // The first syscall of the new program, whatever it is, becomes getpid.
  ASSERT_TRUE(session.resume(*pid).ok());
  auto exec = wait_until(session, [](const ptk::Event& e) { return e.kind == EventKind::Exec; });
  ASSERT_TRUE(exec.has_value());
  ASSERT_TRUE(session.resume(*exec).ok());
  auto first = wait_until(session, [](const ptk::Event& e) {
    return e.kind == EventKind::SyscallEntry && e.syscall.nr != host_nr("execve");
  });
  ASSERT_TRUE(first.has_value());
  expect_round_trip(session, *pid);
  regs = session.get_regs(*pid);
  ASSERT_TRUE(regs.ok());
  regs->set_orig_syscall_no(static_cast<std::uint64_t>(host_nr("getpid")));
  ASSERT_TRUE(session.set_regs(*pid, *regs).ok());
  ASSERT_TRUE(session.resume(*first).ok());
  auto exit = session.wait();
  ASSERT_TRUE(exit.ok()) << exit.error().message();
  ASSERT_EQ(exit->kind, EventKind::SyscallExit) << describe(*exit);
  EXPECT_EQ(exit->syscall.ret, *pid) << describe(*exit);
  regs = session.get_regs(*pid);
  ASSERT_TRUE(regs.ok());
  EXPECT_EQ(regs->retval(), *pid);
  EXPECT_EQ(static_cast<std::int64_t>(regs->orig_syscall_no()), host_nr("getpid"));
  expect_round_trip(session, *pid);
  // The program got a pid for its first call's answer: it is not run further (the session
  // kills what it spawned).
}

}  // namespace
}  // namespace ptk_test
