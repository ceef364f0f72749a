// Helpers for the tests of the inspection commands: the inspect_target tracee driven through
// its pipes, and ptk run to its end.
#pragma once

#include <charconv>
#include <map>
#include <memory>
#include <sstream>

#include "test_util.h"

namespace ptk_test {

// The inspect_target tracee (tests/tracees/inspect_target.c), started untraced with a command
// pipe on its stdin and a report pipe on its stdout; its "ready" line is parsed.
class InspectTarget {
 public:
  InspectTarget(int bits, const std::string& mode = "block")
      : bits_(bits), in_(make_pipe()), out_(make_pipe()) {
    child_ =
        std::make_unique<Child>(std::vector<std::string>{tracee_path("inspect_target", bits), mode},
                                in_.read_end.get(), out_.write_end.get());
    in_.read_end.reset();
    out_.write_end.reset();
    if (mode == "count") return;
    auto ready = read_line(out_.read_end.get());
    if (!ready || !ready->starts_with("ready ")) {
      ADD_FAILURE() << "inspect_target did not start: " << ready.value_or("EOF");
      return;
    }
    std::istringstream fields(ready->substr(6));
    for (std::string kv; fields >> kv;) {
      std::size_t eq = kv.find('=');
      if (eq != std::string::npos) values_[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    wait_blocked();
  }

  int bits() const { return bits_; }
  pid_t pid() const { return child_->pid(); }
  Child& child() { return *child_; }
  int out_fd() const { return out_.read_end.get(); }
  // A value of the ready line as a number (addresses are 0x-prefixed hex, ids decimal).
  std::uint64_t value(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
      ADD_FAILURE() << "no " << key << " in the ready line";
      return 0;
    }
    std::string_view v = it->second;
    int base = 10;
    if (v.starts_with("0x")) {
      v.remove_prefix(2);
      base = 16;
    }
    std::uint64_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n, base);
    return n;
  }
  std::string marker() const { return fmt::format("ptk-inspect-marker-{}", pid()); }
  // Sends a one-byte command and returns the line it answers, once the tracee waits for the
  // next command again.
  std::string ask(char command) {
    if (!write_byte(in_.write_end.get(), command)) return "(write failed)";
    std::string answer = read_line(out_.read_end.get()).value_or("EOF");
    if (command != 'q') wait_blocked();
    return answer;
  }
  // Waits until the main thread is blocked in its raw read(0, ...) for a command: the tracee
  // writes its answer before it gets there, so reading the answer is not enough. The thread's
  // state is polled (a transition, not a time): /proc/PID/syscall names the syscall a thread
  // is blocked in, "running" otherwise, by its number in the thread's ABI (read is 0 on x86_64,
  // 3 on i386, 63 on aarch64).
  void wait_blocked() {
    std::string want =
        fmt::format("{} 0x0 ", ptk::find_syscall(arch_of_bits(bits_), "read")->nr);  // fd 0
    for (;;) {
      auto sc = ptk::read_proc_file(pid(), "syscall");
      if (!sc.ok()) {
        ADD_FAILURE() << "the tracee is gone: " << sc.error().message();
        return;
      }
      char state = proc_state(pid());
      if (sc->starts_with(want) && state == 'S') return;
      // A tracee that died (a zombie until the Child reaps it) never blocks again.
      if (state == 'Z' || state == 'X') {
        ADD_FAILURE() << "the tracee died instead of waiting for a command";
        return;
      }
      ::sched_yield();
    }
  }
  // An address as `ptk mem find` and `ptk bt` print it: 0x, then the word's hex digits.
  std::string padded(std::uint64_t addr) const {
    return fmt::format("{:#0{}x}", addr, bits_ == 64 ? 18 : 10);
  }

 private:
  int bits_;
  Pipe in_, out_;
  std::unique_ptr<Child> child_;
  std::map<std::string, std::string> values_;
};

inline CommandResult ptk(std::vector<std::string> args) {
  args.insert(args.begin(), PTK_CLI);
  return run_command(args);
}

inline std::string str(pid_t pid) { return std::to_string(pid); }

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The line of `text` that starts with `prefix` followed by a space, or "".
inline std::string line_starting(const std::string& text, const std::string& prefix) {
  for (const std::string& line : split_lines(text)) {
    if (line.starts_with(prefix + " ")) return line;
  }
  return "";
}

// Exit 0, nothing on stderr.
inline ::testing::AssertionResult succeeded(const CommandResult& r) {
  if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0 && r.err.empty()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << describe_status(r.status) << ", stderr: " << r.err;
}

// A nonzero exit with exactly one line on stderr, starting "ptk CMD: ", and no crash.
inline ::testing::AssertionResult failed_with_one_line(const CommandResult& r,
                                                       std::string_view cmd) {
  if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) == 0) {
    return ::testing::AssertionFailure() << describe_status(r.status) << ", stderr: " << r.err;
  }
  std::string prefix = fmt::format("ptk {}: ", cmd);
  if (!r.err.starts_with(prefix) || r.err.find('\n') != r.err.size() - 1) {
    return ::testing::AssertionFailure() << "not one \"" << prefix << "\" line: " << r.err;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace ptk_test
