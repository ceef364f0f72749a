// --rewrite rules around a deny/skip, and the examples of docs/rewrite-rules.md run as written:
// a rule that keeps a call from running decides its result alone, so the rules before it must
// not report that result as a failure of theirs, nor change it at exit.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ptk trace -o TRACE --rewrite RULE... -- COMMAND...
CommandResult trace_with_rules(const TempFile& trace, const std::vector<std::string>& rules,
                               const std::vector<std::string>& command) {
  std::vector<std::string> argv = {PTK_CLI, "trace", "-o", trace.path()};
  for (const std::string& rule : rules) {
    argv.push_back("--rewrite");
    argv.push_back(rule);
  }
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return run_command(argv);
}

class TamperSkipRules : public BitsTest {};

// The issue's case: the second write is denied after the first rule rewrote its buffer. Its
// EIO is the deny's own, not a failed write of the rewritten bytes.
TEST_P(TamperSkipRules, ABufferRewriteBeforeADenyReportsNothing) {
  TempFile t("skip-rules");
  CommandResult r = trace_with_rules(t, {"write -> buf=reverse", "write if #2 -> deny=EIO"},
                                     {tracee_path("hello_writes", GetParam())});
  EXPECT_EQ(describe_status(r.status), "exited with 1");  // the program saw its write fail
  EXPECT_EQ(r.out, "\necartp ,olleh");
  EXPECT_EQ(r.err, "");
  std::string text = slurp(t.path());
  EXPECT_TRUE(contains(text, "= -1 EIO (Input/output error) (REWRITTEN: buf) (INJECTED)")) << text;
}

// A path rewrite before a deny: no "openat -> ... failed: EACCES".
TEST_P(TamperSkipRules, APathRewriteBeforeADenyReportsNothing) {
  TempFile t("skip-rules");
  CommandResult r = trace_with_rules(t, {"openat -> path=\"/dev/null\"", "openat -> deny=EACCES"},
                                     {tracee_path("static_read_file", GetParam()), "/etc/passwd"});
  EXPECT_EQ(describe_status(r.status), "exited with 2");  // its open failed
  EXPECT_EQ(r.err, "");
}

// A return= before a deny: the deny's error reaches the program, unreplaced, without a warning.
TEST_P(TamperSkipRules, AReturnBeforeADenyLeavesTheDeniedResult) {
  TempFile t("skip-rules");
  CommandResult r = trace_with_rules(t, {"write -> return=14", "write -> deny=ENOSPC"},
                                     {tracee_path("hello_writes", GetParam())});
  EXPECT_EQ(describe_status(r.status), "exited with 1");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(contains(slurp(t.path()), "= -1 ENOSPC (No space left on device) (INJECTED)"));
}

// The rule after `prefix` in the examples of docs/rewrite-rules.md, as the doc spells it.
std::string doc_example(std::string_view prefix) {
  std::ifstream doc(std::string(PTK_SOURCE_DIR) + "/docs/rewrite-rules.md");
  for (std::string line; std::getline(doc, line);) {
    if (line.starts_with(prefix)) return line;
  }
  ADD_FAILURE() << "docs/rewrite-rules.md has no example starting with " << prefix;
  return {};
}

// "Censor what a program reads from its config": the password's value, up to the end of its
// line, is starred out; the other lines, and the rest of a value's line, are untouched.
TEST_P(TamperSkipRules, TheDocsCensorExampleDoesWhatTheDocSays) {
  std::string rule = doc_example("read if fd~\"*/app.conf\"");
  ASSERT_EQ(rule, R"(read if fd~"*/app.conf" -> buf=s/password=[^\n]*/password=*****/g)");
  TempFile dir("skip-rules-dir");
  ASSERT_EQ(::mkdir(dir.path().c_str(), 0700), 0);
  std::string conf = dir.path() + "/app.conf";
  std::ofstream(conf) << "user=ann\npassword=hunter2 and more\nport=80\npassword=n0t\\here\n";
  TempFile t("skip-rules");
  CommandResult r =
      trace_with_rules(t, {rule}, {tracee_path("static_read_file", GetParam()), conf});
  ::unlink(conf.c_str());
  ::rmdir(dir.path().c_str());
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "user=ann\npassword=*****\nport=80\npassword=*****\n");
  EXPECT_EQ(r.err, "");
}

INSTANTIATE_TEST_SUITE_P(Bits, TamperSkipRules, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
