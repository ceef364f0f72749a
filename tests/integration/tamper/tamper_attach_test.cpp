// `ptk trace -p PID -e inject=...`: tampering with a process ptk attached to. The program is
// blocked in read(0) when ptk attaches; the read is restarted under ptk and fails as injected
// (an untampered one would see EOF, its stdin is closed).
#include "ptk/arch/syscalls.h"
#include "test_util.h"

namespace ptk_test {
namespace {

class TamperAttach : public BitsTest {};

TEST_P(TamperAttach, InjectIntoAnAttachedProcess) {
  {
    int bits = GetParam();
    Pipe in = make_pipe(), out = make_pipe();
    Child prog({tracee_path("tamper_calls", bits), "echo"}, in.read_end.get(), out.write_end.get());
    in.read_end.reset();
    out.write_end.reset();
    // Wait until it sleeps in its read(0, ...): ptk then attaches in the middle of the call
    // (before that, the loader's own reads would fail too).
    std::string in_read = fmt::format("{} 0x0 ", ptk::find_syscall(arch_of_bits(bits), "read")->nr);
    for (;;) {
      auto sc = ptk::read_proc_file(prog.pid(), "syscall");
      ASSERT_TRUE(sc.ok());
      char state = settled_state(prog.pid());
      ASSERT_NE(state, 'Z') << "the program ended before it read";
      if (sc->starts_with(in_read) && state == 'S') break;
      ::sched_yield();
    }

    Pipe err = make_pipe();
    std::string pid = std::to_string(prog.pid());
    pid_t ptk = ::fork();
    if (ptk == 0) {
      ::dup2(err.write_end.get(), 2);
      close_inherited_fds();
      ::execl(PTK_CLI, PTK_CLI, "trace", "-o", "/dev/null", "-p", pid.c_str(), "-e",
              "inject=read:error=EIO", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    err.write_end.reset();
    // ptk says so once every thread is attached.
    auto line = read_line(err.read_end.get());
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(*line, fmt::format("ptk trace: Process {} attached", prog.pid()));
    // The read restarted under ptk fails at once; without the injection it would read EOF.
    in.write_end.reset();
    EXPECT_EQ(read_all(out.read_end.get()), "read: errno 5\n") << bits;
    EXPECT_EQ(describe_status(prog.wait()), "exited with 3");
    EXPECT_EQ(describe_status(wait_child(ptk)), "exited with 0");
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, TamperAttach, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
