// Helpers of the injection tests: a tracee started untraced with its stdin and stdout on pipes,
// waiting until it blocks in a given syscall, and snapshots for before/after comparisons.
#pragma once

#include <sched.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "test_util.h"

namespace ptk_test {

// A tracee program started by the test (not traced), stdin and stdout on pipes the test holds.
class PipedChild {
 public:
  PipedChild(const std::vector<std::string>& argv) {
    child_.emplace(argv, in_.read_end.get(), out_.write_end.get());
    in_.read_end.reset();
    out_.write_end.reset();
  }
  pid_t pid() const { return child_->pid(); }
  std::optional<std::string> line() { return read_line(out_.read_end.get()); }
  bool send(std::string_view bytes) {
    return ::write(in_.write_end.get(), bytes.data(), bytes.size()) ==
           static_cast<ssize_t>(bytes.size());
  }
  void close_stdin() { in_.write_end.reset(); }
  std::string rest() { return read_all(out_.read_end.get()); }
  int wait() { return child_->wait(); }

 private:
  Pipe in_ = make_pipe();
  Pipe out_ = make_pipe();
  std::optional<Child> child_;
};

// The number of the syscall thread `tid` is blocked in (/proc/TID/syscall), or -1 when it
// runs or is not in one.
inline long current_syscall(pid_t tid) {
  auto text = ptk::read_proc_file(tid, fmt::format("task/{}/syscall", tid));
  if (!text.ok() || text->empty() || !std::isdigit(static_cast<unsigned char>((*text)[0]))) {
    return -1;
  }
  return std::stol(*text);
}

// Waits until the thread sleeps in one of the named syscalls of `arch`. It passes through
// "running" on the way; this waits on that transition, not on time.
inline void wait_blocked_in(pid_t tid, ptk::Arch arch,
                            std::initializer_list<std::string_view> names) {
  std::set<long> nrs;
  for (std::string_view n : names) {
    if (const ptk::SyscallSpec* s = ptk::find_syscall(arch, n)) nrs.insert(s->nr);
  }
  // None of them exists in this ABI (pause on aarch64): it would wait for ever.
  if (nrs.empty()) FAIL() << "no such syscall in " << ptk::to_string(arch);
  while (nrs.count(current_syscall(tid)) == 0 || proc_state(tid) != 'S') {
    char state = proc_state(tid);
    // Gone or dying: it will never block there; fail now rather than spin until the watchdog.
    if (state == 'Z' || state == 'X' || state == '?') FAIL() << "thread " << tid << " ended";
    ::sched_yield();
  }
}

// What a restore must leave as it found: the /proc maps text and a window of the stack.
struct Snapshot {
  std::string maps;
  std::vector<std::byte> stack;
  std::vector<std::byte> code;  // bytes at the ip
};

inline constexpr std::uint64_t kStackBelow = 8192;

inline Snapshot snapshot(ptk::Session& session, pid_t tid, const ptk::Registers& regs) {
  Snapshot s;
  s.maps = ptk::read_proc_file(tid, "maps").value_or("");
  s.stack.resize(kStackBelow + 64);
  std::uint64_t low = regs.sp() - kStackBelow;
  // Only what is mapped: the stack mapping may end less than kStackBelow below sp.
  if (auto maps = ptk::read_maps(tid); maps.ok()) {
    for (const ptk::MapEntry& m : *maps) {
      if (m.contains(regs.sp())) low = std::max(low, m.start);
    }
  }
  s.stack.resize(regs.sp() + 64 - low);
  EXPECT_TRUE(session.memory(tid).read_exact(ptk::RemoteAddr(low), s.stack).ok());
  s.code.resize(64);
  EXPECT_TRUE(session.memory(tid).read_exact(ptk::RemoteAddr(regs.ip()), s.code).ok());
  return s;
}

// Whether the registers after a restore are those from before, naming the ones that differ.
// aarch64's PSTATE.SS is left out: it shows whether the thread's single-step is armed, which
// ptk's last step leaves so until the thread is next resumed or detached -- arm64 sets the bit
// in any register write meanwhile (arch/arm64/kernel/ptrace.c, valid_user_regs and
// user_regs_reset_single_step), where x86 hides its TF from the tracer.
inline ::testing::AssertionResult same_registers(const ptk::Registers& after,
                                                 const ptk::Registers& before) {
  constexpr std::uint64_t kPstateSs = 1u << 21;
  ptk::Registers a = after, b = before;
  if (b.arch() == ptk::Arch::Aarch64) {
    a.set_flags(a.flags() & ~kPstateSs);
    b.set_flags(b.flags() & ~kPstateSs);
  }
  if (a.arch() == b.arch() && a.host_block() == b.host_block()) {
    return ::testing::AssertionSuccess();
  }
  std::string diff;
  for (const ptk::NamedReg& r : b.abi_info().registers) {
    if (a.get(r.slot) != b.get(r.slot)) {
      diff += fmt::format(" {} {:#x} (was {:#x})", r.name, a.get(r.slot), b.get(r.slot));
    }
  }
  if (a.arch() != b.arch()) diff += " (another ABI)";
  if (diff.empty()) diff = " bytes outside the ABI's named registers";
  return ::testing::AssertionFailure() << "registers differ:" << diff;
}

// The lines only one of two /proc/PID/maps texts has, "-" before and "+" after; "" when they are
// equal.
inline std::string maps_diff(const std::string& before, const std::string& after) {
  auto lines = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  std::vector<std::string> a = lines(before), b = lines(after);
  std::string out;
  for (const std::string& l : a) {
    if (std::find(b.begin(), b.end(), l) == b.end()) out += "-" + l + "\n";
  }
  for (const std::string& l : b) {
    if (std::find(a.begin(), a.end(), l) == a.end()) out += "+" + l + "\n";
  }
  return out;
}

inline bool operator==(const Snapshot& a, const Snapshot& b) {
  return a.maps == b.maps && a.stack == b.stack && a.code == b.code;
}

// One line on stderr starting with `prefix` and containing `says`, nothing on stdout, a
// nonzero exit.
inline ::testing::AssertionResult one_line_error(const CommandResult& r, std::string_view prefix,
                                                 std::string_view says) {
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0 && r.out.empty() &&
      std::count(r.err.begin(), r.err.end(), '\n') == 1 && r.err.starts_with(prefix) &&
      r.err.find(says) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "status " << describe_status(r.status) << ", stdout \"" << r.out << "\", stderr \""
         << r.err << "\" (wanted \"" << says << "\")";
}

// The test target of the CLI tests: inject_blocked blocked in read(2), answering on its pipes.
class BlockedReaderTest : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    child_.emplace(std::vector<std::string>{tracee_path("inject_blocked", GetParam()), "read"});
    ASSERT_EQ(child_->line(), "ready");
  }
  // The process carries on: it still reads, and ends normally.
  void expect_unharmed() {
    ASSERT_TRUE(child_->send("ok"));
    EXPECT_EQ(child_->line(), "read 2: ok");
    child_->close_stdin();
    EXPECT_EQ(child_->line(), "eof");
    EXPECT_EQ(describe_status(child_->wait()), "exited with 0");
  }
  std::optional<PipedChild> child_;
};

}  // namespace ptk_test
