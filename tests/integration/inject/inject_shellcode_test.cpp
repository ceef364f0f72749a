// The shellcode runner on a checksum program blocked in read: the code runs (in a fresh mapping
// or over the instruction stream), its result is reported, a fault is caught, and afterwards
// registers, extended state, stack, code bytes and maps are as before and the program's final
// output is that of a run without ptk.
#include <signal.h>

#include "inject_code.h"
#include "inject_util.h"
#include "ptk/inject/shellcode.h"

namespace ptk_test {
namespace {

using ptk::inject::CodePlace;
using ptk::inject::CodeStop;

// The program's whole output for `input` without ptk.
std::string uninjected_output(const std::string& path, std::string_view input) {
  PipedChild child({path});
  EXPECT_TRUE(child.send(input));
  child.close_stdin();
  std::string out = child.rest();
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  return out;
}

class InjectShellcodeTest : public ::testing::TestWithParam<std::tuple<int, CodePlace>> {
 protected:
  int bits() const { return std::get<0>(GetParam()); }
  CodePlace place() const { return std::get<1>(GetParam()); }
  std::string path() const { return tracee_path("inject_target", bits()); }
  void SetUp() override { PTK_REQUIRE_BITS(bits()); }

  // Runs the target for two bytes, injects `code` while it blocks in read, checks that
  // everything is restored, then finishes the run and compares with an uninjected one.
  ptk::inject::ShellcodeReport inject_and_finish(const std::vector<std::byte>& code) {
    PipedChild child({path()});
    std::string out;
    EXPECT_TRUE(child.send("ab"));
    for (int i = 0; i < 2; ++i) out += child.line().value_or("EOF") + "\n";
    wait_blocked_in(child.pid(), arch_of_bits(bits()), {"read"});
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
    EXPECT_TRUE(session.attach(child.pid()).ok());
    auto regs = session.get_regs(child.pid());
    auto xstate = session.get_xstate(child.pid());
    EXPECT_TRUE(regs.ok() && xstate.ok());
    Snapshot mem = snapshot(session, child.pid(), *regs);
    auto report =
        ptk::inject::run_shellcode(session, child.pid(), {.code = code, .place = place()});
    EXPECT_TRUE(report.ok()) << report.error().message();
    auto regs_after = session.get_regs(child.pid());
    EXPECT_TRUE(same_registers(*regs_after, *regs));
    EXPECT_EQ(session.get_xstate(child.pid()).value_or({}), *xstate) << "extended state differs";
    EXPECT_TRUE(snapshot(session, child.pid(), *regs) == mem) << "memory or maps differ";
    EXPECT_TRUE(session.detach(child.pid()).ok());
    EXPECT_TRUE(child.send("cd"));
    child.close_stdin();
    out += child.rest();
    EXPECT_EQ(describe_status(child.wait()), "exited with 0");
    EXPECT_EQ(out, uninjected_output(path(), "abcd"));
    return report.ok() ? *report : ptk::inject::ShellcodeReport{};
  }
};

TEST_P(InjectShellcodeTest, RunsToTheReturnTrapAndRestoresEverything) {
  const std::vector<std::byte> code = clobber_code();
  auto report = inject_and_finish(code);
  const ptk::AbiInfo& abi = ptk::abi(arch_of_bits(bits()));
  EXPECT_EQ(report.stop.kind, CodeStop::Kind::Trap);
  EXPECT_EQ(report.stop.regs.get(ptk::RegRole::Ret), 42u);
  EXPECT_EQ(report.stop.regs.by_name(clobbered_reg(bits())), 0u);
  EXPECT_EQ(report.size, code.size() + abi.breakpoint_insn.size());
  // It returned to ptk's breakpoint, after the code: the ip is past an int3, on a brk.
  EXPECT_EQ(report.stop.regs.ip() - abi.breakpoint_pc_adjust, report.code_addr + code.size());
}

TEST_P(InjectShellcodeTest, FaultIsReportedNotDeliveredAndTheProcessCarriesOn) {
  const NullLoad load = null_load(bits());
  auto report = inject_and_finish(load.code);
  EXPECT_EQ(report.stop.kind, CodeStop::Kind::Fault);
  EXPECT_EQ(report.stop.signal, SIGSEGV);
  EXPECT_EQ(report.stop.address, 0u);
  EXPECT_EQ(report.stop.regs.ip(), report.code_addr + load.fault_offset);
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectShellcodeTest,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(CodePlace::FreshMapping,
                                                              CodePlace::AtIp)),
                         [](const auto& info) {
                           return std::to_string(std::get<0>(info.param)) + "bit_" +
                                  (std::get<1>(info.param) == CodePlace::AtIp ? "AtIp"
                                                                              : "FreshMapping");
                         });

}  // namespace
}  // namespace ptk_test
