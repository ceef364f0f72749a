// Letting go (Ctrl-C on ptk) while a tampered syscall is blocked in the kernel: Tracer::run
// interrupts the thread, the Tamperer gives back the borrowed stack memory and the program's
// argument registers, and after the detach the program's own call is restarted and works.
#include <csignal>

#include "tamper_util.h"

namespace ptk_test {
namespace {

using ptk::tamper::SyscallContext;
using ptk::tamper::Tamperer;

class TamperDetach : public ptk_test::BitsTest {};

TEST_P(TamperDetach, StopInABlockedTamperedCallLeavesTheProgramCorrect) {
  Pipe out = make_pipe(), in = make_pipe();
  ptk::Session session;
  auto pid = spawn_with_stdio(session, {tracee_path("tamper_calls", GetParam()), "echo"},
                              in.read_end.get(), out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  in.read_end.reset();

  // The program's read(0, buf, 64) is made to read into borrowed stack memory instead.
  Tamperer t;
  std::uint64_t scratch = 0;
  auto& h = add_hook(t, named("read"));
  h.entry = [&](SyscallContext& ctx) {
    if (ctx.arg(0) != 0) return;
    auto p = ctx.borrow(64);
    ASSERT_TRUE(p.ok()) << p.error().message();
    scratch = p->addr();
    EXPECT_TRUE(ctx.set_arg(1, scratch).ok());
    // The memory holds something else while lent: the test can tell it was given back.
    std::vector<std::byte> junk(64, std::byte{0xa5});
    EXPECT_TRUE(ctx.memory().write(ptk::RemoteAddr(scratch), junk).ok());
  };
  std::int64_t interrupted_ret = 0;
  h.exit = [&](SyscallContext& ctx) {
    if (ctx.arg(0) == 0 && interrupted_ret == 0) interrupted_ret = ctx.kernel_ret();
  };
  std::vector<std::byte> stack_before(4096), stack_after(4096);
  std::uint64_t buf_before = 0, buf_after = 0, sp = 0;
  Probe first, last;
  first.name = last.name = "read";
  first.entry = [&](ptk::Session& s, ptk::sys::DecodedSyscall& sc) {
    if (sc.raw_args[0] != 0 || sp != 0) return;
    auto regs = s.get_regs(sc.tid);
    ASSERT_TRUE(regs.ok());
    sp = regs->sp();
    buf_before = regs->arg(1);
    EXPECT_TRUE(s.memory(sc.tid).read_exact(ptk::RemoteAddr(sp - 4096), stack_before).ok());
  };
  last.exit = [&](ptk::Session& s, ptk::sys::DecodedSyscall& sc) {
    if (sc.raw_args[0] != 0 || buf_after != 0) return;
    auto regs = s.get_regs(sc.tid);
    ASSERT_TRUE(regs.ok());
    buf_after = regs->arg(1);
    EXPECT_TRUE(s.memory(sc.tid).read_exact(ptk::RemoteAddr(sp - 4096), stack_after).ok());
  };

  // "Ctrl-C" as soon as the tampered read was entered (the sink sees it after the hooks).
  volatile std::sig_atomic_t stop = 0;
  RecordingSink sink;
  sink.on_entry = [&](ptk::sys::DecodedSyscall& sc) {
    if (sc.name() == "read" && sc.raw_args[0] == 0) stop = 1;
  };
  ptk::sys::TracerOptions to;
  to.filter.none();
  for (ptk::Arch a : ptk::kAllArches) to.filter.set(a, ptk::find_syscall(a, "read")->nr, true);
  to.hooks = {&first, &t, &last};
  ptk::sys::Tracer tracer(session, to, sink);
  ASSERT_TRUE(session.resume_all().ok());  // spawn left it at its first instruction
  ptk::Status s = tracer.run(&stop);
  ASSERT_TRUE(s.ok()) << s.error().message();

  EXPECT_NE(scratch, 0u);
  EXPECT_EQ(interrupted_ret, -512) << "the blocked read should return ERESTARTSYS";
  EXPECT_FALSE(t.holds(*pid));
  EXPECT_EQ(buf_after, buf_before) << "the program's buffer argument was not put back";
  EXPECT_TRUE(stack_before == stack_after) << "the borrowed stack memory was not given back";

  ASSERT_TRUE(session.detach(*pid).ok());
  ASSERT_TRUE(write_byte(in.write_end.get(), 'p'));
  in.write_end.reset();
  EXPECT_EQ(read_all(out.read_end.get()), "p");  // its own read, into its own buffer
  EXPECT_EQ(describe_status(wait_child(*pid)), "exited with 0");
}

INSTANTIATE_TEST_SUITE_P(Abi, TamperDetach, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
