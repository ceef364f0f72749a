// The shellcode runner on a checksum program blocked in read: the code runs (in a fresh mapping
// or over the instruction stream), its result is reported, a fault is caught, and afterwards
// registers, extended state, stack, code bytes and maps are as before and the program's final
// output is that of a run without ptk.
#include <signal.h>

#include "inject_util.h"
#include "ptk/inject/shellcode.h"

namespace ptk_test {
namespace {

using ptk::inject::CodePlace;
using ptk::inject::CodeStop;

std::vector<std::byte> bytes(std::initializer_list<unsigned char> list) {
  std::vector<std::byte> out;
  for (unsigned char b : list) out.push_back(std::byte{b});
  return out;
}

// The same bytes mean the same in 64-bit and 32-bit mode: xor ebx,ebx; xor ebp,ebp;
// pxor xmm0,xmm0; pxor xmm7,xmm7; fldz; push/pop rbx|ebx; mov eax,42; ret -- registers,
// SSE and x87 state and the stack all touched, and it ends by returning.
const std::vector<std::byte> kClobber =
    bytes({0x31, 0xdb, 0x31, 0xed, 0x66, 0x0f, 0xef, 0xc0, 0x66, 0x0f, 0xef,
           0xff, 0xd9, 0xee, 0x53, 0x5b, 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3});

// mov rax, [0] / mov eax, [0]: a SIGSEGV at address 0.
std::vector<std::byte> null_load(int bits) {
  return bits == 64 ? bytes({0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00})
                    : bytes({0xa1, 0x00, 0x00, 0x00, 0x00});
}

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
    EXPECT_EQ(regs_after->host_block(), regs->host_block()) << "registers differ";
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
  auto report = inject_and_finish(kClobber);
  EXPECT_EQ(report.stop.kind, CodeStop::Kind::Trap);
  EXPECT_EQ(report.stop.regs.get(ptk::RegRole::Ret), 42u);
  EXPECT_EQ(report.stop.regs.by_name(bits() == 64 ? "rbx" : "ebx"), 0u);
  EXPECT_EQ(report.size, kClobber.size() + 1);
  // It returned to ptk's int3, after the code.
  EXPECT_EQ(report.stop.regs.ip(), report.code_addr + report.size);
}

TEST_P(InjectShellcodeTest, FaultIsReportedNotDeliveredAndTheProcessCarriesOn) {
  auto report = inject_and_finish(null_load(bits()));
  EXPECT_EQ(report.stop.kind, CodeStop::Kind::Fault);
  EXPECT_EQ(report.stop.signal, SIGSEGV);
  EXPECT_EQ(report.stop.address, 0u);
  EXPECT_EQ(report.stop.regs.ip(), report.code_addr);
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
