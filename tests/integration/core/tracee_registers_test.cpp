// Registers of real tracees: get/set round-trips bit-identically, the ABI's named views agree
// with the syscall stop's own view, and changed registers change what the tracee does.
#include <unistd.h>

#include <cstring>

#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

class TraceeRegistersTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return ptk_test::arch_of_bits(bits()); }
  std::int64_t getpid_nr() const { return ptk::find_syscall(arch(), "getpid")->nr; }
  std::int64_t exit_group_nr() const { return ptk::find_syscall(arch(), "exit_group")->nr; }

  // Reads, writes back and reads again the registers of a stopped thread.
  void expect_round_trip(pid_t tid) {
    auto before = session_.get_regs(tid);
    ASSERT_TRUE(before.ok()) << before.error().message();
    ASSERT_TRUE(session_.set_regs(tid, *before).ok());
    auto after = session_.get_regs(tid);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*before, *after);
    EXPECT_EQ(
        std::memcmp(before->host_block().data(), after->host_block().data(), ptk::kHostRegsSize),
        0);
    if (arch() == ptk::Arch::I386) {
      // The i386 view and back changes nothing, bit for bit.
      ptk::Registers copy = *before;
      copy.assign_i386(before->to_i386());
      EXPECT_EQ(copy, *before);
      EXPECT_EQ(before->to_i386().eip, before->ip());
      EXPECT_EQ(before->to_i386().esp, before->sp());
    }
  }

  pid_t spawn(const std::string& name) {
    auto pid = session_.spawn({.argv = {tracee_path(name, bits())}});
    EXPECT_TRUE(pid.ok()) << pid.error().message();
    return pid.value_or(0);
  }

  ptk::Session session_;
};

TEST_P(TraceeRegistersTest, GetSetRoundTripsBitIdentically) {
  pid_t pid = spawn("hello_writes");
  ASSERT_GT(pid, 0);
  expect_round_trip(pid);
  ASSERT_TRUE(session_.resume(pid).ok());
  int entries = 0, exits = 0;
  for (;;) {
    auto ev = session_.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    if (ev->kind == EventKind::Exited) {
      EXPECT_EQ(ev->exit_code, 0);
      break;
    }
    if (ev->kind == EventKind::SyscallEntry || ev->kind == EventKind::SyscallExit) {
      expect_round_trip(ev->tid);
      auto regs = session_.get_regs(ev->tid);
      ASSERT_TRUE(regs.ok());
      EXPECT_EQ(regs->arch(), arch());
      // The named accessors agree with PTRACE_GET_SYSCALL_INFO's view of the same stop.
      EXPECT_EQ(static_cast<std::int64_t>(regs->orig_syscall_no()), ev->syscall.nr)
          << describe(*ev);
      EXPECT_EQ(regs->ip(), ev->syscall.ip);
      EXPECT_EQ(regs->sp(), ev->syscall.sp);
      if (ev->kind == EventKind::SyscallEntry) {
        ++entries;
        for (int i = 0; i < 6; ++i) {
          EXPECT_EQ(regs->arg(i), ev->syscall.args[static_cast<std::size_t>(i)])
              << describe(*ev) << " arg " << i;
        }
      } else {
        ++exits;
        // retval() is sign-extended from the ABI's word: -ENOENT reads as -2 for i386 too (an
        // i386 address at or above 2 GiB reads negative, unlike the kernel's view).
        if (arch() == ptk::Arch::I386) {
          EXPECT_EQ(static_cast<std::uint32_t>(regs->retval()),
                    static_cast<std::uint32_t>(ev->syscall.ret))
              << describe(*ev);
        } else {
          EXPECT_EQ(regs->retval(), ev->syscall.ret) << describe(*ev);
        }
        if (ev->syscall.is_error) {
          EXPECT_LT(regs->retval(), 0);
          EXPECT_EQ(regs->retval(), ev->syscall.ret) << describe(*ev);
        }
      }
    }
    ASSERT_TRUE(session_.resume(*ev).ok());
  }
  EXPECT_GT(entries, 2);
  // The exit of the execve before the first entry has no entry; exit_group has no exit.
  EXPECT_EQ(entries, exits);
}

TEST_P(TraceeRegistersTest, ChangedReturnValueReachesTheTracee) {
  pid_t pid = spawn("getpid_exit");
  ASSERT_GT(pid, 0);
  const int fake = (pid & 0x7f) == 42 ? 43 : 42;
  ASSERT_TRUE(session_.resume(pid).ok());
  auto exit = wait_until(session_, [&](const ptk::Event& e) {
    return e.kind == EventKind::SyscallExit && e.syscall.nr == getpid_nr();
  });
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->syscall.ret, pid);
  auto regs = session_.get_regs(exit->tid);
  ASSERT_TRUE(regs.ok());
  EXPECT_EQ(regs->retval(), pid);
  regs->set_retval(fake);
  ASSERT_TRUE(session_.set_regs(exit->tid, *regs).ok());
  ASSERT_TRUE(session_.resume(*exit).ok());
  std::vector<ptk::Event> events = run_to_end(session_);
  EXPECT_EQ(how_ended(events, pid), fmt::format("exited with {}", fake)) << describe(events);
}

TEST_P(TraceeRegistersTest, ChangedArgumentReachesTheKernel) {
  pid_t pid = spawn("getpid_exit");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(session_.resume(pid).ok());
  auto entry = wait_until(session_, [&](const ptk::Event& e) {
    return e.kind == EventKind::SyscallEntry && e.syscall.nr == exit_group_nr();
  });
  ASSERT_TRUE(entry.has_value());
  auto regs = session_.get_regs(entry->tid);
  ASSERT_TRUE(regs.ok());
  EXPECT_EQ(regs->arg(0), static_cast<std::uint64_t>(pid & 0x7f));
  regs->set_arg(0, 99);
  EXPECT_EQ(regs->arg(0), 99u);
  ASSERT_TRUE(session_.set_regs(entry->tid, *regs).ok());
  ASSERT_TRUE(session_.resume(*entry).ok());
  std::vector<ptk::Event> events = run_to_end(session_);
  EXPECT_EQ(how_ended(events, pid), "exited with 99") << describe(events);
}

TEST_P(TraceeRegistersTest, ByNameMatchesTheAccessors) {
  pid_t pid = spawn("hello_writes");
  ASSERT_GT(pid, 0);
  auto regs = session_.get_regs(pid);
  ASSERT_TRUE(regs.ok());
#if defined(__aarch64__)
  // No segments; fp and lr are the AAPCS64's names of x29 and x30.
  EXPECT_EQ(regs->by_name("pc"), regs->ip());
  EXPECT_EQ(regs->by_name("sp"), regs->sp());
  EXPECT_EQ(regs->by_name("fp"), regs->by_name("x29"));
  EXPECT_EQ(regs->by_name("lr"), regs->by_name("x30"));
  EXPECT_EQ(regs->by_name("rip"), std::nullopt);
  EXPECT_EQ(regs->by_name("cs"), std::nullopt);
#else
  const char* ip = bits() == 64 ? "rip" : "eip";
  const char* sp = bits() == 64 ? "rsp" : "esp";
  EXPECT_EQ(regs->by_name(ip), regs->ip());
  EXPECT_EQ(regs->by_name(sp), regs->sp());
  EXPECT_EQ(regs->by_name(bits() == 64 ? "eip" : "rip"), std::nullopt);
  // The user code segment of the ABI.
  EXPECT_EQ(regs->by_name("cs"), bits() == 64 ? 0x33u : 0x23u);
#endif
}

INSTANTIATE_TEST_SUITE_P(Bits, TraceeRegistersTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
