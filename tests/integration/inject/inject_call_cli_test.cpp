// `ptk call` and `ptk inject --lib` as a user runs them on a process the test starts: results
// printed; a missing function, malformed syntax, a faulting call, a library that does not
// exist or cannot load, a pid that is gone: one line each, nonzero exit, the process unharmed.
#include <utility>

#include "inject_util.h"

namespace ptk_test {
namespace {

CommandResult ptk_cmd(std::vector<std::string> argv) {
  argv.insert(argv.begin(), PTK_CLI);
  return run_command(argv);
}

class InjectCallCliTest : public BlockedReaderTest {
 protected:
  std::string pid() const { return std::to_string(child_->pid()); }
  std::string lib(std::string_view name) const { return tracee_path(name, GetParam()) + ".so"; }
};

TEST_P(InjectCallCliTest, CallsPrintTheirResult) {
  auto r = ptk_cmd({"call", "-p", pid(), "strlen(\"hello\")"});
  EXPECT_EQ(r.out, "strlen(\"hello\") = 5 (0x5)\n") << r.err;
  r = ptk_cmd({"call", "-p", pid(), "(int)getpid()", "--json"});
  EXPECT_TRUE(contains(r.out, fmt::format("\"pid\":{},", pid()))) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, fmt::format("\"retval\":{},", pid())));
  r = ptk_cmd({"call", "-p", pid(), "puts(\"from ptk call\")"});
  EXPECT_EQ(r.out, "puts(\"from ptk call\") = 14 (0xe)\n") << r.err;
  r = ptk_cmd({"call", "-p", pid(), "fflush(NULL)"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(child_->line(), "from ptk call");
  expect_unharmed();
}

// glibc's strlen and memcmp are GNU indirect functions: their symbols are resolvers. Named with
// their library, as with a plain name, the call reaches the implementation the process uses.
TEST_P(InjectCallCliTest, IndirectFunctionsNamedWithTheirLibraryAreCalledNotTheirResolvers) {
  const std::pair<std::string, std::string> calls[] = {
      {R"(libc:strlen("abcdef"))", R"(libc:strlen("abcdef") = 6 (0x6))"},
      {R"(strlen("abcdef"))", R"(strlen("abcdef") = 6 (0x6))"},
      {R"((int)libc:memcmp("abc", "abd", 3))", R"(libc:memcmp("abc", "abd", 3) = -1 ()"},
      {R"((int)libc:memcmp("abd", "abc", 3))", R"(libc:memcmp("abd", "abc", 3) = 1 (0x1))"},
      {R"((int)libc:memcmp("abc", "abc", 3))", R"(libc:memcmp("abc", "abc", 3) = 0 (0x0))"},
      {R"((int)memcmp("abd", "abc", 3))", R"(memcmp("abd", "abc", 3) = 1 (0x1))"},
  };
  for (const auto& [call, says] : calls) {
    auto r = ptk_cmd({"call", "-p", pid(), call});
    EXPECT_TRUE(r.out.starts_with(says)) << call << ": " << r.out << r.err;
    EXPECT_EQ(r.status, 0) << call << ": " << r.err;
  }
  expect_unharmed();
}

// The target belongs to root; ptk runs as nobody (setpriv, util-linux, is on every Debian).
TEST_P(InjectCallCliTest, OtherUsersProcessAsNonRootIsOneLineError) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  const std::vector<std::string> as_nobody = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                              "--clear-groups", PTK_CLI};
  for (std::vector<std::string> args : {std::vector<std::string>{"call", "-p", pid(), "getpid()"},
                                        {"inject", "-p", pid(), "--syscall", "getpid()"},
                                        {"inject", "-p", pid(), "--lib", lib("inject_marker")}}) {
    std::vector<std::string> argv = as_nobody;
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv);
    std::string prefix = "ptk " + args[0] + ": ";
    EXPECT_TRUE(one_line_error(r, prefix, "belongs to root")) << args[0];
    EXPECT_TRUE(contains(r.err, "Operation not permitted")) << r.err;
  }
  expect_unharmed();
}

TEST_P(InjectCallCliTest, BadCallsAreOneLineErrors) {
  EXPECT_TRUE(one_line_error(ptk_cmd({"call", "-p", pid(), "putz(\"x\")"}),
                             "ptk call: ", "close matches: putc, puts"));
  EXPECT_TRUE(
      one_line_error(ptk_cmd({"call", "-p", pid(), "puts(\"x\""}), "ptk call: ", "malformed call"));
  EXPECT_TRUE(one_line_error(ptk_cmd({"call", "-p", pid(), "strlen(0)"}),
                             "ptk call: ", "strlen did not return: SIGSEGV at 0x0"));
  expect_unharmed();
}

TEST_P(InjectCallCliTest, LibraryLoadAndUnload) {
  std::string path = lib("inject_marker");
  auto r = ptk_cmd({"inject", "-p", pid(), "--lib", path});
  EXPECT_TRUE(r.out.starts_with("loaded " + path)) << r.out << r.err;
  EXPECT_NE(ptk::read_proc_file(child_->pid(), "maps").value_or("").find(path), std::string::npos);
  r = ptk_cmd({"inject", "-p", pid(), "--lib", path, "--unload", "--json"});
  EXPECT_TRUE(contains(r.out, "\"ok\":true")) << r.out << r.err;
  EXPECT_EQ(ptk::read_proc_file(child_->pid(), "maps").value_or("").find(path), std::string::npos);
  EXPECT_TRUE(one_line_error(ptk_cmd({"inject", "-p", pid(), "--lib", "/nonexistent/x.so"}),
                             "ptk inject: ", "No such file or directory"));
  EXPECT_TRUE(one_line_error(ptk_cmd({"inject", "-p", pid(), "--lib", lib("inject_unresolved")}),
                             "ptk inject: ", "undefined symbol: ptk_no_such_function"));
  expect_unharmed();
}

TEST_P(InjectCallCliTest, PidThatIsGone) {
  expect_unharmed();
  EXPECT_TRUE(one_line_error(ptk_cmd({"call", "-p", pid(), "getpid()"}), "ptk call: ", ""));
  EXPECT_TRUE(one_line_error(ptk_cmd({"inject", "-p", pid(), "--lib", lib("inject_marker")}),
                             "ptk inject: ", ""));
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectCallCliTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
