// The C++ hook API (tamper::Hook, SyscallContext, Tamperer) on real tracees, 64-bit and 32-bit:
// skipping a call with a value, changing arguments and the syscall number, borrowed memory
// given back bit for bit, registers put back, signals, marks, threads and forks.
#include <signal.h>

#include <cerrno>
#include <cstring>

#include "ptk/arch/remote_abi.h"
#include "ptk/tamper/inject_hook.h"
#include "tamper_util.h"

namespace ptk_test {
namespace {

using ptk::Arch;
using ptk::tamper::SyscallContext;
using ptk::tamper::Tamperer;

class TamperHook : public ptk_test::BitsTest {
 protected:
  std::string prog(std::string_view name) const { return tracee_path(name, GetParam()); }
  Arch arch() const { return ptk_test::arch_of_bits(GetParam()); }
};

TEST_P(TamperHook, SkipGivesTheValueAndTheKernelRunsNothing) {
  Tamperer t;
  std::vector<std::int64_t> kernel;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) { EXPECT_TRUE(ctx.skip(4242).ok()); };
  h.exit = [&](SyscallContext& ctx) {
    kernel.push_back(ctx.kernel_ret());
    EXPECT_EQ(ctx.ret(), 4242);
  };
  HookedRun r = run_hooked({prog("tamper_calls"), "getpid", "2"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, "getpid 4242\ngetpid 4242\n");
  EXPECT_EQ(r.ended, "exited with 0");
  EXPECT_EQ(kernel, (std::vector<std::int64_t>{-ENOSYS, -ENOSYS}));
}

TEST_P(TamperHook, SkipWithAnError) {
  Tamperer t;
  auto& h = add_hook(t, named("openat"));
  h.entry = [](SyscallContext& ctx) {
    // Only the tracee's own open (the loader opens libraries with openat too).
    auto path = ctx.memory().read_string(ptk::RemoteAddr(ctx.arg(1)), 256);
    if (path.ok() && path->bytes == "/etc/hostname") {
      EXPECT_TRUE(ctx.skip(-EACCES).ok());
    }
  };
  HookedRun r = run_hooked({prog("tamper_calls"), "cat", "/etc/hostname"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, fmt::format("open: errno {}\n", EACCES));
  EXPECT_EQ(r.ended, "exited with 3");
}

TEST_P(TamperHook, SetArgChangesWhatTheKernelSees) {
  Tamperer t;
  auto& h = add_hook(t, named("write"));
  h.entry = [](SyscallContext& ctx) {
    EXPECT_EQ(ctx.arg(0), 1u);
    EXPECT_TRUE(ctx.set_arg(2, 5).ok());
    EXPECT_EQ(ctx.arg(2), 5u);  // arg() reads back the new value
  };
  h.exit = [](SyscallContext& ctx) {
    EXPECT_EQ(ctx.ret(), 5);
    EXPECT_FALSE(ctx.set_arg(2, 1).ok());  // entry only
  };
  HookedRun r = run_hooked({prog("hello_writes")}, {.hooks = {&t}});
  EXPECT_EQ(r.out, "hellosecon");
  EXPECT_EQ(r.ended, "exited with 0");
}

TEST_P(TamperHook, SetSyscallRunsAnother) {
  Tamperer t;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) {
    EXPECT_FALSE(ctx.set_return(1).ok());  // exit only
    EXPECT_TRUE(ctx.set_syscall(ptk::find_syscall(ctx.arch(), "getppid")->nr).ok());
  };
  HookedRun r = run_hooked({prog("tamper_calls"), "getpid", "1"}, {.hooks = {&t}});
  // The tracee is this test's child: getppid is the test's pid.
  EXPECT_EQ(r.out, fmt::format("getpid {}\n", ::getpid()));
  EXPECT_EQ(r.ended, "exited with 0");
}

// The thread's registers and the stack below its stack pointer, at entry before the Tamperer
// and at exit after it.
struct Snapshot {
  ptk::Registers regs;
  std::vector<std::byte> stack;
};

Snapshot snapshot(ptk::Session& session, pid_t tid) {
  Snapshot s;
  auto regs = session.get_regs(tid);
  EXPECT_TRUE(regs.ok());
  if (!regs.ok()) return s;
  s.regs = *regs;
  s.stack.resize(8192);
  EXPECT_TRUE(
      session.memory(tid).read_exact(ptk::RemoteAddr(regs->sp() - s.stack.size()), s.stack).ok());
  return s;
}

TEST_P(TamperHook, BorrowedMemoryAndArgumentsAreGivenBackBitForBit) {
  Tamperer t;
  std::uint64_t borrowed = 0;
  std::string seen_in_scratch;
  auto& h = add_hook(t, named("openat"));
  h.entry = [&](SyscallContext& ctx) {
    auto path = ctx.memory().read_string(ptk::RemoteAddr(ctx.arg(1)), 256);
    if (!path.ok() || path->bytes != "/nonexistent/file") return;
    auto p = ctx.push_string("/etc/hostname");
    ASSERT_TRUE(p.ok()) << p.error().message();
    borrowed = p->addr();
    EXPECT_EQ(borrowed % 16, 0u);
    EXPECT_TRUE(ctx.set_arg(1, borrowed).ok());
  };
  h.exit = [&](SyscallContext& ctx) {
    if (borrowed == 0 || !seen_in_scratch.empty()) return;
    // Still lent during the exit hooks.
    auto s = ctx.memory().read_string(ptk::RemoteAddr(borrowed), 64);
    if (s.ok()) seen_in_scratch = s->bytes;
  };
  // Probes around the Tamperer: the first sees the entry before it, the last the exit after.
  std::optional<Snapshot> before, after;
  Probe first, last;
  first.name = last.name = "openat";
  first.entry = [&](ptk::Session& session, ptk::sys::DecodedSyscall& sc) {
    auto path = session.memory(sc.tid).read_string(ptk::RemoteAddr(sc.raw_args[1]), 256);
    if (path.ok() && path->bytes == "/nonexistent/file") before = snapshot(session, sc.tid);
  };
  last.exit = [&](ptk::Session& session, ptk::sys::DecodedSyscall& sc) {
    if (before && !after) after = snapshot(session, sc.tid);
  };
  HookedRun r = run_hooked({prog("tamper_calls"), "cat", "/nonexistent/file"},
                           {.hooks = {&first, &t, &last}});
  std::string hostname = read_all(ptk::UniqueFd(::open("/etc/hostname", O_RDONLY)).get());
  EXPECT_EQ(r.out, hostname);
  EXPECT_EQ(r.ended, "exited with 0");
  EXPECT_EQ(seen_in_scratch, "/etc/hostname");
  ASSERT_TRUE(before && after);
  ASSERT_EQ(before->regs.sp(), after->regs.sp());
  EXPECT_TRUE(before->stack == after->stack) << "the stack below sp was not restored";
  // Every register but the result and the kernel's saved number is as the program left it.
  ptk::Registers a = after->regs;
  a.set(ptk::RegRole::Ret, before->regs.get(ptk::RegRole::Ret));
  a.set(ptk::RegRole::OrigSyscallNo, before->regs.get(ptk::RegRole::OrigSyscallNo));
  // aarch64's x7 reads as the stop's direction at both stops (0 entry, 1 exit), not the
  // program's value (arch/arm64/kernel/ptrace.c, report_syscall).
  if (auto marker = ptk::remote_abi(a.arch()).syscall_stop_clobber) {
    a.set(*marker, before->regs.get(*marker));
  }
  EXPECT_TRUE(a == before->regs) << "registers differ after the exit";
}

TEST_P(TamperHook, RaiseSendsASignalToTheThread) {
  Tamperer t;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) { EXPECT_TRUE(ctx.raise(SIGUSR1).ok()); };
  HookedRun r = run_hooked({prog("tamper_calls"), "getpid", "1"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, "");  // dies before it prints
  EXPECT_EQ(r.ended, "killed by SIGUSR1");
}

TEST_P(TamperHook, MarksShowOnReportedSyscalls) {
  Tamperer t;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) { EXPECT_TRUE(ctx.skip(7).ok()); };
  h.exit = [](SyscallContext& ctx) {
    ctx.mark("(INJECTED)");
    ctx.mark("(DELAYED)");
    ctx.mark("(INJECTED)");  // once
  };
  HookedRun r =
      run_hooked({prog("tamper_calls"), "getpid", "1"}, {.report_all = true, .hooks = {&t}});
  EXPECT_NE(std::find(r.reported.begin(), r.reported.end(), "getpid = 7 (INJECTED) (DELAYED)"),
            r.reported.end())
      << fmt::format("{}", fmt::join(r.reported, "\n"));
}

TEST_P(TamperHook, ForkedChildrenAreTamperedWithToo) {
  Tamperer t;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) { EXPECT_TRUE(ctx.skip(4242).ok()); };
  HookedRun r = run_hooked({prog("tamper_calls"), "fork"}, {.follow = true, .hooks = {&t}});
  EXPECT_EQ(r.out, "child 4242\nparent 4242\n");
  EXPECT_EQ(r.ended, "exited with 7");
}

TEST_P(TamperHook, EveryThreadIsTamperedWith) {
  Tamperer t;
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) { EXPECT_TRUE(ctx.skip(4242).ok()); };
  HookedRun r = run_hooked({prog("tamper_calls"), "threads", "4"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, "thread 4242\nthread 4242\nthread 4242\nthread 4242\n");
  EXPECT_EQ(r.ended, "exited with 0");
}

// An InjectHook checks at exit that the kernel did what the spec meant, and says so once when
// it did not (here a later hook ran another syscall instead of the skip).
TEST_P(TamperHook, InjectSaysWhenTheKernelDidNotDoIt) {
  Tamperer t;
  auto spec = ptk::tamper::parse_inject_spec("getpid:error=ENOENT", false);
  ASSERT_TRUE(spec.ok());
  auto inject = std::make_unique<ptk::tamper::InjectHook>(std::vector{*spec});
  std::vector<std::string> warnings;
  inject->set_warn([&](const std::string& w) { warnings.push_back(w); });
  t.add(std::move(inject));
  auto& h = add_hook(t, named("getpid"));
  h.entry = [](SyscallContext& ctx) {
    EXPECT_TRUE(ctx.set_syscall(ptk::find_syscall(ctx.arch(), "getppid")->nr).ok());
  };
  HookedRun r = run_hooked({prog("tamper_calls"), "getpid", "2"}, {.hooks = {&t}});
  EXPECT_EQ(r.out, fmt::format("getpid {}\ngetpid {}\n", ::getpid(), ::getpid()));
  ASSERT_EQ(warnings.size(), 1u);  // once
  EXPECT_TRUE(contains(
      warnings[0],
      fmt::format("getpid in {} returned {}, not the injected -1 ENOENT", r.pid, ::getpid())))
      << warnings[0];
}

INSTANTIATE_TEST_SUITE_P(Abi, TamperHook, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

// `int $0x80` from 64-bit code is an i386 syscall: tampered through the i386 view, with all
// 64 bits of the program's registers put back (tests/tracees/int80.c keeps high bits in rbx).
TEST(TamperHookInt80, I386CallFrom64BitCode) {
  PTK_REQUIRE_HOST(ptk::HostCapability::I386Programs);
  Tamperer t;
  auto& h = add_hook(t, named_on(Arch::I386, "getpid"));
  h.entry = [](SyscallContext& ctx) {
    EXPECT_EQ(ctx.arch(), Arch::I386);
    EXPECT_EQ(ctx.arg(0), 5u);  // the ABI's 32-bit view of rbx
    EXPECT_TRUE(ctx.set_arg(0, 7).ok());
    EXPECT_TRUE(ctx.skip(4242).ok());
  };
  std::uint64_t rbx_after = 0;
  Probe last;
  last.name = "getpid";
  last.exit = [&](ptk::Session& session, ptk::sys::DecodedSyscall& sc) {
    if (sc.arch != Arch::I386) return;
    auto regs = session.get_regs(sc.tid);
    ASSERT_TRUE(regs.ok());
    rbx_after = *regs->by_name("rbx");
  };
  HookedRun r = run_hooked({tracee_path("int80", 64)}, {.hooks = {&t, &last}});
  EXPECT_EQ(r.ended, "exited with 1");  // its getpid did not return the pid
  EXPECT_EQ(rbx_after, 0x1234567800000005u);
}

}  // namespace
}  // namespace ptk_test
