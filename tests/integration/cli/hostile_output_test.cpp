// Hostile bytes in every output: a tracee (tests/tracees/hostile_names.c) whose thread name,
// working directory, open file, own function, library function and executable path hold
// ESC [2J, BEL, the C1 control CSI (U+009B in UTF-8), 0xff, '<' and '>'. Whatever ptk shows of
// it -- trace text (-y, -k), JSON, perfetto, calls, break (hits, --bt, --mem, --json), step, regs,
// bt, maps, mem find, error lines -- holds only printable ASCII and newlines, and says what the
// names are, escaped (the trace text as strace escapes it).
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "debug/break_util.h"
#include "test_util.h"

namespace ptk_test {
namespace {

// The tracee's hostile bytes, raw and as the text outputs escape them.
constexpr std::string_view kHostile = "\033[2J\007\302\233\377<>";
constexpr std::string_view kEscaped = R"(\33[2J\7\302\233\377<>)";        // sys::printable
constexpr std::string_view kFdEscaped = R"(\33[2J\7\302\233\377\74\76)";  // -y, as strace
constexpr std::string_view kFunction = R"(fn\33[2J\7\302\233il)";
constexpr std::string_view kLibFunction = R"(lib\33[2J\7\302\233fn)";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Only printable ASCII and newlines: nothing a terminal acts on.
::testing::AssertionResult clean(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c >= 0x7f) {
      std::size_t from = text.rfind('\n', i);
      from = from == std::string::npos ? 0 : from + 1;
      return ::testing::AssertionFailure()
             << fmt::format("byte {:#04x} at offset {}, in the line: ", c, i)
             << text.substr(from, text.find('\n', i) - from);
    }
  }
  return ::testing::AssertionSuccess();
}

class HostileOutputTest : public BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    char tmpl[] = "/tmp/ptk-hostile.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    program_ = fmt::format("{}/p{}rog", dir_, kHostile);
    std::filesystem::copy_file(tracee_path("hostile_names", GetParam()), program_);
    ::chmod(program_.c_str(), 0755);
    // Where the program works and what its descriptor 3 is, as -y shows them.
    cwd_ = fmt::format("{}/d{}", dir_, kFdEscaped);
    file_ = fmt::format("{}/f{}", cwd_, kFdEscaped);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string lib() const { return tracee_path("hostile_lib", GetParam()) + ".so"; }
  std::string lib_name() const { return fmt::format("hostile_lib_{}.so", GetParam()); }

  // argv with "ab" on its stdin.
  CommandResult run_with_input(const std::vector<std::string>& argv) {
    std::string input = dir_ + "/input";
    std::ofstream(input) << "ab";
    std::vector<std::string> sh = {"/bin/sh", "-c",
                                   fmt::format("exec \"$0\" \"$@\" < '{}'", input)};
    sh.insert(sh.end(), argv.begin(), argv.end());
    return run_command(sh);
  }

  std::string dir_, program_, cwd_, file_;
};

TEST_P(HostileOutputTest, TraceTextEscapesAsStrace) {
  std::string trace = dir_ + "/trace";
  CommandResult r = run_with_input({PTK_CLI, "trace", "-y", "-k", "-e", "trace=openat,write", "-o",
                                    trace, "--", program_, dir_});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::string text = slurp(trace);
  EXPECT_TRUE(clean(text));
  EXPECT_TRUE(clean(r.out));
  EXPECT_TRUE(clean(r.err));
  std::string write_line = fmt::format(R"(write(3<{}>, "a", 1) = 1)", file_);
  EXPECT_TRUE(contains(text, write_line));
  EXPECT_TRUE(contains(
      text, fmt::format("openat(AT_FDCWD<{}>, \"f{}\"", cwd_, R"(\33[2J\7\302\233\377<>)")));
  // -k: the module (the program's path) and the function, escaped.
  EXPECT_TRUE(contains(text, fmt::format(" > {}/p{}rog({}+0x", dir_, kEscaped, kFunction)));

  // strace, the reference, on the same program: the same -y text.
  std::string oracle = dir_ + "/strace";
  CommandResult s = run_with_input(
      {"/usr/bin/strace", "-y", "-e", "trace=write", "-o", oracle, "--", program_, dir_});
  ASSERT_EQ(describe_status(s.status), "exited with 0") << s.err;
  EXPECT_TRUE(contains(slurp(oracle), write_line));
}

TEST_P(HostileOutputTest, TraceJsonAndPerfetto) {
  std::string json = dir_ + "/json", perfetto = dir_ + "/perfetto";
  CommandResult r = run_with_input({PTK_CLI, "trace", "-y", "--json", "-e", "trace=openat,write",
                                    "-o", json, "--perfetto", perfetto, "--", program_, dir_});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::string lines = slurp(json);
  EXPECT_TRUE(clean(lines));
  EXPECT_TRUE(contains(lines, R"("path":")" + dir_ + R"(/d\u001b[2J\u0007\u009b\u00ff<>/f)"));
  EXPECT_TRUE(clean(slurp(perfetto)));
  // The strace line of each syscall, in a JSON string: its backslashes doubled.
  std::string line = fmt::format(R"(write(3<{}>)", file_);
  std::string in_json;
  for (char c : line) in_json += c == '\\' ? std::string(2, c) : std::string(1, c);
  EXPECT_TRUE(contains(slurp(perfetto), in_json));
  // Both are JSON still.
  EXPECT_EQ(describe_status(run_command({"/usr/bin/jq", "-e", ".", json}).status), "exited with 0");
  EXPECT_EQ(describe_status(run_command({"/usr/bin/jq", "-e", ".", perfetto}).status),
            "exited with 0");
}

TEST_P(HostileOutputTest, Calls) {
  CommandResult r =
      run_with_input({PTK_CLI, "calls", "-l", lib_name(), "--", program_, dir_, lib()});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_TRUE(clean(r.err));
  EXPECT_TRUE(contains(r.err, fmt::format("{}(", kLibFunction)));
  CommandResult j =
      run_with_input({PTK_CLI, "calls", "--json", "-l", lib_name(), "--", program_, dir_, lib()});
  ASSERT_EQ(describe_status(j.status), "exited with 0") << j.err;
  EXPECT_TRUE(clean(j.err));
  EXPECT_TRUE(contains(j.err, R"("name":"lib\u001b[2J\u0007\u009bfn")"));
}

// The inspection and debugging commands on the running program (attached).
class HostileAttachedTest : public HostileOutputTest {
 protected:
  void SetUp() override {
    HostileOutputTest::SetUp();
    if (IsSkipped()) return;
    tracee_ = std::make_unique<PipedTracee>(std::vector<std::string>{program_, dir_});
    std::istringstream ready(tracee_->ready_line());
    std::string word;
    ready >> word >> pid_ >> function_;
    ASSERT_EQ(word, "ready") << tracee_->ready_line();
  }
  void TearDown() override {
    tracee_.reset();
    HostileOutputTest::TearDown();
  }
  std::string pid() const { return std::to_string(pid_); }

  std::unique_ptr<PipedTracee> tracee_;
  pid_t pid_ = 0;
  std::string function_;  // its address
};

TEST_P(HostileAttachedTest, RegsBtMapsMem) {
  std::string thread = fmt::format("t{}", kEscaped);
  std::string module = fmt::format("(p{}rog)", kEscaped);
  CommandResult regs = run_command({PTK_CLI, "regs", pid()});
  EXPECT_TRUE(clean(regs.out));
  EXPECT_TRUE(contains(regs.out, fmt::format("Thread {} ({})", pid_, thread)));
  CommandResult regs_json = run_command({PTK_CLI, "regs", pid(), "--json"});
  EXPECT_TRUE(clean(regs_json.out));
  EXPECT_TRUE(contains(regs_json.out, R"("name":"t\u001b[2J\u0007\u009b\u00ff<>")"));
  CommandResult bt = run_command({PTK_CLI, "bt", pid()});
  EXPECT_TRUE(clean(bt.out));
  EXPECT_TRUE(contains(bt.out, fmt::format("in {}+0x", kFunction)));
  EXPECT_TRUE(contains(bt.out, module));
  CommandResult maps = run_command({PTK_CLI, "maps", pid()});
  EXPECT_TRUE(clean(maps.out));
  EXPECT_TRUE(contains(maps.out, fmt::format("{}/p{}rog", dir_, kEscaped)));
  CommandResult maps_json = run_command({PTK_CLI, "maps", pid(), "--json"});
  EXPECT_TRUE(clean(maps_json.out));
  // The format string of its "ready" line, in its file mapping.
  CommandResult find = run_command({PTK_CLI, "mem", pid(), "find", "ready %d"});
  EXPECT_TRUE(clean(find.out));
  EXPECT_TRUE(contains(find.out, fmt::format("{}/p{}rog+0x", dir_, kEscaped)));
}

TEST_P(HostileAttachedTest, BreakHitsAndBacktrace) {
  for (bool json : {false, true}) {
    std::vector<std::string> args = {"break",           function_, "--bt", "--mem",
                                     function_ + ":16", "-p",      pid()};
    if (json) args.push_back("--json");
    BackgroundPtk ptk(args);
    ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
    ASSERT_TRUE(tracee_->go());  // the next call of its function hits
    auto hit = ptk.wait_out(json ? "\"hit\"" : "hit 1");
    ASSERT_TRUE(hit.has_value()) << ptk.rest_of_err();
    ptk.kill(SIGINT);
    std::string out = *hit + "\n" + ptk.rest_of_out(), err = ptk.rest_of_err();
    EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << err;
    EXPECT_TRUE(clean(out));
    EXPECT_TRUE(clean(err));
    if (json) {
      EXPECT_TRUE(contains(out, R"("symbol":"fn\u001b[2J\u0007\u009bil+0")"));
    } else {
      EXPECT_TRUE(contains(out, fmt::format("<{}+0> thread", kFunction)));
      EXPECT_TRUE(contains(out, fmt::format("{}/p{}rog)", dir_, kEscaped)));  // --bt's module
    }
  }
}

TEST_P(HostileAttachedTest, StepLines) {
  BackgroundPtk ptk({"step", "--from", function_, "--max", "3", "-p", pid()});
  ASSERT_TRUE(ptk.wait_err("attached")) << ptk.rest_of_err();
  ASSERT_TRUE(tracee_->go());
  std::string out = ptk.rest_of_out(), err = ptk.rest_of_err();
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 0") << err;
  EXPECT_TRUE(clean(out));
  EXPECT_TRUE(clean(err));
  EXPECT_TRUE(contains(out, fmt::format("<{}+0>", kFunction)));
}

// Error lines quote names too: the thread name of a process another tracer holds.
TEST_P(HostileAttachedTest, ErrorLines) {
  BackgroundPtk holder({"trace", "-o", "/dev/null", "-p", pid()});
  ASSERT_TRUE(holder.wait_err("attached")) << holder.rest_of_err();
  for (const char* sub : {"regs", "bt"}) {
    CommandResult r = run_command({PTK_CLI, sub, pid()});
    EXPECT_EQ(describe_status(r.status), "exited with 1") << r.err;
    EXPECT_TRUE(clean(r.err));
    EXPECT_TRUE(contains(r.err, fmt::format("process {} (t{}) is already traced", pid_, kEscaped)));
  }
  holder.kill(SIGINT);
  EXPECT_EQ(describe_status(holder.wait()), "killed by SIGINT");  // as strace -p
}

INSTANTIATE_TEST_SUITE_P(Bits, HostileOutputTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });
INSTANTIATE_TEST_SUITE_P(Bits, HostileAttachedTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
