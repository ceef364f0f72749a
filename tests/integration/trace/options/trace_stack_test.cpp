// Stack traces: debug::Unwinder on a tracee stopped at its write(2) entries, and `ptk trace -k`
// on the same program (tests/tracees/stack_calls.c, main -> level_one -> level_two -> write),
// for its 64-bit and 32-bit builds; the -k output is checked against strace -k's.
#include <fmt/ranges.h>
#include <limits.h>
#include <stdlib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "ptk/debug/unwind.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::debug::Frame;

constexpr const char* kStrace = "/usr/bin/strace";

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

std::string describe(const std::vector<Frame>& frames) {
  std::string out;
  for (const Frame& f : frames) {
    out += fmt::format("  {:#x} {}({}+{:#x}) [{:#x}]{}\n", f.pc, f.module, f.symbol,
                       f.symbol_offset, f.module_offset, f.activation ? " activation" : "");
  }
  return out;
}

// Whether `frames` has level_two, level_one and main one after the other, each in the
// tracee's own file.
::testing::AssertionResult has_call_chain(const std::vector<Frame>& frames,
                                          const std::string& exe) {
  for (std::size_t i = 0; i + 2 < frames.size(); ++i) {
    if (frames[i].symbol != "level_two") continue;
    if (frames[i + 1].symbol == "level_one" && frames[i + 2].symbol == "main" &&
        frames[i].module == exe && frames[i + 1].module == exe && frames[i + 2].module == exe) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no level_two, level_one, main in " << exe << ":\n"
                                       << describe(frames);
}

bool is_write_entry(const ptk::Event& e) {
  if (e.kind != ptk::EventKind::SyscallEntry || e.syscall.args[0] != 1) return false;
  const ptk::SyscallSpec* spec = ptk::find_syscall(e.syscall.arch, e.syscall.nr);
  return spec != nullptr && spec->name == "write";
}

class Unwinder : public ptk_test::BitsTest {};

TEST_P(Unwinder, BacktraceAtSyscallStops) {
  const std::string exe = real_path(tracee_path("stack_calls", GetParam()));
  ptk::Session session(ptk::SessionOptions{.syscall_stops = ptk::SyscallStops::All});
  Pipe out = make_pipe();
  auto pid = spawn_with_stdio(session, {exe}, -1, out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());  // from its first instruction
  ptk::debug::Unwinder unwinder(session);

  // The first write: the whole chain, innermost first, from libc's wrapper down.
  auto first = wait_until(session, is_write_entry);
  ASSERT_TRUE(first.has_value());
  auto frames = unwinder.backtrace(first->tid);
  ASSERT_TRUE(frames.ok()) << frames.error().message();
  ASSERT_GE(frames->size(), 4u) << describe(*frames);
  EXPECT_TRUE(has_call_chain(*frames, exe));
  EXPECT_TRUE((*frames)[0].activation) << describe(*frames);
  for (std::size_t i = 1; i < frames->size(); ++i) EXPECT_FALSE((*frames)[i].activation);
  // The frame above level_two is libc's write wrapper (on i386 below it is the vDSO's
  // __kernel_vsyscall, which makes the actual syscall).
  auto two = std::find_if(frames->begin(), frames->end(),
                          [](const Frame& f) { return f.symbol == "level_two"; });
  ASSERT_NE(two, frames->begin());
  EXPECT_TRUE(contains(std::prev(two)->module, "libc.so.6")) << describe(*frames);
  EXPECT_TRUE(contains(std::prev(two)->symbol, "write")) << describe(*frames);
  // A return address inside level_two (past its call), relative to a PIE's load bias.
  EXPECT_GT(two->symbol_offset, 0u);
  EXPECT_LT(two->module_offset, two->pc);

  // From explicit registers (the breakpoint case): the same stack; and a bounded one.
  auto regs = session.get_regs(first->tid);
  ASSERT_TRUE(regs.ok());
  auto again = unwinder.backtrace(first->tid, *regs);
  ASSERT_TRUE(again.ok()) << again.error().message();
  ASSERT_EQ(again->size(), frames->size());
  for (std::size_t i = 0; i < frames->size(); ++i) EXPECT_EQ((*again)[i].pc, (*frames)[i].pc);
  auto two_only = unwinder.backtrace(first->tid, 2);
  ASSERT_TRUE(two_only.ok());
  EXPECT_EQ(two_only->size(), 2u);

  // Source lines on request (the tracee is built with -g).
  auto lines = unwinder.backtrace(first->tid, {.max_frames = 256, .source_lines = true});
  ASSERT_TRUE(lines.ok());
  bool found_line = false;
  for (const Frame& f : *lines) {
    if (f.symbol != "level_two") continue;
    found_line = true;
    EXPECT_TRUE(contains(f.source_file, "stack_calls.c"));
    EXPECT_GT(f.source_line, 0);
  }
  EXPECT_TRUE(found_line) << describe(*lines);

  // The second write comes after dlopen("libm.so.6"): the cached module list must take the
  // new mapping in. The line written is cos's address, which must now resolve into libm.
  ASSERT_TRUE(session.resume(*first).ok());
  auto second = wait_until(session, is_write_entry);
  ASSERT_TRUE(second.has_value());
  auto frames2 = unwinder.backtrace(second->tid);
  ASSERT_TRUE(frames2.ok()) << frames2.error().message();
  EXPECT_TRUE(has_call_chain(*frames2, exe));
  auto text = session.memory(second->tid).read_string(ptk::RemoteAddr(second->syscall.args[1]), 64);
  ASSERT_TRUE(text.ok());
  std::uint64_t cos_addr = std::strtoull(text->bytes.c_str(), nullptr, 16);
  ASSERT_NE(cos_addr, 0u) << text->bytes;
  auto cos = unwinder.symbolize(*pid, cos_addr);
  ASSERT_TRUE(cos.ok()) << cos.error().message();
  EXPECT_TRUE(contains(cos->module, "libm.so.6"));
  EXPECT_TRUE(contains(cos->symbol, "cos"));
  EXPECT_EQ(cos->symbol_offset, 0u);

  // Errors name the thread: one that is not traced.
  auto none = unwinder.backtrace(0x7ffffff0);
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(contains(none.error().message(), "backtrace(tid=2147483632)"));

  ASSERT_TRUE(session.resume(*second).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0");
  std::string printed = read_all(out.read_end.get());
  EXPECT_TRUE(printed.starts_with("first\n0x")) << printed;
}

INSTANTIATE_TEST_SUITE_P(Bits, Unwinder, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("_{}", info.param); });

// --- ptk trace -k ---------------------------------------------------------------------------

// One " > ..." line of strace -k, in one of its three forms.
struct StackLine {
  std::string module;  // empty for unexpected_backtracing_error
  std::string symbol;
  std::string offset;  // the [0x...]
};

std::optional<StackLine> parse_stack_line(const std::string& line) {
  static const std::regex kSym(R"(^ > (.+)\(([^()+]+)\+0x[0-9a-f]+\) \[(0x[0-9a-f]+)\]$)");
  static const std::regex kNoSym(R"(^ > (.+)\(\) \[(0x[0-9a-f]+)\]$)");
  static const std::regex kError(R"(^ > unexpected_backtracing_error \[(0x[0-9a-f]+)\]$)");
  std::smatch m;
  if (std::regex_match(line, m, kSym)) return StackLine{m[1], m[2], m[3]};
  if (std::regex_match(line, m, kNoSym)) return StackLine{m[1], "", m[2]};
  if (std::regex_match(line, m, kError)) return StackLine{"", "", m[1]};
  return std::nullopt;
}

// The stack printed after the first line that starts with `call`.
std::vector<StackLine> stack_after(const std::vector<std::string>& lines, std::string_view call) {
  std::vector<StackLine> stack;
  auto it = std::find_if(lines.begin(), lines.end(),
                         [&](const std::string& l) { return l.starts_with(call); });
  if (it == lines.end()) return stack;
  for (++it; it != lines.end() && it->starts_with(" > "); ++it) {
    auto parsed = parse_stack_line(*it);
    if (!parsed) {
      ADD_FAILURE() << "not a strace -k line: \"" << *it << "\"";
      break;
    }
    stack.push_back(*parsed);
  }
  return stack;
}

std::vector<std::string> symbols_in(const std::vector<StackLine>& stack, const std::string& mod) {
  std::vector<std::string> out;
  for (const StackLine& s : stack) {
    if (s.module == mod) out.push_back(s.symbol);
  }
  return out;
}

std::string describe(const std::vector<StackLine>& stack) {
  std::string out;
  for (const StackLine& s : stack)
    out += fmt::format("  {}({}) [{}]\n", s.module, s.symbol, s.offset);
  return out;
}

std::vector<std::string> trace(const std::string& tracer, const std::string& exe,
                               const std::string& filter, std::string* stdout_text = nullptr) {
  TempFile out("stack");
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-k", "-e", "trace=" + filter, "-o", out.path(), "--", exe});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  if (stdout_text != nullptr) *stdout_text = r.out;
  return read_lines(out.path());
}

class TraceStack : public ptk_test::BitsTest {};

TEST_P(TraceStack, WriteLinesAreFollowedByTheirStack) {
  const std::string exe = real_path(tracee_path("stack_calls", GetParam()));
  std::string printed;
  std::vector<std::string> lines = trace(PTK_CLI, exe, "write,exit_group", &printed);
  EXPECT_TRUE(printed.starts_with("first\n0x")) << printed;

  for (std::string_view call : {"write(1, \"first\\n\", 6)", "write(1, \"0x"}) {
    std::vector<StackLine> stack = stack_after(lines, call);
    ASSERT_FALSE(stack.empty()) << call << " has no stack in:\n"
                                << fmt::format("{}", fmt::join(lines, "\n"));
    std::vector<std::string> own = symbols_in(stack, exe);
    ASSERT_GE(own.size(), 3u) << describe(stack);
    EXPECT_EQ(own[0], "level_two") << describe(stack);
    EXPECT_EQ(own[1], "level_one") << describe(stack);
    EXPECT_EQ(own[2], "main") << describe(stack);
    // The frame above level_two: libc's write wrapper.
    auto two = std::find_if(stack.begin(), stack.end(),
                            [](const StackLine& s) { return s.symbol == "level_two"; });
    ASSERT_NE(two, stack.begin());
    EXPECT_TRUE(contains(std::prev(two)->module, "libc.so.6")) << describe(stack);
    EXPECT_TRUE(contains(std::prev(two)->symbol, "write")) << describe(stack);
  }
  // A syscall that never returns has its stack too, after its "= ?" line.
  std::vector<StackLine> exit_stack = stack_after(lines, "exit_group(0)");
  ASSERT_FALSE(exit_stack.empty()) << fmt::format("{}", fmt::join(lines, "\n"));
  EXPECT_EQ(symbols_in(exit_stack, exe).back(), "_start") << describe(exit_stack);
  EXPECT_EQ(lines.back(), "+++ exited with 0 +++");
}

TEST_P(TraceStack, ExecveShowsTheNewProgram) {
  const std::string exe = real_path(tracee_path("stack_calls", GetParam()));
  std::vector<std::string> lines = trace(PTK_CLI, exe, "execve");
  std::vector<StackLine> stack = stack_after(lines, "execve(");
  // The spawned command's execve is made by ptk's own child: as strace, ptk shows the new
  // program instead, stopped at its loader's entry.
  ASSERT_FALSE(stack.empty()) << fmt::format("{}", fmt::join(lines, "\n"));
  EXPECT_TRUE(contains(stack[0].module, "ld-linux")) << describe(stack);
}

TEST_P(TraceStack, LaterExecveShowsItsCaller) {
  // process_children ends with execve("/bin/true", ...) from main: like any syscall, and as
  // strace shows it, the stack is the caller's, taken at entry while the old image exists.
  const std::string exe = real_path(tracee_path("process_children", GetParam()));
  std::vector<std::string> lines = trace(PTK_CLI, exe, "execve");
  std::vector<StackLine> stack = stack_after(lines, "execve(\"/bin/true\"");
  ASSERT_FALSE(stack.empty()) << fmt::format("{}", fmt::join(lines, "\n"));
  // libc's execve (on i386 under the vDSO's __kernel_vsyscall), then main.
  EXPECT_NE(std::find_if(stack.begin(), stack.end(),
                         [](const StackLine& s) {
                           return contains(s.module, "libc.so.6") && s.symbol == "execve";
                         }),
            stack.end())
      << describe(stack);
  std::vector<std::string> own = symbols_in(stack, exe);
  EXPECT_NE(std::find(own.begin(), own.end(), "main"), own.end()) << describe(stack);
}

// 64-bit only: strace built with libunwind (Debian's) prints no stack for a 32-bit tracee, so
// there is nothing to compare with there (the tests above cover 32-bit stacks).
TEST(TraceStackVsStrace, SameFramesAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  // A strace built without stack tracing refuses -k outright and exits 1 (Debian 12's arm64
  // one: "Stack traces (-k/--stack-traces option) are not supported by this build").
  CommandResult probe = run_command({kStrace, "-k", "-o", "/dev/null", "--", "/bin/true"});
  if (!WIFEXITED(probe.status) || WEXITSTATUS(probe.status) != 0) {
    GTEST_SKIP() << "this strace prints no stacks: " << probe.err;
  }
  const std::string exe = real_path(tracee_path("stack_calls", 64));
  std::vector<std::string> theirs = trace(kStrace, exe, "write");
  std::vector<StackLine> strace_stack = stack_after(theirs, "write(1, \"first\\n\", 6)");
  if (strace_stack.empty()) GTEST_SKIP() << "this strace prints no stacks (built without -k)";
  std::vector<std::string> ours = trace(PTK_CLI, exe, "write");
  std::vector<StackLine> ptk_stack = stack_after(ours, "write(1, \"first\\n\", 6)");
  // The same frames (module and offset), and the same symbols in the tracee's own file.
  // libc's symbols may differ: ptk reads separate debug files (libc6-dbg) through libdw,
  // where strace's libunwind sees only the exported ones (the nearest export stands in for a
  // local function).
  ASSERT_EQ(ptk_stack.size(), strace_stack.size()) << "ptk:\n"
                                                   << describe(ptk_stack) << "strace:\n"
                                                   << describe(strace_stack);
  for (std::size_t i = 0; i < ptk_stack.size(); ++i) {
    EXPECT_EQ(ptk_stack[i].module, strace_stack[i].module) << i;
    EXPECT_EQ(ptk_stack[i].offset, strace_stack[i].offset) << i;
  }
  EXPECT_EQ(symbols_in(ptk_stack, exe), symbols_in(strace_stack, exe));
}

INSTANTIATE_TEST_SUITE_P(Bits, TraceStack, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("_{}", info.param); });

}  // namespace
}  // namespace ptk_test
