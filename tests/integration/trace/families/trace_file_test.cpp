// `ptk trace` on the file family: the calls of tests/tracees/file_ops.c (open family, stat
// family, statx, permissions, links and directories, getdents64, file times, getcwd, statfs),
// checked against the lines strace 6.1 prints for them (x86_64's and i386's; aarch64's are
// x86_64's with each legacy call made as its *at call) and, where strace is installed, against
// strace's own output for the same tracee, with and without -v, -s and -x.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "test_util.h"
#include "trace/trace_compare_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The syscalls of the file family, as strace names them: the lines the strace comparison keeps.
const std::regex kFileCall(
    "^(open|openat|openat2|creat|stat|lstat|fstat|newfstatat|statx|access|faccessat|faccessat2|"
    "readlink|readlinkat|getdents64|getdents|mkdir|mkdirat|unlink|unlinkat|rename|renameat|"
    "renameat2|chmod|fchmod|fchmodat|chown|lchown|fchown|fchownat|truncate|ftruncate|utimensat|"
    "getcwd|chdir|fchdir|statfs|fstatfs|stat64|lstat64|fstat64|fstatat64|statfs64|fstatfs64|"
    "chown32|lchown32|fchown32|truncate64|ftruncate64|utimensat_time64|link|linkat|symlink|"
    "rmdir|mknod|mknodat|symlinkat|name_to_handle_at|open_by_handle_at)\\(");

// What differs between two runs or two machines: addresses, the alignment of " = ", the free
// space of the file system, file handles.
std::string mask(std::string l) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("0x[0-9a-f]{5,}(?![0-9a-f]| /\\* [A-Z0-9_]*\\?)"), "0xADDR"},
      {std::regex(" +="), " ="},
      {std::regex("(f_bfree|f_bavail|f_ffree)=[0-9]+"), "$1=N"},
      {std::regex("f_handle=\"[^\"]*\""), "f_handle=H"},  // the inode's generation
  };
  for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  return l;
}

// With -v: the times and inode numbers of the files the tracee creates.
std::string mask_verbose(std::string l) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("(st_[amc]time|stx_[abcm]time|d_ino|d_off|st_ino|stx_ino|_nsec)=[0-9]+"), "$1=N"},
      {std::regex("tv_sec=[0-9]+, tv_nsec=[0-9N]+"), "TS"},
      {std::regex(" /\\* [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} \\*/"), " DATE"},
  };
  for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  return l;
}

// A fresh directory for the tracee, the same path on every run (getcwd shows it).
class WorkDir : public ScratchDir {
 public:
  explicit WorkDir(int bits) : ScratchDir(fmt::format("/tmp/ptk-file-{}-{}", ::getpid(), bits)) {}
};

std::vector<std::string> trace_with(const std::string& tracer, const std::vector<std::string>& opts,
                                    const std::vector<std::string>& cmd) {
  return trace_lines(tracer, opts, cmd);
}

// The tracee's own calls: from umask(022) on, masked.
std::vector<std::string> own_calls(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (l.starts_with("umask(")) on = true;
    if (on) out.push_back(mask(l));
  }
  return out;
}

#if defined(__aarch64__)
// aarch64's generic syscall table has no legacy path calls: file_ops.c makes the *at call glibc
// makes for each instead, on AT_FDCWD. x86's expected line of such a call, as aarch64 shows it.
std::string as_aarch64(const std::string& line) {
  static const std::pair<std::string_view, std::string_view> kIrregular[] = {
      {"creat(\"created\", 0600) = 8",
       "openat(AT_FDCWD, \"created\", O_WRONLY|O_CREAT|O_TRUNC, 0600) = 8"},
      {"stat(\"data\", {st_mode=S_IFREG|0644, st_size=12, ...}) = 0",
       "newfstatat(AT_FDCWD, \"data\", {st_mode=S_IFREG|0644, st_size=12, ...}, 0) = 0"},
      {"stat(\"data\", 0x10) = -1 EFAULT (Bad address)",
       "newfstatat(AT_FDCWD, \"data\", 0x10, 0) = -1 EFAULT (Bad address)"},
      {"lstat(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0",
       "newfstatat(AT_FDCWD, \"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), "
       "...}, AT_SYMLINK_NOFOLLOW) = 0"},
      {"chown(\"data\", -1, -1) = 0", "fchownat(AT_FDCWD, \"data\", -1, -1, 0) = 0"},
      {"lchown(\"missing\", 1000, -1) = -1 ENOENT (No such file or directory)",
       "fchownat(AT_FDCWD, \"missing\", 1000, -1, AT_SYMLINK_NOFOLLOW) = -1 ENOENT (No such file "
       "or directory)"},
  };
  for (const auto& [x86, a64] : kIrregular) {
    if (line == x86) return std::string(a64);
  }
  // The calls whose *at form only adds the directory: open(p, ...) is openat(AT_FDCWD, p, ...).
  static const std::pair<std::string_view, std::string_view> kAt[] = {
      {"open(", "openat("},         {"access(", "faccessat("}, {"chmod(", "fchmodat("},
      {"readlink(", "readlinkat("}, {"mkdir(", "mkdirat("},    {"mknod(", "mknodat("},
  };
  for (const auto& [x86, a64] : kAt) {
    if (line.starts_with(x86)) return fmt::format("{}AT_FDCWD, {}", a64, line.substr(x86.size()));
  }
  return line;
}
#endif

class TraceFile : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    PTK_REQUIRE_TRACEE("file_ops");
  }
  int bits() const { return GetParam(); }
  std::string prog() const { return tracee_path("file_ops", bits()); }
};

TEST_P(TraceFile, ExpectedLines) {
  WorkDir dir(bits());
  std::vector<std::string> got = own_calls(trace_with(PTK_CLI, {}, {prog(), dir.path()}));
  std::string all;
  for (const std::string& l : got) all += l + "\n";
  bool i386 = bits() == 32;
  std::vector<std::string> expected = {
      "open(\"data\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3",
      "open(\"missing\", O_RDONLY) = -1 ENOENT (No such file or directory)",
      "openat(AT_FDCWD, \"data\", O_RDWR|O_APPEND|O_CLOEXEC) = 4",
      "openat(AT_FDCWD, \".\", O_RDWR|O_EXCL|O_TMPFILE, 0600) = 5",
      "openat(AT_FDCWD, \"data\", O_ACCMODE|O_NONBLOCK|O_NOFOLLOW|0x20) = 6",
      "openat(AT_FDCWD, 0x10, O_RDONLY) = -1 EFAULT (Bad address)",
      "openat(AT_FDCWD, \".\", O_RDONLY|O_DIRECTORY) = 7",
      "openat2(7, \"data\", {flags=O_RDONLY|O_CLOEXEC, "
      "resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = 8",
      "openat2(AT_FDCWD, \"data\", {flags=O_WRONLY|O_CREAT, mode=0640, "
      "resolve=0x100 /* RESOLVE_??? */}, 24) = -1 EINVAL (Invalid argument)",
      "openat2(AT_FDCWD, \"data\", 0x10, 24) = -1 EFAULT (Bad address)",
      "openat2(AT_FDCWD, \"data\", 0xADDR, 12) = -1 EINVAL (Invalid argument)",
      "creat(\"created\", 0600) = 8",
      "stat(\"data\", {st_mode=S_IFREG|0644, st_size=12, ...}) = 0",
      "statx(AT_FDCWD, \"/dev/null\", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, "
      "{stx_mask=STATX_BASIC_STATS",
      "statx(AT_FDCWD, \"missing\", AT_STATX_FORCE_SYNC, STATX_ALL, 0xADDR) = -1 ENOENT",
      "statx(AT_FDCWD, \"data\", AT_STATX_SYNC_AS_STAT, 0x80000000 /* STATX_??? */, 0x10) = -1 "
      "EINVAL (Invalid argument)",
      "access(\"data\", R_OK|W_OK) = 0",
      "access(\"missing\", F_OK) = -1 ENOENT (No such file or directory)",
      "access(\"data\", 0x10 /* ?_OK */) = -1 EINVAL (Invalid argument)",
      "faccessat2(7, \"data\", R_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = 0",
      "faccessat2(AT_FDCWD, \"data\", R_OK, 0x40000000 /* AT_??? */) = -1 EINVAL",
      "chmod(\"data\", 0640) = 0",
      "fchmod(3, 04755) = 0",
      "fchmodat(AT_FDCWD, \"data\", 0644) = 0",
      "chmod(\"missing\", 021505) = -1 ENOENT (No such file or directory)",
      "fchownat(7, \"data\", -1, -1, AT_SYMLINK_NOFOLLOW) = 0",
      "readlink(\"link\", \"data\", 4096) = 4",
      "readlink(\"link\", \"da\", 2) = 2",
      "readlinkat(7, \"link\", \"data\", 4096) = 4",
      "readlinkat(AT_FDCWD, \"data\", 0xADDR, 4096) = -1 EINVAL (Invalid argument)",
      "mkdirat(7, \"sub2\", 0700) = 0",
      "mkdir(\"sub\", 0755) = -1 EEXIST (File exists)",
      "renameat(AT_FDCWD, \"renamed\", 7, \"renamed2\") = 0",
      "renameat2(7, \"renamed2\", AT_FDCWD, \"data\", RENAME_NOREPLACE) = -1 EEXIST (File exists)",
      "renameat2(AT_FDCWD, \"renamed2\", AT_FDCWD, \"sub\", RENAME_EXCHANGE) = 0",
      "renameat2(AT_FDCWD, \"a\", AT_FDCWD, \"b\", 0x100 /* RENAME_?? */) = -1 EINVAL",
      "mknod(\"fifo\", S_IFIFO|0644) = 0",
      "mknodat(AT_FDCWD, \"nodir/dev\", S_IFCHR|0600, makedev(0x1, 0x3)) = -1 ENOENT",
      "mknodat(7, \"nodir/sock\", S_IFSOCK|S_ISUID|0755) = -1 ENOENT",
      "linkat(7, \"hard\", AT_FDCWD, \"hard2\", AT_SYMLINK_FOLLOW) = 0",
      "unlinkat(7, \"hard2\", 0) = 0",
      "unlinkat(AT_FDCWD, \"sub2\", AT_REMOVEDIR) = 0",
      "getdents64(7, 0xADDR /* 7 entries */, 4096) = 176",
      "getdents64(7, 0xADDR /* 0 entries */, 4096) = 0",
      "getdents64(3, 0xADDR, 4096) = -1 ENOTDIR (Not a directory)",
      "utimensat(AT_FDCWD, \"data\", [{tv_sec=1700000000, tv_nsec=123456789} /* "
      "2023-11-14T22:13:20.123456789+0000 */, {tv_sec=1700000001, tv_nsec=0} /* "
      "2023-11-14T22:13:21+0000 */], 0) = 0",
      "utimensat(3, NULL, NULL, 0) = 0",
      fmt::format("getcwd(\"{}\", 4096) = {}", dir.path(), dir.path().size() + 1),
      "getcwd(0xADDR, 1) = -1 ERANGE (Numerical result out of range)",
      "fchdir(7) = 0",
      "statfs(\"missing\", 0xADDR) = -1 ENOENT (No such file or directory)",
      "name_to_handle_at(7, \"data\", 0x10, 0xADDR, 0) = -1 EFAULT (Bad address)",
      "open_by_handle_at(-1, {handle_bytes=",
  };
  if (i386) {
    expected.insert(
        expected.end(),
        {
            "stat64(\"data\", {st_mode=S_IFREG|0644, st_size=12, ...}) = 0",
            "lstat64(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0",
            "fstat64(3, {st_mode=S_IFREG|0644, st_size=12, ...}) = 0",
            "stat64(\"data\", 0x10) = -1 EFAULT (Bad address)",
            "fstatat64(3, \"\", {st_mode=S_IFREG|0644, st_size=12, ...}, AT_EMPTY_PATH) = 0",
            "fstatat64(7, \"data\", {st_mode=S_IFREG|0644, st_size=12, ...}, "
            "AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT) = 0",
            "chown32(\"data\", -1, -1) = 0",
            "lchown32(\"missing\", 1000, -1) = -1 ENOENT (No such file or directory)",
            "fchown32(3, -1, -1) = 0",
            "chown(\"data\", -1, -1) = 0",
            "truncate64(\"data\", 16) = 0",
            "ftruncate64(3, 12) = 0",
            "utimensat_time64(7, \"data\", [{tv_sec=1700000000, tv_nsec=5} /* "
            "2023-11-14T22:13:20.000000005+0000 */, UTIME_OMIT], AT_SYMLINK_NOFOLLOW) = 0",
            "statfs64(\".\", 84, {f_type=",
            "fstatfs64(3, 88, 0xADDR) = -1 EINVAL (Invalid argument)",
        });
  } else {
    expected.insert(
        expected.end(),
        {
            "lstat(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0",
            "fstat(3, {st_mode=S_IFREG|0644, st_size=12, ...}) = 0",
            "stat(\"data\", 0x10) = -1 EFAULT (Bad address)",
            "newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=12, ...}, AT_EMPTY_PATH) = 0",
            "newfstatat(7, \"data\", {st_mode=S_IFREG|0644, st_size=12, ...}, "
            "AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT) = 0",
            "chown(\"data\", -1, -1) = 0",
            "lchown(\"missing\", 1000, -1) = -1 ENOENT (No such file or directory)",
            "fchown(3, -1, -1) = 0",
            "truncate(\"data\", 100) = 0",
            "ftruncate(3, 12) = 0",
            "utimensat(7, \"data\", [UTIME_NOW, UTIME_OMIT], AT_SYMLINK_NOFOLLOW) = 0",
            "utimensat(AT_FDCWD, \"data\", 0x10, 0) = -1 EFAULT (Bad address)",
            "statfs(\".\", {f_type=",
            "fstatfs(3, {f_type=",
        });
  }
#if defined(__aarch64__)
  for (std::string& e : expected) e = as_aarch64(e);
#endif
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e)) << e;
}

// strace itself on the same tracee: every line of the family identical (addresses masked).
class TraceFileVsStrace
    : public ::testing::TestWithParam<std::tuple<int, std::vector<std::string>>> {};

TEST_P(TraceFileVsStrace, SameLinesAsStrace) {
  PTK_REQUIRE_TRACEE("file_ops");
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  auto [bits, opts] = GetParam();
  PTK_REQUIRE_BITS(bits);
  bool verbose = std::find(opts.begin(), opts.end(), "-v") != opts.end();
  WorkDir dir(bits);
  std::vector<std::string> cmd = {tracee_path("file_ops", bits), dir.path()};
  std::vector<std::string> theirs = trace_with(kStrace, opts, cmd);
  dir.reset();
  std::vector<std::string> ours = trace_with(PTK_CLI, opts, cmd);
  auto family = [&](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& l : lines) {
      if (std::regex_search(l, kFileCall)) out.push_back(verbose ? mask_verbose(mask(l)) : mask(l));
    }
    return out;
  };
  std::vector<std::string> want = family(theirs), got = family(ours);
  ASSERT_GT(want.size(), 70u);
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]);
}

INSTANTIATE_TEST_SUITE_P(Abis, TraceFile, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

INSTANTIATE_TEST_SUITE_P(
    Options, TraceFileVsStrace,
    ::testing::Combine(::testing::Values(64, 32),
                       ::testing::Values(std::vector<std::string>{}, std::vector<std::string>{"-v"},
                                         std::vector<std::string>{"-s", "3"},
                                         std::vector<std::string>{"-x", "-v", "-s", "300"})),
    [](const auto& info) {
      std::string name = fmt::format("m{}", std::get<0>(info.param));
      for (const std::string& o : std::get<1>(info.param)) {
        for (char c : o) {
          if (std::isalnum(static_cast<unsigned char>(c))) name += c;
        }
      }
      return name;
    });

}  // namespace
}  // namespace ptk_test
