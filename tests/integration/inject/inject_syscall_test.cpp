// Remote syscalls into a thread blocked in read or nanosleep: the injected calls work, the
// registers and memory are bit-identical after the restore, and after detaching the
// interrupted call carries on as if nothing had happened.
#include <signal.h>
#include <sys/mman.h>

#include "inject_util.h"
#include "ptk/inject/remote_bytes.h"
#include "ptk/inject/remote_memory.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk_test {
namespace {

using ptk::inject::RemoteSyscalls;

constexpr std::int64_t kErestartsys = -512;
constexpr std::int64_t kErestartRestartblock = -516;

// The registers of a thread stopped (by the attach) inside syscall `nr`, which the kernel will
// restart. x86 stops with the error code in the return register and the call's number in
// orig_rax/orig_eax, and rewinds it when the thread leaves the stop. arm64 has rewound it
// already (do_signal in arch/arm64/kernel/signal.c runs the restart rules before get_signal
// stops the thread): pc back on the svc, x0 its first argument again, the call forgotten.
void expect_interrupted_call(ptk::Session& session, pid_t tid, const ptk::Registers& regs, long nr,
                             std::int64_t restart_code, std::uint64_t arg0) {
  if (regs.arch() != ptk::Arch::Aarch64) {
    EXPECT_EQ(regs.retval(), restart_code);
    EXPECT_EQ(static_cast<long>(regs.orig_syscall_no()), nr);
    return;
  }
  (void)restart_code;
  const ptk::AbiInfo& abi = regs.abi_info();
  std::vector<std::byte> insn(abi.syscall_insn.size());
  ASSERT_TRUE(session.memory(tid).read_exact(ptk::RemoteAddr(regs.ip()), insn).ok());
  EXPECT_TRUE(std::ranges::equal(insn, abi.syscall_insn.bytes())) << "pc is not on an svc";
  EXPECT_EQ(static_cast<long>(regs.get(ptk::remote_abi(regs.arch()).syscall_insn_nr)), nr);
  EXPECT_EQ(regs.arg(0), arg0);
  EXPECT_EQ(static_cast<std::int64_t>(regs.orig_syscall_no()), -1);
}

class InjectSyscallTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return arch_of_bits(bits()); }
  std::string tracee() const { return tracee_path("inject_blocked", bits()); }
  long nr(std::string_view name) const { return ptk::find_syscall(arch(), name)->nr; }
};

// getpid, then write(1, "injected\n", 9) with the string pushed onto the tracee's stack.
void inject_getpid_and_write(RemoteSyscalls& remote, pid_t pid) {
  auto got = remote.syscall("getpid", {});
  ASSERT_TRUE(got.ok()) << got.error().message();
  EXPECT_EQ(*got, pid);
  auto text = ptk::inject::StackBytes::push_string(remote, "injected\n");
  ASSERT_TRUE(text.ok()) << text.error().message();
  auto wrote = remote.syscall("write", {1, text->addr().addr(), 9});
  ASSERT_TRUE(wrote.ok()) << wrote.error().message();
  EXPECT_EQ(*wrote, 9);
}

TEST_P(InjectSyscallTest, BlockedReadCarriesOnAfterRestore) {
  PipedChild child({tracee(), "read"});
  ASSERT_EQ(child.line(), "ready");
  wait_blocked_in(child.pid(), arch(), {"read"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  auto before = session.get_regs(child.pid());
  ASSERT_TRUE(before.ok());
  // The scenario: stopped inside read(0, ...), which the kernel will restart.
  expect_interrupted_call(session, child.pid(), *before, nr("read"), kErestartsys, 0);
  Snapshot mem_before = snapshot(session, child.pid(), *before);
  {
    auto remote = RemoteSyscalls::open(session, child.pid());
    ASSERT_TRUE(remote.ok()) << remote.error().message();
    inject_getpid_and_write(*remote, child.pid());
    ASSERT_TRUE(remote->restore().ok());
  }
  auto after = session.get_regs(child.pid());
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(same_registers(*after, *before));
  EXPECT_TRUE(snapshot(session, child.pid(), *after) == mem_before) << "memory differs";
  ASSERT_TRUE(session.detach(child.pid()).ok());
  EXPECT_EQ(child.line(), "injected");
  // The read was not lost: it returns the next bytes written.
  ASSERT_TRUE(child.send("abc"));
  EXPECT_EQ(child.line(), "read 3: abc");
  child.close_stdin();
  EXPECT_EQ(child.line(), "eof");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

TEST_P(InjectSyscallTest, NanosleepSleepsItsFullDuration) {
  PipedChild child({tracee(), "sleep", "600"});
  ASSERT_EQ(child.line(), "ready");
  wait_blocked_in(child.pid(), arch(), {"nanosleep", "clock_nanosleep", "clock_nanosleep_time64"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  auto before = session.get_regs(child.pid());
  ASSERT_TRUE(before.ok());
  // -ERESTART_RESTARTBLOCK: the kernel resumes through restart_syscall with the time left.
  // (arm64 decides that after the attach's stop, and ptk's code runs first: the sleep starts
  // over with its full duration. See RemoteSyscalls::restore.)
  if (before->arch() != ptk::Arch::Aarch64) {
    EXPECT_EQ(before->retval(), kErestartRestartblock);
  }
  {
    auto remote = RemoteSyscalls::open(session, child.pid());
    ASSERT_TRUE(remote.ok());
    inject_getpid_and_write(*remote, child.pid());
  }
  auto after = session.get_regs(child.pid());
  ASSERT_TRUE(after.ok());
  ptk::Registers expected = *before;
  if (expected.arch() == ptk::Arch::Aarch64) {
    // What the kernel does as the thread leaves the attach's stop in place: restart_syscall.
    expected.set(ptk::remote_abi(expected.arch()).syscall_insn_nr,
                 static_cast<std::uint64_t>(nr("restart_syscall")));
  }
  EXPECT_TRUE(same_registers(*after, expected));
  ASSERT_TRUE(session.detach(child.pid()).ok());
  EXPECT_EQ(child.line(), "injected");
  EXPECT_EQ(child.line(), "slept ok");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

TEST_P(InjectSyscallTest, RemoteMappingIsMadeWrittenAndRemoved) {
  PipedChild child({tracee(), "read"});
  ASSERT_EQ(child.line(), "ready");
  wait_blocked_in(child.pid(), arch(), {"read"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  auto maps_before = ptk::read_proc_file(child.pid(), "maps");
  {
    auto remote = RemoteSyscalls::open(session, child.pid());
    ASSERT_TRUE(remote.ok());
    auto map = ptk::inject::RemoteMapping::create(*remote, 10000);
    ASSERT_TRUE(map.ok()) << map.error().message();
    EXPECT_EQ(map->size(), 12288u);
    auto maps = ptk::read_maps(child.pid());
    ASSERT_TRUE(maps.ok());
    bool found = false;
    for (const ptk::MapEntry& m : *maps) {
      found |= m.start == map->addr().addr() && m.read && m.write && !m.exec;
    }
    EXPECT_TRUE(found) << "no rw- mapping at " << map->addr().addr();
    const char msg[] = "from a mapping\n";
    ASSERT_TRUE(map->write(100, std::as_bytes(std::span(msg, sizeof msg - 1))).ok());
    ASSERT_TRUE(map->protect(PROT_READ).ok());
    auto wrote = remote->syscall("write", {1, map->addr().addr() + 100, sizeof msg - 1});
    ASSERT_TRUE(wrote.ok());
    EXPECT_EQ(*wrote, static_cast<std::int64_t>(sizeof msg - 1));
    // A failing call reports -errno.
    auto bad = remote->syscall("close", {9999});
    ASSERT_TRUE(bad.ok());
    EXPECT_EQ(*bad, -EBADF);
  }
  EXPECT_EQ(ptk::read_proc_file(child.pid(), "maps").value_or("?"), maps_before.value_or(""));
  ASSERT_TRUE(session.detach(child.pid()).ok());
  EXPECT_EQ(child.line(), "from a mapping");
  child.close_stdin();
  EXPECT_EQ(child.line(), "eof");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

// Signals that come while ptk's syscalls run are held back and delivered after, none lost:
// here the injected kill()s send them, and the next injected syscall meets them.
TEST_P(InjectSyscallTest, SignalsArrivingMeanwhileAreDeliveredAfter) {
  PipedChild child({tracee(), "read"});
  ASSERT_EQ(child.line(), "ready");
  wait_blocked_in(child.pid(), arch(), {"read"});
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  auto before = session.get_regs(child.pid());
  {
    auto remote = RemoteSyscalls::open(session, child.pid());
    ASSERT_TRUE(remote.ok());
    auto pid = static_cast<std::uint64_t>(child.pid());
    ASSERT_TRUE(remote->syscall("kill", {pid, SIGUSR1}).ok());
    ASSERT_TRUE(remote->syscall("kill", {pid, SIGUSR2}).ok());
    auto got = remote->syscall("getpid", {});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, child.pid());
    EXPECT_EQ(remote->held_signal_count(), 2u);
  }
  auto after = session.get_regs(child.pid());
  EXPECT_TRUE(same_registers(*after, *before));
  ASSERT_TRUE(session.detach(child.pid()).ok());
  // Both handlers run. On x86, as without ptk, the read, which has no SA_RESTART, then fails
  // with EINTR. arm64 rewound the read into a restart before the attach's stop, losing the
  // error code that decides it (see RemoteSyscalls::restore): the read carries on.
  std::multiset<std::string> lines;
  for (int i = 0; i < 2; ++i) lines.insert(child.line().value_or("EOF"));
  EXPECT_EQ(lines, (std::multiset<std::string>{"got SIGUSR1", "got SIGUSR2"}));
  if (arch() != ptk::Arch::Aarch64) {
    EXPECT_EQ(child.line(), "read interrupted");
  }
  ASSERT_TRUE(child.send("z"));
  EXPECT_EQ(child.line(), "read 1: z");
  child.close_stdin();
  EXPECT_EQ(child.line(), "eof");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

// Taken at a syscall-entry stop, the thread makes its call after the injection all the same.
TEST_P(InjectSyscallTest, SyscallEntryStopIsRewoundIntoTheCall) {
  Pipe in = make_pipe(), out = make_pipe();
  ptk::Session session({.syscall_stops = ptk::SyscallStops::All});
  auto pid = spawn_with_stdio(session, {tracee(), "read"}, in.read_end.get(), out.write_end.get());
  ASSERT_TRUE(pid.ok());
  in.read_end.reset();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  auto entry = wait_until(session, [&](const ptk::Event& e) {
    return e.kind == ptk::EventKind::SyscallEntry && e.syscall.nr == nr("read") &&
           e.syscall.args[0] == 0;
  });
  ASSERT_TRUE(entry.has_value());
  {
    auto remote = RemoteSyscalls::open(session, *pid);
    ASSERT_TRUE(remote.ok());
    auto got = remote->syscall("getpid", {});
    ASSERT_TRUE(got.ok()) << got.error().message();
    EXPECT_EQ(*got, *pid);
  }
  ASSERT_TRUE(session.resume(*pid).ok());
  // The read is made again: its entry, then (with a byte to read) its exit returning 1.
  auto again = wait_until(session, [&](const ptk::Event& e) {
    return e.kind == ptk::EventKind::SyscallEntry || e.kind == ptk::EventKind::SyscallExit;
  });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->kind, ptk::EventKind::SyscallEntry);
  EXPECT_EQ(again->syscall.nr, nr("read"));
  ASSERT_TRUE(write_byte(in.write_end.get(), 'q'));
  in.write_end.reset();
  ASSERT_TRUE(resume_event(session, *again));
  run_to_end(session);
  std::string text = read_all(out.read_end.get());
  EXPECT_EQ(text, "ready\nread 1: q\neof\n");
}

TEST_P(InjectSyscallTest, RefusesSyscallsItCannotUndo) {
  PipedChild child({tracee(), "read"});
  ASSERT_EQ(child.line(), "ready");
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(child.pid()).ok());
  {
    auto remote = RemoteSyscalls::open(session, child.pid());
    ASSERT_TRUE(remote.ok());
    auto r = remote->syscall("exit_group", {3});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind(), ptk::ErrorKind::Unsupported);
  }
  ASSERT_TRUE(session.detach(child.pid()).ok());
  child.close_stdin();
  EXPECT_EQ(child.line(), "eof");
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectSyscallTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
