// The host capability probes (ptk/core/host.h) checked against the real thing by another path,
// and how ptk explains a host without a capability. Every test here holds on either kind of
// host, except the two that show the explanation: they need a host that lacks the capability.
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>

#include <array>
#include <regex>
#include <span>

#include "ptk/arch/debugreg.h"
#include "ptk/core/host.h"
#include "ptk/core/hw_debug.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::HostCapability;

constexpr char kNoI386[] = "this kernel cannot run 32-bit x86 programs: IA32 emulation is off";

// The i386 capability is an x86_64 kernel's IA32 emulation: elsewhere there is no 32-bit x86
// tracee to spawn (tests/tracees builds none) and no emulation to be off.
#if defined(__x86_64__)
#define PTK_REQUIRE_X86_HOST()
#else
#define PTK_REQUIRE_X86_HOST() \
  GTEST_SKIP() << "x86-only: IA32 emulation of an x86_64 kernel, and 32-bit x86 tracees"
#endif

// What a capability's absence needs to be seen: skipped where the host has it.
std::string present_capability(HostCapability capability) {
  if (!ptk::host_has(capability)) return {};
  return fmt::format("needs a host without {}: this one has it", ptk::to_string(capability));
}
#define PTK_REQUIRE_HOST_WITHOUT(capability)                                             \
  if (std::string ptk_present_ = present_capability(capability); ptk_present_.empty()) { \
  } else                                                                                 \
    GTEST_SKIP() << ptk_present_

TEST(HostCapabilities, I386AnswerIsWhatSpawningA32BitProgramGets) {
  PTK_REQUIRE_X86_HOST();
  std::string prog = tracee_path("hello_writes", 32);
  ptk::Session session;
  auto pid = session.spawn({.argv = {prog}});
  if (ptk::host_has(HostCapability::I386Programs)) {
    ASSERT_TRUE(pid.ok()) << pid.error().message();
    ASSERT_TRUE(session.resume(*pid).ok());
    EXPECT_EQ(how_ended(run_to_end(session), *pid), "exited with 0");
  } else {
    ASSERT_FALSE(pid.ok());
    EXPECT_EQ(pid.error().error_number(), ENOEXEC);
    EXPECT_EQ(pid.error().message(),
              fmt::format("execve {}: Exec format error; {}", prog, kNoI386));
  }
}

// `int $0x80` from a 64-bit program goes through the same 32-bit gate of the kernel.
TEST(HostCapabilities, I386AnswerIsWhatInt80From64BitCodeGets) {
  PTK_REQUIRE_TRACEE("int80");
  CommandResult r = run_command({tracee_path("int80", 64)});
  EXPECT_EQ(describe_status(r.status),
            ptk::host_has(HostCapability::I386Programs) ? "exited with 0" : "killed by SIGSEGV");
}

// A write watchpoint set through the session's own debug-register path (not the probe's):
// watch_target writes `counter` five times, so five traps or none.
TEST(HostCapabilities, DebugRegisterAnswerIsWhatAWatchedVariableGets) {
  ptk::Session session;
  auto pid = spawn_with_stdio(session, {tracee_path("watch_target", 64)});
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  ASSERT_TRUE(session.resume(*pid).ok());
  // Its sentinel write(-1, table, 32) names the variables; counter is the first.
  auto sentinel = wait_until(session, [](const ptk::Event& e) {
    return e.kind == ptk::EventKind::SyscallEntry &&
           static_cast<std::int32_t>(e.syscall.args[0]) == -1;
  });
  ASSERT_TRUE(sentinel.has_value());
  std::array<std::uint64_t, 4> table{};
  ASSERT_TRUE(session.memory(*pid)
                  .read_exact(ptk::RemoteAddr(sentinel->syscall.args[1]),
                              std::as_writable_bytes(std::span(table)))
                  .ok());
#if defined(__aarch64__)
  const ptk::a64::HwSlot slot = ptk::a64::encode(table[0], 4, ptk::WatchKind::Write);
  ASSERT_TRUE(ptk::write_hw_slots(*pid, ptk::HwSlotKind::Watchpoint, std::span(&slot, 1)).ok());
  // arm64 stops before the write, and would again at each resume: the first hit answers, and
  // the slot goes then.
  constexpr int kTrapsWhenPresent = 1;
#else
  ASSERT_TRUE(session.set_debugreg(*pid, 0, table[0]).ok());
  std::uint64_t dr7 = ptk::dr7_enable(0, 0, ptk::WatchKind::Write, 4);
  ASSERT_TRUE(session.set_debugreg(*pid, ptk::kDr7Index, dr7).ok());
  constexpr int kTrapsWhenPresent = 5;  // one after each of the five writes
#endif
  ASSERT_TRUE(resume_event(session, *sentinel));
  int traps = 0;
  std::vector<ptk::Event> events;
  while (!session.empty()) {
    auto ev = session.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    events.push_back(*ev);
    if (ev->kind == ptk::EventKind::Trap && ev->siginfo.si_code == TRAP_HWBKPT) {
      ++traps;
#if defined(__aarch64__)
      const ptk::a64::HwSlot off{};
      ASSERT_TRUE(
          ptk::write_hw_slots(ev->tid, ptk::HwSlotKind::Watchpoint, std::span(&off, 1)).ok());
#endif
    }
    ASSERT_TRUE(resume_event(session, *ev));
  }
  EXPECT_EQ(how_ended(events, *pid), "exited with 20") << describe(events);
  EXPECT_EQ(traps, ptk::host_has(HostCapability::DebugRegisterTraps) ? kTrapsWhenPresent : 0);
}

// `ptk host` says what the library found, one line each; with names it answers by its status.
TEST(HostCapabilities, PtkHostPrintsEachAnswer) {
  CommandResult all = run_command({PTK_CLI, "host"});
  EXPECT_EQ(describe_status(all.status), "exited with 0") << all.err;
  std::string expected;
  for (HostCapability c : ptk::kHostCapabilities) {
    bool has = ptk::host_has(c);
    expected += fmt::format("{:<22}{:<5}{}\n", ptk::to_string(c), has ? "yes" : "no",
                            has ? ptk::describe(c) : ptk::missing_reason(c));
  }
  EXPECT_EQ(all.out, expected);
  CommandResult one = run_command({PTK_CLI, "host", "i386"});
  EXPECT_EQ(describe_status(one.status),
            ptk::host_has(HostCapability::I386Programs) ? "exited with 0" : "exited with 1");
  EXPECT_TRUE(one.out.starts_with("i386 ")) << one.out;
  CommandResult bad = run_command({PTK_CLI, "host", "sse9"});
  EXPECT_EQ(describe_status(bad.status), "exited with 2");
  EXPECT_EQ(bad.err,
            "ptk host: unknown capability 'sse9' (known: i386 debug-register-traps kprobes)\n");
}

// A program the kernel refuses (ENOEXEC on any host): the trace shows its execve failing and
// nothing of ptk's own launcher after it; the error is one line; the status is strace's, 1.
TEST(HostCapabilities, TraceOfAProgramThatCannotRunShowsItsFailedExecve) {
  TempFile garbage("not-a-program");
  {
    std::FILE* f = std::fopen(garbage.path().c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("neither ELF nor #!\n", f);
    std::fclose(f);
  }
  ASSERT_EQ(::chmod(garbage.path().c_str(), 0755), 0);
  // -f with a filter: the seccomp-bpf path, where the tracee stops only where the filter says.
  TempFile out("trace");
  CommandResult r = run_command({PTK_CLI, "trace", "-f", "-e", "trace=execve,write,exit_group",
                                 "-o", out.path(), "--", garbage.path(), "arg"});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  EXPECT_EQ(r.err, fmt::format("ptk trace: execve {}: Exec format error\n", garbage.path()));
  std::vector<std::string> lines = read_lines(out.path());
  ASSERT_EQ(lines.size(), 1u) << r.err;
  // "PID  execve(...)": -f -o puts the pid before each line, padded.
  std::string call =
      fmt::format("execve(\"{}\", [\"{}\", \"arg\"], 0x", garbage.path(), garbage.path());
  std::size_t at = lines[0].find(call);
  ASSERT_NE(at, std::string::npos) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[0].substr(0, at), std::regex("[0-9]+ +"))) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(" = -1 ENOEXEC (Exec format error)")) << lines[0];
}

// The issue's own case: on a kernel without IA32 emulation, the 32-bit program's execve fails
// in the trace and ptk says why in one line.
TEST(HostCapabilities, TraceOfA32BitProgramNamesTheMissingCapability) {
  PTK_REQUIRE_X86_HOST();
  PTK_REQUIRE_HOST_WITHOUT(HostCapability::I386Programs);
  std::string prog = tracee_path("hello_writes", 32);
  TempFile out("trace");
  CommandResult r = run_command({PTK_CLI, "trace", "-o", out.path(), "--", prog});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  EXPECT_EQ(r.err, fmt::format("ptk trace: execve {}: Exec format error; {}\n", prog, kNoI386));
  std::vector<std::string> lines = read_lines(out.path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].ends_with(" = -1 ENOEXEC (Exec format error)")) << lines[0];
}

TEST(HostCapabilities, BreakWatchNamesTheMissingCapability) {
  PTK_REQUIRE_HOST_WITHOUT(HostCapability::DebugRegisterTraps);
  CommandResult r = run_command({PTK_CLI, "break", "--watch", "counter:4:w", "--", "/bin/true"});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  EXPECT_EQ(r.err, fmt::format("ptk break: --watch: {}\n",
                               ptk::missing_reason(HostCapability::DebugRegisterTraps)));
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace ptk_test
