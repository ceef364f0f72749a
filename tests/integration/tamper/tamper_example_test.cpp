// The article's example 4 (examples/ex4_reverse_write.cpp, on the tamper hook API): every
// write(2) of the program comes out reversed; and the same as one `ptk trace --rewrite` rule.
#include <fstream>

#include "test_util.h"

namespace ptk_test {
namespace {

class ListedDir {
 public:
  ListedDir() {
    char tmpl[] = "/tmp/ptk-ex4-test.XXXXXX";
    path_ = ::mkdtemp(tmpl);
    for (const char* name : {"alpha", "beta.txt", "gamma-3"}) {
      std::ofstream(fmt::format("{}/{}", path_, name));
    }
  }
  ~ListedDir() { (void)std::system(fmt::format("rm -rf '{}'", path_).c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(TamperExample, Ex4ReversesTheWritesOfLs) {
  ListedDir d;
  CommandResult plain = run_command({"/bin/ls", d.path()});
  ASSERT_EQ(plain.out, "alpha\nbeta.txt\ngamma-3\n");
  CommandResult r = run_command({example_path("ex4_reverse_write"), "/bin/ls", d.path()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  // ls writes its listing to a pipe in one write(2): the whole of it comes out reversed.
  EXPECT_EQ(r.out, "\n3-ammag\ntxt.ateb\nahpla");
  EXPECT_EQ(r.err, "");
}

TEST(TamperExample, Ex4ReversesEachWriteOfA32BitProgram) {
  PTK_REQUIRE_BITS(32);
  CommandResult r =
      run_command({example_path("ex4_reverse_write"), tracee_path("hello_writes", 32)});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "\necartp ,olleh\n!enil dnoces");  // two writes, each reversed
}

TEST(TamperExample, Ex4PassesOnTheExitStatus) {
  CommandResult r = run_command({example_path("ex4_reverse_write"), "/bin/ls", "/nonexistent"});
  EXPECT_EQ(describe_status(r.status), "exited with 2");
  // ls says so on stderr, through a write(2) too.
  EXPECT_TRUE(contains(r.err, "yrotcerid ro elif hcus oN")) << r.err;
}

// The one-liner of docs/trace.md and ptk-trace(1): the same effect without writing C++.
TEST(TamperExample, TheSameAsOneRewriteRule) {
  ListedDir d;
  CommandResult r = run_command({PTK_CLI, "trace", "-o", "/dev/null", "--rewrite",
                                 "write -> buf=reverse", "--", "/bin/ls", d.path()});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "\n3-ammag\ntxt.ateb\nahpla");
}

}  // namespace
}  // namespace ptk_test
