// `ptk calls` on spawned programs: the exact trace of a -z now program (64- and 32-bit), ls,
// a library loaded with dlopen (-l), -e globs, and the JSON form.
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "calls_util.h"

namespace ptk_test {
namespace {

class CallsCliTest : public ptk_test::BitsTest {};

// The trace calls_znow must produce, built from what the program printed (see calls_znow.c).
std::vector<std::string> expected_znow_trace(const std::vector<std::string>& out, int bits) {
  std::vector<std::string> exp;
  exp.push_back("puts(\"hello\") = 6");
  // "strlen=N getenv=VALUE"
  std::string n = out.at(1).substr(7, out.at(1).find(' ') - 7);
  std::string value = out.at(1).substr(out.at(1).find("getenv=") + 7);
  exp.push_back(fmt::format("strlen(\"calls\") = {}", n));
  exp.push_back("malloc(32) = 0x?");
  exp.push_back(fmt::format("qsort(0x?, 3, {}, 0x?) <unfinished ...>", bits / 8));
  std::vector<std::string> printfs;
  for (std::size_t i = 2; i + 1 < out.size(); ++i) {  // "cmp A B R"
    std::istringstream in(out[i]);
    std::string cmp, a, b, r;
    in >> cmp >> a >> b >> r;
    exp.push_back(fmt::format("  strcmp(\"{}\", \"{}\") = {}", a, b, r));
    printfs.push_back(fmt::format("printf(\"cmp %s %s %d\\n\", \"{}\", \"{}\", {}) = {}", a, b, r,
                                  out[i].size() + 1));
  }
  exp.push_back("<... qsort resumed> = <void>");
  exp.push_back("free(0x?) = <void>");
  exp.push_back(fmt::format("getenv(\"CALLS_TEST_VAR\") = \"{}\"", value));
  exp.push_back(fmt::format("printf(\"strlen=%zu getenv=%s\\n\", {}, \"{}\") = {}", n, value,
                            out[1].size() + 1));
  exp.insert(exp.end(), printfs.begin(), printfs.end());
  std::istringstream sorted(out.back());
  std::string word, w1, w2, w3;
  sorted >> word >> w1 >> w2 >> w3;
  exp.push_back(fmt::format("printf(\"sorted %s %s %s\\n\", \"{}\", \"{}\", \"{}\") = {}", w1, w2,
                            w3, out.back().size() + 1));
  exp.push_back("__cxa_finalize(0x?) = <void>");
  exp.push_back("+++ exited (status 0) +++");
  return exp;
}

TEST_P(CallsCliTest, ZNowProgramGivesItsExactTrace) {
  ::setenv("CALLS_TEST_VAR", "v1", 1);
  TempFile trace("calls");
  CommandResult r = run_command(
      {PTK_CLI, "calls", "-o", trace.path(), "--", tracee_path("calls_znow", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> out = lines_of(r.out);
  ASSERT_GE(out.size(), 4U) << r.out;
  ASSERT_EQ(out[0], "hello");
  ASSERT_EQ(out[1], "strlen=5 getenv=v1");
  ASSERT_GE(out.size(), 4U);  // at least one comparison
  std::vector<std::string> got = read_lines(trace.path());
  std::vector<std::string> masked;
  for (const std::string& l : got) masked.push_back(mask_addresses(l));
  EXPECT_EQ(joined(masked), joined(expected_znow_trace(out, GetParam())));
  // The block malloc returned is the one freed.
  auto address_in = [&](std::string_view prefix, std::string_view after) {
    for (const std::string& l : got) {
      if (!l.starts_with(prefix)) continue;
      std::size_t at = l.find(after);
      return at == std::string::npos ? std::string() : l.substr(at + after.size());
    }
    return std::string();
  };
  std::string block = address_in("malloc(32)", " = ");
  EXPECT_TRUE(block.starts_with("0x")) << joined(got);
  EXPECT_EQ(address_in("free(", "free("), block + ") = <void>");
}

TEST_P(CallsCliTest, DlopenedLibraryIsTracedWithItsDwarfPrototypes) {
  std::string lib = fmt::format("{}/calls_plugin_{}.so", PTK_TRACEE_DIR, GetParam());
  CommandResult r = run_command({PTK_CLI, "calls", "-l", fmt::format("calls_plugin_{}", GetParam()),
                                 "--", tracee_path("calls_dlopen", GetParam()), lib});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "add=5 scale=-42 name=calls_plugin\nagain=12\n");
  std::vector<std::string> got = lines_of(r.err);
  ASSERT_EQ(got.size(), 5U) << r.err;
  // The order the first three are called in is the compiler's (printf's arguments).
  std::vector<std::string> first(got.begin(), got.begin() + 3);
  std::sort(first.begin(), first.end());
  EXPECT_EQ(joined(first),
            "plugin_add(2, 3) = 5\nplugin_name() = \"calls_plugin\"\nplugin_scale(-21, 2) = -42\n");
  // After dlclose and a second dlopen, the library's breakpoints are set again.
  EXPECT_EQ(got[3], "plugin_add(5, 7) = 12");
  EXPECT_EQ(got[4], "+++ exited (status 0) +++");
}

TEST_P(CallsCliTest, DlopenedLibmShowsDoublesAndAnIndirectFunction) {
  CommandResult r =
      run_command({PTK_CLI, "calls", "-l", "libm", "--", tracee_path("calls_libm", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "sqrt=1.4142135623730951 pow=1024 floor=-3 ldexp=12\n");
  EXPECT_EQ(r.err,
            "sqrt(2) = 1.4142135623730951\n"
            "pow(2, 10) = 1024\n"
            "floor(-2.5) = -3\n"
            "ldexp(0.75, 4) = 12\n"
            "+++ exited (status 0) +++\n");
}

TEST_P(CallsCliTest, GlobsIncludeAndExclude) {
  std::string prog = tracee_path("calls_znow", GetParam());
  CommandResult only = run_command({PTK_CLI, "calls", "-e", "str*", "-e", "!strcmp", "--", prog});
  ASSERT_EQ(describe_status(only.status), "exited with 0") << only.err;
  EXPECT_EQ(only.err, "strlen(\"calls\") = 5\n+++ exited (status 0) +++\n");
  CommandResult without =
      run_command({PTK_CLI, "calls", "-e", "!str*", "-e", "!printf", "--", prog});
  ASSERT_EQ(describe_status(without.status), "exited with 0") << without.err;
  std::string masked = mask_addresses(without.err);
  EXPECT_TRUE(contains(masked, "puts(\"hello\") = 6\n")) << without.err;
  // No strcmp under it now: the call is one line.
  EXPECT_TRUE(contains(masked, fmt::format("qsort(0x?, 3, {}, 0x?) = <void>\n", GetParam() / 8)));
  EXPECT_FALSE(contains(without.err, "str")) << without.err;
  EXPECT_FALSE(contains(without.err, "printf")) << without.err;
  CommandResult none = run_command({PTK_CLI, "calls", "-e", "nomatch*", "--", prog});
  ASSERT_EQ(describe_status(none.status), "exited with 0") << none.err;
  EXPECT_EQ(none.err,
            "+++ exited (status 0) +++\n"
            "ptk calls: warning: -e 'nomatch*' matched no traced function\n");
}

TEST_P(CallsCliTest, LibraryByNameTracesCallsFromOtherObjectsOnly) {
  CommandResult r = run_command({PTK_CLI, "calls", "-l", "libc.so.6", "-e", "strlen", "-e",
                                 "strcmp", "--", tracee_path("calls_znow", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  // The comparator's strcmp calls come from the program (qsort is not traced: depth 0); the
  // calls libc makes to itself (printf's strlen) are not reported.
  std::string want = "strlen(\"calls\") = 5\n";
  std::vector<std::string> out = lines_of(r.out);
  for (std::size_t i = 2; i + 1 < out.size(); ++i) {
    std::istringstream in(out[i]);
    std::string cmp, a, b, res;
    in >> cmp >> a >> b >> res;
    want += fmt::format("strcmp(\"{}\", \"{}\") = {}\n", a, b, res);
  }
  EXPECT_EQ(r.err, want + "+++ exited (status 0) +++\n");
}

TEST_P(CallsCliTest, JsonHasOneObjectPerCall) {
  CommandResult r = run_command({PTK_CLI, "calls", "--json", "-e", "strlen", "-e", "getenv", "--",
                                 tracee_path("calls_znow", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::vector<std::string> got = lines_of(r.err);
  ASSERT_EQ(got.size(), 3U) << r.err;
  EXPECT_TRUE(contains(got[0], R"("depth":0,"name":"strlen","args":["\"calls\""],"retval":"5"})"));
  EXPECT_TRUE(contains(got[1], R"("name":"getenv","args":["\"CALLS_TEST_VAR\""],"retval":)"));
  EXPECT_TRUE(contains(got[2], R"("exited":0})"));
}

TEST(CallsCliLs, ListsADirectoryThroughOpendirAndReaddirWithItsOutputUnchanged) {
  std::string dir = ::testing::TempDir() + fmt::format("ptk_calls_ls_{}", ::getpid());
  std::filesystem::create_directories(dir);
  for (const char* name : {"alpha", "beta", "gamma"}) std::ofstream(dir + "/" + name) << "x";
  CommandResult plain = run_command({"/bin/ls", dir});
  TempFile trace("calls");
  CommandResult traced = run_command({PTK_CLI, "calls", "-o", trace.path(), "--", "/bin/ls", dir});
  std::filesystem::remove_all(dir);
  ASSERT_EQ(describe_status(traced.status), "exited with 0") << traced.err;
  EXPECT_EQ(plain.out, "alpha\nbeta\ngamma\n");
  EXPECT_EQ(traced.out, plain.out);
  std::vector<std::string> got = read_lines(trace.path());
  std::string text = mask_addresses(joined(got));
  EXPECT_TRUE(contains(text, fmt::format("opendir(\"{}\") = 0x?\n", dir))) << text;
  // ".", "..", three files, then the end of the directory.
  long readdirs = std::count_if(got.begin(), got.end(),
                                [](const std::string& l) { return l.starts_with("readdir"); });
  EXPECT_EQ(readdirs, 6) << text;
  EXPECT_TRUE(contains(text, "readdir(0x?) = NULL\n"));
  EXPECT_TRUE(contains(text, "closedir(0x?) = 0\n"));
  for (const char* name : {"alpha", "beta", "gamma"}) {
    EXPECT_TRUE(contains(text, fmt::format("strlen(\"{}\") = {}\n", name, std::strlen(name))));
  }
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), "+++ exited (status 0) +++");
}

TEST_P(CallsCliTest, WriteShowsItsBufferByItsLength) {
  // write's buffer is no C string: its length is the next argument (ArgType::Buffer), and -s
  // cuts it like a string.
  CommandResult r =
      run_command({PTK_CLI, "calls", "-e", "write", "--", tracee_path("hello_writes", GetParam())});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.err,
            "write(1, \"hello, ptrace\\n\", 14) = 14\n"
            "write(1, \"second line!\\n\", 13) = 13\n"
            "+++ exited (status 0) +++\n");
  CommandResult cut = run_command(
      {PTK_CLI, "calls", "-s", "5", "-e", "write", "--", tracee_path("hello_writes", GetParam())});
  EXPECT_TRUE(contains(cut.err, "write(1, \"hello\"..., 14) = 14\n")) << cut.err;
}

INSTANTIATE_TEST_SUITE_P(Calls, CallsCliTest, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
