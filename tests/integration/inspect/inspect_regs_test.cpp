// `ptk regs` on the inspect_target tracee: register values the tracee put in place before
// blocking, its TLS base, eflags and segments decoded, --json through jq, every thread, and
// the process left as it was (running, or stopped).
#include "inspect_util.h"

namespace ptk_test {
namespace {

class InspectRegs : public ptk_test::BitsTest {};

#if defined(__aarch64__)
// aarch64: inspect_target's known values are in x19/x20 and the flags register is PSTATE. The
// read is seen as the kernel set it up for its restart before the stop (do_signal() in
// arch/arm64/kernel/signal.c): syscallno forgotten (-1), x0 back to the fd, pc back on the svc,
// x8 still the number. Its TLS pointer (tpidr_el0) is a regset of its own (NT_ARM_TLS) that
// `ptk regs` does not read, so it is not checked here.
TEST_P(InspectRegs, ShowsTheValuesTheTraceeSet) {
  InspectTarget t(GetParam());
  CommandResult r = ptk({"regs", str(t.pid())});
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(contains(r.out, fmt::format("Thread {} (inspect_target_) aarch64:", t.pid())));
  EXPECT_TRUE(contains(line_starting(r.out, "x19"), "0x1122334455667788"));
  std::string b = line_starting(r.out, "x20");
  EXPECT_TRUE(contains(b, "0x123456789abcdef ")) << b;
  EXPECT_TRUE(contains(b, " 81985529216486895")) << b;
  EXPECT_TRUE(contains(line_starting(r.out, "syscallno"), "0xffffffffffffffff  -1")) << r.out;
  EXPECT_TRUE(contains(line_starting(r.out, "x8"), "0x3f ")) << r.out;  // read
  EXPECT_TRUE(contains(line_starting(r.out, "x0"), "0x0 ")) << r.out;   // fd 0
  EXPECT_TRUE(contains(line_starting(r.out, "pc"), "<raw_read_known+0x")) << r.out;
  // PSTATE under its own names, not EFLAGS': user code runs at EL0, so no EL= field.
  std::string pstate = line_starting(r.out, "pstate");
  EXPECT_TRUE(contains(pstate, " [") && pstate.ends_with(" ]")) << pstate;
  EXPECT_FALSE(contains(pstate, "EL=") || contains(pstate, "IF")) << pstate;
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}
#else
TEST_P(InspectRegs, ShowsTheValuesTheTraceeSet) {
  InspectTarget t(GetParam());
  CommandResult r = ptk({"regs", str(t.pid())});
  ASSERT_TRUE(succeeded(r));
  bool is64 = GetParam() == 64;
  EXPECT_TRUE(contains(
      r.out, fmt::format("Thread {} (inspect_target_) {}:", t.pid(), is64 ? "x86_64" : "i386")));
  // Known values in registers the blocking read(2) leaves alone.
  EXPECT_TRUE(contains(line_starting(r.out, is64 ? "r12" : "esi"),
                       is64 ? "0x1122334455667788" : "0x11223344"));
  std::string b = line_starting(r.out, is64 ? "r13" : "edi");
  EXPECT_TRUE(contains(b, is64 ? "0x123456789abcdef " : "0x55667788 "));
  EXPECT_TRUE(contains(b, is64 ? " 81985529216486895" : " 1432778632"));  // and in decimal
  // The read's fd argument (0) and the syscall it is in (read).
  EXPECT_TRUE(contains(line_starting(r.out, is64 ? "rdi" : "ebx"), "0x0 "));
  EXPECT_TRUE(contains(line_starting(r.out, is64 ? "orig_rax" : "orig_eax"),
                       is64 ? "0 (read)" : "3 (read)"));
  EXPECT_TRUE(contains(line_starting(r.out, is64 ? "rip" : "eip"), "<raw_read_known+0x"));
  // The thread pointer the tracee read through its TLS segment.
  std::string tls = fmt::format("{:#x}", t.value("tls"));
  EXPECT_TRUE(contains(line_starting(r.out, is64 ? "fs_base" : "gs_base"), tls));
  EXPECT_TRUE(contains(line_starting(r.out, "eflags"), " IF ]"));
  EXPECT_TRUE(contains(line_starting(r.out, "cs"),
                       is64 ? "51 user code (64-bit)" : "35 user code (32-bit)"));
  if (!is64) {
    EXPECT_TRUE(contains(line_starting(r.out, "gs"), "TLS"));
  }
  // The read was restarted transparently: the tracee serves commands as before.
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}
#endif

TEST_P(InspectRegs, JsonHasOneObjectPerThread) {
  InspectTarget t(GetParam(), "threads");
  TempFile out("regs-json");
  CommandResult r = ptk({"regs", str(t.pid()), "--all", "--json"});
  ASSERT_TRUE(succeeded(r));
  {
    std::ofstream f(out.path());
    f << r.out;
  }
  bool is64 = GetParam() == 64;
#if defined(__aarch64__)
  // PSTATE's bits and exception level; no TLS base (see ShowsTheValuesTheTraceeSet).
  std::string filter = fmt::format(
      "length == 2 and .[0].tid == {} and .[1].tid == {} and .[1].name == \"inspect-worker\" "
      "and .[0].arch == \"aarch64\" and .[0].regs.x19 == \"0x1122334455667788\" "
      "and .[0].ip_symbol == \"raw_read_known\" and (.[0].pstate_flags | type) == \"array\" "
      "and .[0].el == 0 and (.[0] | has(\"eflags_flags\") | not)",
      t.pid(), t.value("worker"));
  (void)is64;
#else
  std::string filter = fmt::format(
      "length == 2 and .[0].tid == {} and .[1].tid == {} and .[1].name == \"inspect-worker\" "
      "and .[0].arch == \"{}\" and .[0].regs.{} == \"{}\" and .[0].ip_symbol == \"raw_read_known\" "
      "and (.[0].eflags_flags | index(\"IF\")) != null and .[0].regs.{} == \"{:#x}\"",
      t.pid(), t.value("worker"), is64 ? "x86_64" : "i386", is64 ? "r12" : "esi",
      is64 ? "0x1122334455667788" : "0x11223344", is64 ? "fs_base" : "gs_base", t.value("tls"));
#endif
  CommandResult jq = run_command({"/usr/bin/jq", "-s", "-e", filter, out.path()});
  EXPECT_TRUE(WIFEXITED(jq.status) && WEXITSTATUS(jq.status) == 0) << jq.err << r.out;
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST_P(InspectRegs, SelectsAThread) {
  InspectTarget t(GetParam(), "threads");
  auto worker = static_cast<pid_t>(t.value("worker"));
  CommandResult r = ptk({"regs", str(t.pid()), "--tid", str(worker)});
  ASSERT_TRUE(succeeded(r));
  EXPECT_TRUE(contains(r.out, fmt::format("Thread {} (inspect-worker)", worker)));
  EXPECT_FALSE(contains(r.out, fmt::format("Thread {} ", t.pid())));
  // A thread id given as the process id: that thread.
  CommandResult by_tid = ptk({"regs", str(worker)});
  ASSERT_TRUE(succeeded(by_tid));
  EXPECT_TRUE(contains(by_tid.out, fmt::format("Thread {} (inspect-worker)", worker)));
  // A thread of another process: one line, nothing changed.
  CommandResult bad = ptk({"regs", str(t.pid()), "--tid", str(::getpid())});
  EXPECT_TRUE(failed_with_one_line(bad, "regs"));
  EXPECT_TRUE(contains(bad.err, "is not a thread of process"));
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

TEST_P(InspectRegs, StoppedProcessStaysStopped) {
  InspectTarget t(GetParam());
  ASSERT_EQ(::kill(t.pid(), SIGSTOP), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(t.pid(), &status, WUNTRACED), t.pid());
  ASSERT_TRUE(WIFSTOPPED(status));
  for (const char* cmd : {"regs", "bt"}) {
    CommandResult r = ptk({cmd, str(t.pid())});
    EXPECT_TRUE(succeeded(r)) << cmd;
    EXPECT_EQ(settled_state(t.pid()), 'T') << "after ptk " << cmd;
  }
  CommandResult r =
      ptk({"mem", str(t.pid()), "read", fmt::format("{:#x}", t.value("marker")), "8"});
  EXPECT_TRUE(succeeded(r));
  EXPECT_EQ(settled_state(t.pid()), 'T');
  ASSERT_EQ(::kill(t.pid(), SIGCONT), 0);
  EXPECT_EQ(t.ask('p'), "marker " + t.marker());
}

INSTANTIATE_TEST_SUITE_P(Abi, InspectRegs, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
