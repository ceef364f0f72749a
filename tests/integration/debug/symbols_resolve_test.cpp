// The symbol table of real processes, with binutils (nm, addr2line) as the oracle: the
// program's symbols, libc's (a dynamic program, both ABIs), source lines, the vDSO, objects
// loaded later with dlopen, C++ names, and the errors of unknown names and bad addresses.
#include <unistd.h>

#include <cinttypes>

#include "ptk/debug/stepper.h"
#include "ptk/debug/symbols.h"
#include "test_util.h"

namespace step_probe {
// A C++ function of this very test program, found by its demangled name.
__attribute__((noinline)) int twice(int x) { return 2 * x; }
// An ABI tag inside the name ("step_probe::Tagged[abi:v2]::thrice(int)"), which a user types
// without it.
struct [[gnu::abi_tag("v2")]] Tagged {
  static int thrice(int x);
};
__attribute__((noinline)) int Tagged::thrice(int x) { return 3 * x; }
}  // namespace step_probe

namespace ptk_test {
namespace {

using ptk::debug::SymbolTable;

// binutils is the oracle of most tests here; where it is missing (the arm64 VM's root image
// has none) they skip, as the strace comparisons do without strace.
#define PTK_REQUIRE_BINUTILS()                                                         \
  if (::access("/usr/bin/nm", X_OK) == 0 && ::access("/usr/bin/objdump", X_OK) == 0 && \
      ::access("/usr/bin/addr2line", X_OK) == 0) {                                     \
  } else                                                                               \
    GTEST_SKIP() << "binutils (nm, objdump, addr2line) is not installed"

// The value nm gives a defined symbol of `file` (dynamic: its .dynsym), without the version.
std::optional<std::uint64_t> nm_value(const std::string& file, const std::string& name,
                                      bool dynamic = false) {
  std::vector<std::string> argv = {"/usr/bin/nm", "--defined-only"};
  if (dynamic) argv.push_back("-D");
  argv.push_back(file);
  CommandResult r = run_command(argv);
  std::size_t start = 0;
  while (start < r.out.size()) {
    std::size_t nl = r.out.find('\n', start);
    std::string line = r.out.substr(start, nl - start);
    start = nl == std::string::npos ? r.out.size() : nl + 1;
    std::size_t last = line.rfind(' ');
    if (last == std::string::npos) continue;
    std::string sym = line.substr(last + 1);
    sym = sym.substr(0, sym.find('@'));
    if (sym == name) return std::strtoull(line.c_str(), nullptr, 16);
  }
  return std::nullopt;
}

// A traced process of `argv`, stopped at its first instruction, and its symbols.
struct Traced {
  explicit Traced(const std::string& program) {
    auto p = session.spawn({.argv = {program}});
    EXPECT_TRUE(p.ok()) << p.error().message();
    pid = p.ok() ? *p : 0;
  }
  // Runs until the first write returns: every library it needs is mapped by then.
  void run_to_write() {
    ptk::debug::Stepper stepper(session);
    auto tid = stepper.run_to_start(
        pid, {.kind = ptk::debug::StepStart::Kind::AfterSyscall, .address = 0, .syscall = "write"});
    ASSERT_TRUE(tid.ok()) << tid.error().message();
  }
  SymbolTable symbols() {
    auto t = SymbolTable::load(pid, &session.memory(pid));
    EXPECT_TRUE(t.ok()) << t.error().message();
    return std::move(t).value();
  }
  ptk::Session session{{.syscall_stops = ptk::SyscallStops::None}};
  pid_t pid = 0;
};

class SymbolsTest : public ptk_test::BitsTest {
 protected:
  int bits() const { return GetParam(); }
  ptk::Arch arch() const { return ptk_test::arch_of_bits(bits()); }
};

TEST_P(SymbolsTest, ProgramSymbolsAreAtTheirNmAddresses) {
  PTK_REQUIRE_BINUTILS();
  std::string program = tracee_path("nostd_count_loop", bits());
  Traced t(program);
  SymbolTable table = t.symbols();
  const ptk::debug::Module* main = table.main_program();
  ASSERT_NE(main, nullptr);
  EXPECT_EQ(main->arch, arch());
  EXPECT_EQ(table.find_module(fmt::format("nostd_count_loop_{}", bits())), main);
  for (std::string name : {"_start", "count_loop", "exit_now"}) {
    auto expected = nm_value(program, name);
    ASSERT_TRUE(expected.has_value()) << name;
    auto where = table.resolve(name);
    ASSERT_TRUE(where.ok()) << where.error().message();
    EXPECT_EQ(where->address, *expected + main->bias) << name;
    EXPECT_EQ(table.describe(where->address + 2).to_string(), name + "+2");
  }
  auto plus = table.resolve("count_loop+5");
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(plus->address, *nm_value(program, "count_loop") + 5);
}

TEST_P(SymbolsTest, LibcSymbolsOfADynamicProgram) {
  PTK_REQUIRE_BINUTILS();
  std::string program = tracee_path("hello_writes", bits());
  Traced t(program);
  t.run_to_write();
  SymbolTable table = t.symbols();
  const ptk::debug::Module* libc = table.find_module("libc");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->name, "libc.so.6");
  EXPECT_EQ(libc->arch, arch());
  EXPECT_EQ(table.find_module("libc.so.6"), libc);
  auto expected = nm_value(libc->path, "write", true);
  ASSERT_TRUE(expected.has_value());
  auto where = table.resolve("libc:write");
  ASSERT_TRUE(where.ok()) << where.error().message();
  EXPECT_EQ(where->address - libc->bias, *expected);
  EXPECT_EQ(table.resolve("libc.so.6:write")->address, where->address);
  EXPECT_EQ(table.module_at(where->address), libc);
  EXPECT_FALSE(where->ifunc);
  // GNU indirect functions in glibc (x86: strlen and memcmp; aarch64: strlen and memcpy, its
  // memcmp is plain): the symbol is a resolver's.
#if defined(__aarch64__)
  const char* const second_ifunc = "libc:memcpy";
#else
  const char* const second_ifunc = "libc:memcmp";
#endif
  for (const char* name : {"libc:strlen", second_ifunc, "strlen"}) {
    auto ifunc = table.resolve(name);
    ASSERT_TRUE(ifunc.ok()) << ifunc.error().message();
    EXPECT_TRUE(ifunc->ifunc) << name;
  }
  EXPECT_FALSE(table.resolve("libc:strlen+1")->ifunc);
  // Of write's aliases (__write, __libc_write, ...) the plain name is shown.
  EXPECT_EQ(table.describe(where->address).to_string(), "write+0");
  // The PIE program's main, moved by the program's load bias.
  const ptk::debug::Module* main = table.main_program();
  ASSERT_NE(main, nullptr);
  auto main_at = table.resolve("main");
  ASSERT_TRUE(main_at.ok());
  EXPECT_EQ(main_at->address, *nm_value(program, "main") + main->bias);
}

TEST_P(SymbolsTest, PltEntriesAreNamedAsObjdumpNamesThem) {
  PTK_REQUIRE_BINUTILS();
  std::string program = tracee_path("hello_writes", bits());
  CommandResult dump = run_command({"/usr/bin/objdump", "-d", "-j", ".plt", program});
  std::size_t label = dump.out.find(" <write@plt>:");
  ASSERT_NE(label, std::string::npos) << dump.out;
  std::size_t line_start = dump.out.rfind('\n', label) + 1;
  std::uint64_t expected = std::strtoull(dump.out.c_str() + line_start, nullptr, 16);
  Traced t(program);
  SymbolTable table = t.symbols();
  auto where = table.resolve("write@plt");
  ASSERT_TRUE(where.ok()) << where.error().message();
  EXPECT_EQ(where->address, expected + table.main_program()->bias);
  EXPECT_EQ(table.describe(where->address + 6).to_string(), "write@plt+6");
}

TEST_P(SymbolsTest, SourceLinesBothWays) {
  PTK_REQUIRE_BINUTILS();
  std::string program = tracee_path("hello_writes", bits());
  Traced t(program);
  SymbolTable table = t.symbols();
  // Line 8 of hello_writes.c is the write() call.
  auto where = table.resolve("hello_writes.c:8");
  ASSERT_TRUE(where.ok()) << where.error().message();
  EXPECT_TRUE(contains(where->description, "hello_writes.c:8 in main")) << where->description;
  auto line = table.line_at(where->address);
  ASSERT_TRUE(line.has_value());
  EXPECT_TRUE(line->file.ends_with("/hello_writes.c")) << line->file;
  EXPECT_EQ(line->line, 8);
  const ptk::debug::Module* main = table.main_program();
  CommandResult a2l = run_command(
      {"/usr/bin/addr2line", "-e", program, fmt::format("{:#x}", where->address - main->bias)});
  EXPECT_TRUE(contains(a2l.out, "hello_writes.c:8")) << a2l.out;
  EXPECT_EQ(table.describe(where->address).symbol->name, "main");
}

TEST_P(SymbolsTest, TheVdsoIsReadFromTheProcess) {
  Traced t(tracee_path("hello_writes", bits()));
  SymbolTable table = t.symbols();
  const ptk::debug::Module* vdso = table.find_module("vdso");
  ASSERT_NE(vdso, nullptr);
  EXPECT_EQ(vdso->path, "[vdso]");
  EXPECT_EQ(vdso->arch, arch());
  // i386 programs enter the kernel through the vDSO's __kernel_vsyscall; arm64's vDSO names
  // its functions __kernel_* (arch/arm64/kernel/vdso/vdso.lds.S).
#if defined(__aarch64__)
  std::string name = "__kernel_clock_gettime";
#else
  std::string name = bits() == 64 ? "__vdso_clock_gettime" : "__kernel_vsyscall";
#endif
  auto where = table.resolve("vdso:" + name);
  ASSERT_TRUE(where.ok()) << where.error().message();
  EXPECT_TRUE(vdso->contains(where->address));
}

TEST_P(SymbolsTest, RefreshFindsObjectsLoadedWithDlopen) {
  Traced t(tracee_path("symbols_dlopen", bits()));
  SymbolTable table = t.symbols();
  EXPECT_EQ(table.find_module("libm"), nullptr);
  t.run_to_write();  // after dlopen
  auto changed = table.refresh();
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  const ptk::debug::Module* libm = table.find_module("libm");
  ASSERT_NE(libm, nullptr);
  auto cos = table.resolve("libm:cos");
  ASSERT_TRUE(cos.ok()) << cos.error().message();
  EXPECT_TRUE(libm->contains(cos->address));
  EXPECT_FALSE(*table.refresh()) << "nothing mapped since";
}

INSTANTIATE_TEST_SUITE_P(Bits, SymbolsTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(SymbolsErrorsTest, UnknownNamesAndBadAddresses) {
  Traced t(tracee_path("hello_writes", 64));
  SymbolTable table = t.symbols();
  auto typo = table.resolve("mian");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().kind(), ptk::ErrorKind::NotFound);
  EXPECT_TRUE(contains(typo.error().message(), "no symbol 'mian'")) << typo.error().message();
  EXPECT_TRUE(contains(typo.error().message(), "close matches: main")) << typo.error().message();
  struct Case {
    std::string spec;
    ptk::ErrorKind kind;
    std::string says;
  };
  std::vector<Case> cases = {
      {"0xzz", ptk::ErrorKind::InvalidArgument, "bad address '0xzz'"},
      {"0x1", ptk::ErrorKind::BadAddress, "0x1 is in no object"},
      {"", ptk::ErrorKind::InvalidArgument, "empty location"},
      {"libnope:puts", ptk::ErrorKind::NotFound, "no object named 'libnope'"},
      {"hello_writes.c:9999", ptk::ErrorKind::NotFound, "no code at or after line 9999"},
      {"nosuch.c:3", ptk::ErrorKind::NotFound, "no source file 'nosuch.c'"},
  };
  for (const Case& c : cases) {
    auto r = table.resolve(c.spec);
    ASSERT_FALSE(r.ok()) << c.spec;
    EXPECT_EQ(r.error().kind(), c.kind) << c.spec << ": " << r.error().message();
    EXPECT_TRUE(contains(r.error().message(), c.says)) << r.error().message();
  }
  EXPECT_EQ(table.describe(1).to_string(), "");
}

TEST(SymbolsCxxTest, DemangledNamesOfThisTestProgram) {
  auto table = SymbolTable::load(::getpid());
  ASSERT_TRUE(table.ok()) << table.error().message();
  auto expected = reinterpret_cast<std::uintptr_t>(&step_probe::twice);
  for (std::string spec :
       {"step_probe::twice", "step_probe::twice(int)", "_ZN10step_probe5twiceEi"}) {
    auto where = table->resolve(spec);
    ASSERT_TRUE(where.ok()) << spec << ": " << where.error().message();
    EXPECT_EQ(where->address, expected) << spec;
  }
  EXPECT_EQ(table->describe(expected + 1).to_string(), "step_probe::twice(int)+1");
  auto tagged = table->resolve("step_probe::Tagged::thrice");
  ASSERT_TRUE(tagged.ok()) << tagged.error().message();
  EXPECT_EQ(tagged->address, reinterpret_cast<std::uintptr_t>(&step_probe::Tagged::thrice));
  EXPECT_TRUE(tagged->description.starts_with("step_probe::Tagged[abi:v2]::thrice(int)"))
      << tagged->description;
  auto typo = table->resolve("step_probe::twcie");
  ASSERT_FALSE(typo.ok());
  EXPECT_TRUE(contains(typo.error().message(), "step_probe::twice")) << typo.error().message();
  EXPECT_EQ(step_probe::twice(21), 42);
  EXPECT_EQ(step_probe::Tagged::thrice(14), 42);
}

}  // namespace
}  // namespace ptk_test
