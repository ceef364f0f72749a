// `ptk inject` as a user runs it, and example 8 (ex8_inject_hello), on running processes the
// test starts: results printed, bad input refused with one line, the process unharmed.
#include "inject_code.h"
#include "inject_util.h"

namespace ptk_test {
namespace {

CommandResult ptk_inject(pid_t pid, std::vector<std::string> args) {
  std::vector<std::string> argv = {PTK_CLI, "inject", "-p", std::to_string(pid)};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

class InjectCliTest : public BlockedReaderTest {
 protected:
  pid_t pid() const { return child_->pid(); }
};

TEST_P(InjectCliTest, SyscallResultIsPrintedAsStraceWould) {
  auto r = ptk_inject(pid(), {"--syscall", R"(write(1, "hi\n", 3))"});
  EXPECT_EQ(r.out, "write(1, \"hi\\n\", 3) = 3\n") << r.err;
  EXPECT_EQ(describe_status(r.status), "exited with 0");
  EXPECT_EQ(child_->line(), "hi");
  auto failed = ptk_inject(pid(), {"--syscall", "close(9999)"});
  EXPECT_EQ(failed.out, "close(9999) = -1 EBADF (Bad file descriptor)\n") << failed.err;
  auto json = ptk_inject(pid(), {"--syscall", "getpid()", "--json"});
  const ptk::Arch arch = arch_of_bits(GetParam());
  EXPECT_EQ(json.out,
            fmt::format(R"({{"pid":{0},"tid":{0},"arch":"{1}","syscall":"getpid",)"
                        R"("nr":{2},"args":[],"retval":{0}}})"
                        "\n",
                        pid(), ptk::to_string(arch), ptk::find_syscall(arch, "getpid")->nr))
      << json.err;
  expect_unharmed();
}

// Issue 13, defect 8: uname writes a 390-byte struct utsname where its argument points; a
// 2-byte string below the stack pointer let it overwrite the blocked read's live frames, and
// the process died when the read returned. The kernel's output goes to a scratch mapping now.
TEST_P(InjectCliTest, SyscallWritingPastItsStringLeavesTheStackAlone) {
  const std::string before = ptk::read_proc_file(pid(), "maps").value_or("?");
  auto r = ptk_inject(pid(), {"--syscall", R"(uname("x"))"});
  EXPECT_TRUE(r.out.starts_with("uname(")) << r.out << r.err;
  EXPECT_TRUE(r.out.ends_with(") = 0\n")) << r.out << r.err;
  // An output buffer larger than a page, with the length the syscall is given.
  auto got = ptk_inject(pid(), {"--syscall", R"(getcwd("", 10000))"});
  EXPECT_TRUE(got.out.starts_with("getcwd(")) << got.out << got.err;
  EXPECT_EQ(ptk::read_proc_file(pid(), "maps").value_or("!"), before);
  expect_unharmed();
}

TEST_P(InjectCliTest, ShellcodeFromHexAndFile) {
  // mov eax, 42 (the same bytes in both modes; aarch64: mov w0, #42); ptk's breakpoint ends it.
  const ptk::AbiInfo& abi = ptk::abi(arch_of_bits(GetParam()));
  auto fresh = ptk_inject(pid(), {"--hex", ret42_hex()});
  EXPECT_TRUE(contains(fresh.out, fmt::format("shellcode: {} bytes at 0x",
                                              ret42_code().size() + abi.breakpoint_insn.size())))
      << fresh.out << fresh.err;
  const std::string_view ret_reg =
      GetParam() == 64 ? (abi.arch == ptk::Arch::Aarch64 ? "x0" : "rax") : "eax";
  EXPECT_TRUE(contains(fresh.out, fmt::format("{} = 0x2a", ret_reg))) << fresh.out;
  TempFile file("inject-code");
  {
    std::ofstream f(file.path(), std::ios::binary);
    const std::vector<std::byte> mov_7 = ret7_code();
    f.write(reinterpret_cast<const char*>(mov_7.data()),
            static_cast<std::streamsize>(mov_7.size()));
  }
  auto at_ip = ptk_inject(pid(), {"--shellcode", file.path(), "--at-ip", "--json"});
  EXPECT_TRUE(contains(at_ip.out, R"("place":"ip")")) << at_ip.err;
  EXPECT_TRUE(contains(at_ip.out, "\":\"0x7\"}")) << at_ip.out;
  expect_unharmed();
}

TEST_P(InjectCliTest, FaultingShellcodeIsOneLineAndTheProcessCarriesOn) {
  auto r = ptk_inject(pid(), {"--hex", null_load_hex(GetParam())});
  EXPECT_TRUE(one_line_error(r, "ptk inject: ", "the shellcode faulted (SIGSEGV at 0x0;"));
  expect_unharmed();
}

TEST_P(InjectCliTest, BadInputIsOneLineAndTouchesNothing) {
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", R"(write(1, "hi" 3))"}),
                             "ptk inject: ", "expected ',' or ')' at column 15: '3)'"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", "wrte(1, 0, 0)"}),
                             "ptk inject: ", "unknown syscall 'wrte'; "));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", "wrte(1, 0, 0)"}),
                             "ptk inject: ", "did you mean write"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", "write(1)"}),
                             "ptk inject: ", "write takes 3"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", "exit_group(1)"}),
                             "ptk inject: ", "could not be restored"));
  EXPECT_TRUE(
      one_line_error(ptk_inject(pid(), {"--hex", "0f zz"}), "ptk inject: ", "not a hex digit"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--shellcode", "/nonexistent/code"}),
                             "ptk inject: ", "/nonexistent/code"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {}), "ptk inject: ", "give one of --syscall"));
  EXPECT_TRUE(one_line_error(ptk_inject(pid(), {"--syscall", "getpid()", "--tid", "1"}),
                             "ptk inject: ", "thread 1 is not a thread of process"));
  expect_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectCliTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(InjectCliErrors, GonePidIsOneLine) {
  pid_t gone = 0;
  {
    Child c({"/bin/true"});
    gone = c.pid();
    c.wait();
  }
  EXPECT_TRUE(one_line_error(ptk_inject(gone, {"--syscall", "getpid()"}),
                             "ptk inject: ", std::to_string(gone)));
}

// Example 8: "Hello World" from code over the instruction stream, then from free space; the
// program then carries on with the output of a run without it.
class InjectExample8Test : public ptk_test::BitsTest {};

TEST_P(InjectExample8Test, TargetSaysHelloTwiceAndCarriesOn) {
  std::string path = tracee_path("inject_target", GetParam());
  PipedChild child({path});
  std::string out;
  ASSERT_TRUE(child.send("hel"));
  for (int i = 0; i < 3; ++i) out += child.line().value_or("EOF") + "\n";
  wait_blocked_in(child.pid(), arch_of_bits(GetParam()), {"read"});
  auto r = run_command({example_path("ex8_inject_hello"), std::to_string(child.pid())});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_TRUE(contains(r.out, "bytes at the ip")) << r.out;
  EXPECT_EQ(child.line(), "Hello World");
  EXPECT_EQ(child.line(), "Hello World");
  ASSERT_TRUE(child.send("lo"));
  child.close_stdin();
  out += child.rest();
  EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  PipedChild plain({path});
  ASSERT_TRUE(plain.send("hello"));
  plain.close_stdin();
  EXPECT_EQ(out, plain.rest());
  EXPECT_EQ(describe_status(plain.wait()), "exited with 0");
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectExample8Test, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
