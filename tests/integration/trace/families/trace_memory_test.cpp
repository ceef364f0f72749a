// `ptk trace` on the memory family: the calls of tests/tracees/memory_ops.c (mmap/mmap2 with
// every kind of flag, mprotect, mincore, madvise, msync, the mlock family, mremap, munmap, brk),
// checked against the lines strace 6.1 prints for them and, where strace is installed, against
// strace's own output for the same tracee.
#include <fstream>
#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

const std::regex kMemoryCall(
    "^(mmap|mmap2|munmap|mprotect|pkey_mprotect|mremap|madvise|brk|msync|mlock|mlock2|munlock|"
    "mlockall|munlockall|mincore|remap_file_pages)\\(");

std::string mask(std::string l) {
  static const std::regex kAddr("0x[0-9a-f]{5,}(?![0-9a-f]| /\\* [A-Z0-9_]*\\?)");
  static const std::regex kPad(" +=");
  return std::regex_replace(std::regex_replace(l, kAddr, "0xADDR"), kPad, " =");
}

std::vector<std::string> trace_with(const std::string& tracer, const std::vector<std::string>& opts,
                                    const std::string& prog) {
  std::string out = fmt::format("/tmp/ptk-memory-out-{}", ::getpid());
  // setarch -R: the same addresses in every run (the personality is inherited by the tracee).
  // ld.so aligns each library to its segments' alignment (64 KiB for arm64's libc) by mapping
  // more and unmapping the rest, so the lengths of those munmaps follow where the mapping
  // landed, and a randomised layout makes strace's run and ptk's differ.
  std::vector<std::string> argv = {"/usr/bin/setarch", "-R", tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out});
  argv.insert(argv.end(), opts.begin(), opts.end());
  // The tracee maps a file of at least two pages: itself.
  argv.insert(argv.end(), {"--", prog, prog});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  std::vector<std::string> lines = read_lines(out);
  ::unlink(out.c_str());
  return lines;
}

// arm64 has memory protection keys only with FEAT_S1POE and Linux 6.12 or later; elsewhere (the
// VM lane's 6.1) pkey_mprotect fails with ENOSYS, so there only the call itself is checked.
#if defined(__aarch64__)
constexpr const char* kPkeyMprotect = "pkey_mprotect(0xADDR, 4096, PROT_READ|PROT_WRITE, -1) = ";
#else
constexpr const char* kPkeyMprotect = "pkey_mprotect(0xADDR, 4096, PROT_READ|PROT_WRITE, -1) = 0";
#endif

class TraceMemory : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  std::string prog() const { return tracee_path("memory_ops", bits()); }
};

TEST_P(TraceMemory, ExpectedLines) {
  std::string all;
  for (const std::string& l : trace_with(PTK_CLI, {}, prog())) all += mask(l) + "\n";
  std::string mmap = bits() == 32 ? "mmap2" : "mmap";
  const std::vector<std::string> expected = {
      mmap + "(NULL, 32768, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xADDR",
      mmap + "(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0) = 0xADDR",
      // mmap2 takes pages; strace (and ptk) show bytes.
      mmap + "(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_POPULATE, 3, 0x1000) = 0xADDR",
      mmap + "(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK, -1, 0)",
      mmap + "(NULL, 4096, PROT_EXEC|PROT_SEM|0x100, MAP_FILE, -1, 0) = -1 EBADF",
      mmap + "(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED_NOREPLACE|0x80, -1, 0) = -1",
      mmap + "(NULL, 4096, PROT_READ, 0xf /* MAP_??? */|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0)",
      mmap + "(0xADDR, 4096, PROT_READ, 0x4 /* MAP_??? */|MAP_FIXED, 99, 0) = -1 EBADF",
      "mprotect(0xADDR, 4096, PROT_READ) = 0",
      "mprotect(0xADDR, 4096, PROT_NONE) = 0",
      "mprotect(0xADDR, 4096, PROT_READ|PROT_WRITE|PROT_GROWSUP) = -1 EINVAL",
      "mprotect(0xADDR, 4096, 0x10000 /* PROT_??? */) = -1 EINVAL",
      kPkeyMprotect,
      "mincore(0xADDR, 32768, [1, 0, 0, 1, 0, 0, 1, 0]) = 0",
      "mincore(0xADDR, 8193, [1, 0, 0]) = 0",
      "mincore(0xADDR, 4096, 0x10) = -1 EFAULT (Bad address)",
      "mincore(0xADDR, 0, []) = 0",
      "madvise(0xADDR, 4096, MADV_DONTNEED) = 0",
      "madvise(0xADDR, 4096, MADV_COLD) = 0",
      "madvise(0xADDR, 4096, 0x3e7 /* MADV_??? */) = -1 EINVAL (Invalid argument)",
      "msync(0xADDR, 4096, MS_SYNC|MS_INVALIDATE) = 0",
      "msync(0xADDR, 4096, 0) = 0",
      "msync(0xADDR, 4096, 0x8 /* MS_??? */) = -1 EINVAL (Invalid argument)",
      "mlock2(0xADDR, 4096, 0x10 /* MLOCK_??? */) = -1 EINVAL (Invalid argument)",
      "mlockall(MCL_FUTURE|0x10) = -1 EINVAL (Invalid argument)",
      "munlockall() = 0",
      "mremap(0xADDR, 8192, 16384, MREMAP_MAYMOVE) = 0xADDR",
      "mremap(0xADDR, 16384, 4096, 0) = 0xADDR",
      "mremap(0xADDR, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED|0x8, 0xADDR) = -1 EINVAL",
      "mremap(0xADDR, 4096, 4096, 0x10 /* MREMAP_??? */) = -1 EINVAL (Invalid argument)",
      "remap_file_pages(0xADDR, 4096, PROT_NONE, 0, MAP_FILE|MAP_NONBLOCK) = -1 EINVAL",
      "munmap(0xADDR, 32768) = 0",
      "munmap(0x10, 4096) = -1 EINVAL (Invalid argument)",
      "brk(NULL) = 0xADDR",
  };
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e)) << e;
}

TEST_P(TraceMemory, MincoreArrayIsCutWithoutVerbose) {
  std::string all;
  for (const std::string& l : trace_with(PTK_CLI, {"-s", "3"}, prog())) all += mask(l) + "\n";
  EXPECT_TRUE(contains(all, "mincore(0xADDR, 32768, [1, 0, 0, ...]) = 0"));
  all.clear();
  for (const std::string& l : trace_with(PTK_CLI, {"-s", "3", "-v"}, prog())) {
    all += mask(l) + "\n";
  }
  EXPECT_TRUE(contains(all, "mincore(0xADDR, 32768, [1, 0, 0, 1, 0, 0, 1, 0]) = 0"));
}

class TraceMemoryVsStrace
    : public ::testing::TestWithParam<std::tuple<int, std::vector<std::string>>> {};

TEST_P(TraceMemoryVsStrace, SameLinesAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  auto [bits, opts] = GetParam();
  PTK_REQUIRE_BITS(bits);
  std::string prog = tracee_path("memory_ops", bits);
  auto family = [&](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& l : lines) {
      if (std::regex_search(l, kMemoryCall)) out.push_back(mask(l));
    }
    return out;
  };
  std::vector<std::string> want = family(trace_with(kStrace, opts, prog));
  std::vector<std::string> got = family(trace_with(PTK_CLI, opts, prog));
  ASSERT_GT(want.size(), 40u);
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i], want[i]);
}

INSTANTIATE_TEST_SUITE_P(Abis, TraceMemory, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

INSTANTIATE_TEST_SUITE_P(Options, TraceMemoryVsStrace,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(std::vector<std::string>{},
                                                              std::vector<std::string>{"-v", "-s",
                                                                                       "2"})),
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
