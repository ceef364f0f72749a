// `ptk trace --rewrite` / `--rules` on real programs: path redirection (cat, python3, a static
// 32-bit program; a longer and a shorter path), the reversed write of the article, a deny, a
// read rewritten at exit, the marks in text and JSON, and bad rules refused up front.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

class Dir {
 public:
  Dir() {
    char tmpl[] = "/tmp/ptk-rewrite-test.XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~Dir() { (void)std::system(fmt::format("rm -rf '{}'", path_).c_str()); }
  std::string file(std::string_view name) const { return fmt::format("{}/{}", path_, name); }
  std::string write(std::string_view name, std::string_view content) const {
    std::string p = file(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ptk trace -o TRACE [OPTIONS...] -- COMMAND...
CommandResult trace(const std::string& out, std::vector<std::string> options,
                    const std::vector<std::string>& command) {
  std::vector<std::string> argv = {PTK_CLI, "trace", "-o", out};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  return run_command(argv);
}

std::string redirect(const std::string& from, const std::string& to) {
  return fmt::format(R"(openat(path="{}") -> path="{}")", from, to);
}

bool exited_ok(const CommandResult& r) { return WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0; }

TEST(TamperRewrite, CatReadsTheRedirectedFileLongerAndShorterPaths) {
  Dir d;
  std::string orig = d.write("orig", "the original\n");
  std::string longer = d.write("a-replacement-with-a-much-longer-name-than-the-original.txt",
                               "from the longer path\n");
  std::string shorter = d.write("s", "from the shorter path\n");
  for (const std::string& target : {longer, shorter}) {
    CommandResult r = trace(d.file("t"), {"--rewrite", redirect(orig, target)}, {"/bin/cat", orig});
    ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
    EXPECT_EQ(r.out, slurp(target));
    EXPECT_TRUE(contains(slurp(d.file("t")), "(REWRITTEN: path)"));
    EXPECT_EQ(r.err, "");
  }
  EXPECT_EQ(slurp(orig), "the original\n");  // the program's file was never touched
}

TEST(TamperRewrite, PythonOpenIsRedirected) {
  Dir d;
  std::string orig = d.write("orig", "the original");
  std::string target = d.write("other", "redirected content");
  CommandResult r =
      trace(d.file("t"), {"--rewrite", redirect(orig, target)},
            {"/usr/bin/python3", "-c", fmt::format("print(open('{}').read())", orig)});
  ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
  EXPECT_EQ(r.out, "redirected content\n");
}

class TamperRewriteAbi : public ptk_test::BitsTest {};

TEST_P(TamperRewriteAbi, StaticProgramReadsTheRedirectedFile) {
  Dir d;
  std::string orig = d.write("orig", "the original\n");
  std::string target = d.write("the-new-and-longer-file", "redirected\n");
  // %file: whichever of open and openat the C library uses for open(3).
  std::string rule = fmt::format(R"(%file(path="{}") -> path="{}")", orig, target);
  CommandResult r =
      trace(d.file("t"), {"--rewrite", rule}, {tracee_path("static_read_file", GetParam()), orig});
  ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
  EXPECT_EQ(r.out, "redirected\n");
  EXPECT_TRUE(contains(slurp(d.file("t")), "(REWRITTEN: path)"));
}

TEST_P(TamperRewriteAbi, ReadRewrittenAtExit) {
  Dir d;
  std::string file = d.write("data", "foo boo\nzoo\n");
  std::string prog = tracee_path("static_read_file", GetParam());
  CommandResult r = trace(d.file("t"), {"--rewrite", "read if fd=3 -> buf=s/o+/0/g"}, {prog, file});
  ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
  EXPECT_EQ(r.out, "f0 b0\nz0\n");  // shorter than what the kernel read: read() says so
  std::string t = slurp(d.file("t"));
  EXPECT_TRUE(contains(t, "(REWRITTEN: buf)"));
}

INSTANTIATE_TEST_SUITE_P(Bits, TamperRewriteAbi, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("abi{}", info.param); });

TEST(TamperRewrite, ReverseWriteOfLs) {
  Dir d, listed;
  for (const char* name : {"alpha", "beta.txt", "gamma-3"}) listed.write(name, "");
  CommandResult plain = run_command({"/bin/ls", listed.path()});
  ASSERT_EQ(plain.out, "alpha\nbeta.txt\ngamma-3\n");
  CommandResult r =
      trace(d.file("t"), {"--rewrite", "write if fd=1 -> buf=reverse"}, {"/bin/ls", listed.path()});
  ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
  // ls writes its listing in one write(2): the whole of it comes out reversed.
  EXPECT_EQ(r.out, "\n3-ammag\ntxt.ateb\nahpla");
}

TEST(TamperRewrite, DenyAndTheMarkInTextAndJson) {
  Dir d;
  std::string orig = d.write("orig", "x\n");
  std::string rule = fmt::format(R"(openat if path="{}" -> deny=EACCES)", orig);
  CommandResult r = trace(d.file("t"), {"--rewrite", rule}, {"/bin/cat", orig});
  ASSERT_TRUE(WIFEXITED(r.status));
  EXPECT_EQ(WEXITSTATUS(r.status), 1);
  EXPECT_TRUE(contains(r.err, "Permission denied"));
  EXPECT_TRUE(contains(slurp(d.file("t")), "= -1 EACCES (Permission denied) (INJECTED)"));

  CommandResult j = trace(d.file("j"), {"--json", "--rewrite", redirect(orig, "/nonexistent")},
                          {"/bin/cat", orig});
  ASSERT_TRUE(WIFEXITED(j.status));
  EXPECT_EQ(WEXITSTATUS(j.status), 1);
  EXPECT_TRUE(contains(slurp(d.file("j")), R"x("tamper":"(REWRITTEN: path)")x"));
  // ptk says once that the redirected open failed.
  EXPECT_TRUE(contains(j.err, R"(ptk: rewrite: openat -> "/nonexistent" failed: ENOENT)"));
}

TEST(TamperRewrite, RulesFile) {
  Dir d;
  std::string orig = d.write("orig", "one\n");
  std::string target = d.write("two", "two\n");
  std::string rules = d.write("rules", fmt::format("# redirect\n\n{}\n", redirect(orig, target)));
  CommandResult r = trace(d.file("t"), {"--rules", rules}, {"/bin/cat", orig});
  ASSERT_TRUE(exited_ok(r)) << describe_status(r.status) << r.err;
  EXPECT_EQ(r.out, "two\n");
}

TEST(TamperRewrite, BadRulesAreRefusedBeforeTheTraceeStarts) {
  Dir d;
  std::string marker = d.file("ran");
  std::vector<std::string> touch = {"/usr/bin/touch", marker};
  struct Case {
    std::vector<std::string> options;
    std::string line;
  } cases[] = {
      {{"--rewrite", R"(openat(pth="/x") -> path="/y")"},
       R"(ptk trace: --rewrite 'openat(pth="/x") -> path="/y"': openat has no argument "pth" )"
       "(arguments: dfd, filename, flags, mode)\n"},
      {{"--rewrite", "unlinkat -> deny=ENOPE"},
       "ptk trace: --rewrite 'unlinkat -> deny=ENOPE': deny=ENOPE: unknown errno \"ENOPE\"; errnos "
       "are named as in errno(3): EPERM, ENOENT, EACCES...\n"},
      {{"--rewrite", "opnat -> deny=EPERM"},
       "ptk trace: --rewrite 'opnat -> deny=EPERM': unknown syscall \"opnat\"; did you mean "
       "openat, openat2?\n"},
      {{"--rewrite", R"(openat if path~"[a" -> deny=EPERM)"},
       R"(ptk trace: --rewrite 'openat if path~"[a" -> deny=EPERM': bad glob "[a": '[' at offset )"
       "0 is never closed\n"},
      {{"--rewrite", "openat if path=~/a(b/ -> deny=EPERM"},
       "ptk trace: --rewrite 'openat if path=~/a(b/ -> deny=EPERM': bad regex /a(b/: "
       "Unmatched ( or \\(\n"},
      {{"--rewrite", R"(getpid -> path="/x")"},
       R"(ptk trace: --rewrite 'getpid -> path="/x"': getpid has no argument "path" )"
       "(arguments: none)\n"},
      {{"--rules", d.write("bad", "unlinkat -> deny=EPERM\nopenat -> flags=\"x\"\n")},
       fmt::format("ptk trace: {}:2: flags=\"x\": openat's flags is a set of flags, not a string "
                   "or a buffer (set it with a number: flags=N)\n",
                   d.file("bad"))},
  };
  for (const Case& c : cases) {
    CommandResult r = trace(d.file("t"), c.options, touch);
    ASSERT_TRUE(WIFEXITED(r.status));
    EXPECT_EQ(WEXITSTATUS(r.status), 2);
    EXPECT_EQ(r.err, c.line);
    EXPECT_NE(::access(marker.c_str(), F_OK), 0) << "the tracee ran";
  }
}

}  // namespace
}  // namespace ptk_test
