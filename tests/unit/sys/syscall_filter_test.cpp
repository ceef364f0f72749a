// -e trace= sets: every form of strace's syntax (strace(1), "Filtering"), what each selects on
// each ABI, and the one-line errors for what strace refuses too.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ptk/sys/filter.h"
#include "x86_host.h"

namespace ptk::sys {
namespace {

constexpr Arch k64 = Arch::X86_64;
constexpr Arch k32 = Arch::I386;

SyscallFilter parse_ok(std::string_view expr) {
  auto f = SyscallFilter::parse(expr);
  EXPECT_TRUE(f.ok()) << "trace=" << expr << ": " << (f.ok() ? "" : f.error().message());
  return f.ok() ? std::move(*f) : SyscallFilter{};
}

// The error message of a set that must be refused ("" when it was accepted).
std::string parse_error(std::string_view expr) {
  auto f = SyscallFilter::parse(expr);
  EXPECT_FALSE(f.ok()) << "trace=" << expr << " was accepted";
  return f.ok() ? std::string() : f.error().message();
}

bool selects(const SyscallFilter& f, Arch arch, std::string_view name) {
  const SyscallSpec* s = find_syscall(arch, name);
  EXPECT_NE(s, nullptr) << name;
  return s != nullptr && f.selects(arch, s->nr);
}

std::size_t count(const SyscallFilter& f, Arch arch) { return f.selected(arch).size(); }

TEST(SyscallFilter, NamesSelectOnEveryAbiThatHasThem) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("open,mmap2");
  EXPECT_TRUE(selects(f, k64, "open"));
  EXPECT_TRUE(selects(f, k32, "open"));
  EXPECT_TRUE(selects(f, k32, "mmap2"));
  EXPECT_FALSE(selects(f, k64, "close"));
  EXPECT_EQ(count(f, k64), 1u);
  EXPECT_EQ(count(f, k32), 2u);
  EXPECT_FALSE(f.selects_all());
}

TEST(SyscallFilter, NamesPastTheInstalledHeaders) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("mseal,futex_wake,map_shadow_stack");
  EXPECT_TRUE(f.selects(k64, 462));
  EXPECT_TRUE(f.selects(k32, 462));
  EXPECT_TRUE(f.selects(k64, 454));
  EXPECT_TRUE(f.selects(k32, 454));
  EXPECT_TRUE(f.selects(k64, 453));
  EXPECT_FALSE(f.selects(k32, 453));  // map_shadow_stack is x86_64's only
  EXPECT_TRUE(selects(parse_ok("%memory"), k64, "mseal"));
  EXPECT_TRUE(selects(parse_ok("%file"), k32, "fchmodat2"));
}

TEST(SyscallFilter, EmptyElementsAreSkipped) {
  PTK_REQUIRE_X86_HOST();
  for (std::string_view expr : {",mmap", "mmap,", "mmap,,", ",,mmap,,"}) {
    SyscallFilter f = parse_ok(expr);
    EXPECT_TRUE(selects(f, k64, "mmap")) << expr;
    EXPECT_EQ(count(f, k64), 1u) << expr;
  }
  SyscallFilter f = parse_ok("mmap,,close");
  EXPECT_EQ(count(f, k64), 2u);
}

TEST(SyscallFilter, AnEmptySetIsRefused) {
  for (std::string_view expr : {"", ",", ",,", "!", "!,", "!!"}) {
    std::string e = parse_error(expr);
    EXPECT_NE(e.find("invalid system call"), std::string::npos) << e;
    EXPECT_NE(e.find("names no syscall"), std::string::npos) << e;
  }
}

TEST(SyscallFilter, NegationFlipsTheWholeSetOncePerBang) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("!mmap");
  EXPECT_FALSE(selects(f, k64, "mmap"));
  EXPECT_FALSE(selects(f, k32, "mmap"));
  EXPECT_TRUE(selects(f, k64, "close"));
  EXPECT_TRUE(selects(f, k32, "mmap2"));
  EXPECT_FALSE(f.selects_all());
  SyscallFilter twice = parse_ok("!!brk");
  EXPECT_TRUE(selects(twice, k64, "brk"));
  EXPECT_EQ(count(twice, k64), 1u);
  EXPECT_FALSE(selects(parse_ok("!,mmap"), k64, "mmap"));
  // '!' negates only the whole set, at its start.
  std::string e = parse_error("open,!close");
  EXPECT_NE(e.find("invalid system call '!close'"), std::string::npos) << e;
  EXPECT_NE(e.find("only at its start"), std::string::npos) << e;
}

TEST(SyscallFilter, QuestionMarkMakesNoMatchNoError) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("?no_such_call,close");
  EXPECT_EQ(count(f, k64), 1u);
  EXPECT_EQ(count(parse_ok("?no_such_call"), k64), 0u);
  EXPECT_TRUE(selects(parse_ok("??mmap"), k64, "mmap"));
  EXPECT_EQ(count(parse_ok("?"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?,"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?%bogus"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?1000"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?mmap2@64"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?!mmap"), k64), 0u);  // after '?', '!' is part of the name
  // As in strace, '?' does not excuse a regex that does not compile or a bad personality.
  EXPECT_NE(parse_error("?/[").find("regular expression"), std::string::npos);
  EXPECT_NE(parse_error("?mmap@16").find("personality"), std::string::npos);
}

TEST(SyscallFilter, PersonalitySuffixesLimitAnElementToOneAbi) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f64 = parse_ok("mmap@64");
  EXPECT_TRUE(selects(f64, k64, "mmap"));
  EXPECT_FALSE(selects(f64, k32, "mmap"));
  SyscallFilter f32 = parse_ok("mmap@32");
  EXPECT_FALSE(selects(f32, k64, "mmap"));
  EXPECT_TRUE(selects(f32, k32, "mmap"));
  SyscallFilter both = parse_ok("mmap@32,mmap@64");
  EXPECT_TRUE(selects(both, k64, "mmap"));
  EXPECT_TRUE(selects(both, k32, "mmap"));
  EXPECT_TRUE(selects(parse_ok("mseal@32"), k32, "mseal"));
  EXPECT_FALSE(selects(parse_ok("mseal@32"), k64, "mseal"));
  // Numbers, classes, regexes and all take a personality too.
  SyscallFilter n = parse_ok("59@64");
  EXPECT_TRUE(n.selects(k64, 59));
  EXPECT_FALSE(n.selects(k32, 59));
  SyscallFilter cls = parse_ok("%file@32");
  EXPECT_EQ(count(cls, k64), 0u);
  EXPECT_TRUE(selects(cls, k32, "open"));
  SyscallFilter re = parse_ok("/^mm@64");
  EXPECT_TRUE(selects(re, k64, "mmap"));
  EXPECT_FALSE(selects(re, k32, "mmap2"));
  SyscallFilter all32 = parse_ok("all@32");
  EXPECT_EQ(count(all32, k64), 0u);
  EXPECT_EQ(count(all32, k32), SyscallFilter::kMaxNr);
  EXPECT_FALSE(all32.selects_all());
  // The negation applies after the suffixes: everything but i386's mmap.
  SyscallFilter neg = parse_ok("!mmap@32");
  EXPECT_TRUE(selects(neg, k64, "mmap"));
  EXPECT_FALSE(selects(neg, k32, "mmap"));
}

TEST(SyscallFilter, X32IsAcceptedAndSelectsNothing) {
  PTK_REQUIRE_X86_HOST();
  // ptk traces no x32 process; x32 numbers x86_64's calls, so its names are checked there.
  for (std::string_view expr : {"mmap@x32", "%file@x32", "/^mm@x32", "9@x32", "all@x32"}) {
    SyscallFilter f = parse_ok(expr);
    EXPECT_EQ(count(f, k64), 0u) << expr;
    EXPECT_EQ(count(f, k32), 0u) << expr;
  }
  std::string e = parse_error("mmap2@x32");
  EXPECT_NE(e.find("mmap2 is a syscall of i386 only"), std::string::npos) << e;
}

TEST(SyscallFilter, PersonalityErrors) {
  PTK_REQUIRE_X86_HOST();
  std::string e = parse_error("mmap@16");
  EXPECT_NE(e.find("incorrect personality designator '16' in 'mmap@16'"), std::string::npos) << e;
  EXPECT_NE(parse_error("mmap@").find("personality designator ''"), std::string::npos);
  EXPECT_NE(parse_error("open@64 ").find("personality designator '64 '"), std::string::npos);
  // The suffix is what follows the last '@'; what is before it must be a name of that ABI.
  EXPECT_NE(parse_error("mmap@64@32").find("invalid system call 'mmap@64@32'"), std::string::npos);
  EXPECT_NE(parse_error("@64").find("invalid system call '@64'"), std::string::npos);
  EXPECT_EQ(count(parse_ok("?@64"), k64), 0u);
  e = parse_error("mmap2@64");
  EXPECT_NE(e.find("invalid system call 'mmap2@64'"), std::string::npos) << e;
  EXPECT_NE(e.find("mmap2 is a syscall of i386 only"), std::string::npos) << e;
  e = parse_error("newfstatat@32");
  EXPECT_NE(e.find("newfstatat is a syscall of x86_64 only"), std::string::npos) << e;
  e = parse_error("map_shadow_stack@32");
  EXPECT_NE(e.find("map_shadow_stack is a syscall of x86_64 only"), std::string::npos) << e;
  EXPECT_NE(parse_error("1000@32").find("invalid system call '1000@32'"), std::string::npos);
}

TEST(SyscallFilter, ClassesWithPercent) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter file = parse_ok("%file");
  EXPECT_TRUE(selects(file, k64, "openat"));
  EXPECT_TRUE(selects(file, k32, "stat64"));
  EXPECT_FALSE(selects(file, k64, "read"));
  EXPECT_TRUE(selects(parse_ok("%desc"), k64, "read"));
  EXPECT_TRUE(selects(parse_ok("%network"), k64, "connect"));
  EXPECT_EQ(parse_ok("%net").selected(k64), parse_ok("%network").selected(k64));
  EXPECT_TRUE(selects(parse_ok("%process"), k64, "execve"));
  EXPECT_TRUE(selects(parse_ok("%memory"), k64, "mmap"));
  EXPECT_TRUE(selects(parse_ok("%signal"), k64, "rt_sigaction"));
  EXPECT_TRUE(selects(parse_ok("%ipc"), k32, "ipc"));
  // The newer classes.
  SyscallFilter creds = parse_ok("%creds");
  EXPECT_TRUE(selects(creds, k64, "setuid"));
  EXPECT_TRUE(selects(creds, k32, "getuid32"));
  EXPECT_FALSE(selects(creds, k64, "getpid"));
  SyscallFilter clock = parse_ok("%clock");
  EXPECT_TRUE(selects(clock, k64, "clock_gettime"));
  EXPECT_TRUE(selects(clock, k32, "clock_gettime64"));
  EXPECT_FALSE(selects(clock, k64, "nanosleep"));
  SyscallFilter pure = parse_ok("%pure");
  EXPECT_TRUE(selects(pure, k64, "getpid"));
  EXPECT_TRUE(selects(pure, k64, "gettid"));
  EXPECT_FALSE(selects(pure, k64, "getpgid"));
}

TEST(SyscallFilter, StatClasses) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter stat = parse_ok("%stat");
  EXPECT_TRUE(selects(stat, k64, "stat"));
  EXPECT_TRUE(selects(stat, k32, "stat64"));
  EXPECT_TRUE(selects(stat, k32, "oldstat"));
  EXPECT_FALSE(selects(stat, k64, "lstat"));
  EXPECT_FALSE(selects(stat, k64, "fstat"));
  SyscallFilter lstat = parse_ok("%lstat");
  EXPECT_TRUE(selects(lstat, k64, "lstat"));
  EXPECT_TRUE(selects(lstat, k32, "lstat64"));
  EXPECT_FALSE(selects(lstat, k64, "stat"));
  SyscallFilter fstat = parse_ok("%fstat");
  EXPECT_TRUE(selects(fstat, k64, "fstat"));
  EXPECT_TRUE(selects(fstat, k64, "newfstatat"));
  EXPECT_TRUE(selects(fstat, k64, "statx"));
  EXPECT_TRUE(selects(fstat, k32, "fstatat64"));
  EXPECT_FALSE(selects(fstat, k64, "stat"));
  SyscallFilter any = parse_ok("%%stat");
  for (std::string_view s : {"stat", "lstat", "fstat", "newfstatat", "statx"}) {
    EXPECT_TRUE(selects(any, k64, s)) << s;
  }
  EXPECT_TRUE(selects(any, k32, "oldlstat"));
  EXPECT_FALSE(selects(any, k64, "statfs"));
  SyscallFilter statfs = parse_ok("%statfs");
  EXPECT_TRUE(selects(statfs, k64, "statfs"));
  EXPECT_TRUE(selects(statfs, k32, "statfs64"));
  EXPECT_FALSE(selects(statfs, k64, "fstatfs"));
  SyscallFilter fstatfs = parse_ok("%fstatfs");
  EXPECT_TRUE(selects(fstatfs, k64, "fstatfs"));
  EXPECT_TRUE(selects(fstatfs, k32, "fstatfs64"));
  EXPECT_FALSE(selects(fstatfs, k64, "statfs"));
  SyscallFilter anyfs = parse_ok("%%statfs");
  for (std::string_view s : {"statfs", "fstatfs", "ustat"}) {
    EXPECT_TRUE(selects(anyfs, k64, s)) << s;
  }
  EXPECT_FALSE(selects(anyfs, k64, "stat"));
}

TEST(SyscallFilter, BareNamesAreStraceSevenDeprecatedClassesOrSyscalls) {
  PTK_REQUIRE_X86_HOST();
  for (std::string_view c : {"file", "process", "network", "signal", "ipc", "desc", "memory"}) {
    std::string with_percent = "%" + std::string(c);
    EXPECT_EQ(parse_ok(c).selected(k64), parse_ok(with_percent).selected(k64)) << c;
    EXPECT_EQ(parse_ok(c).selected(k32), parse_ok(with_percent).selected(k32)) << c;
  }
  // "stat" without '%' is the syscall (4 on x86_64, 106 on i386), not the class.
  SyscallFilter stat = parse_ok("stat");
  EXPECT_EQ(stat.selected(k64), std::vector<int>{4});
  EXPECT_EQ(stat.selected(k32), std::vector<int>{106});
  // "signal" is the class, though i386 also has a syscall of that name.
  SyscallFilter signal = parse_ok("signal");
  EXPECT_TRUE(selects(signal, k64, "rt_sigaction"));
  EXPECT_TRUE(selects(signal, k32, "signal"));
  // The newer classes, and %net, need their '%'.
  for (std::string_view c : {"net", "creds", "clock", "pure", "stat_like"}) {
    std::string e = parse_error(c);
    EXPECT_NE(e.find("invalid system call '" + std::string(c) + "'"), std::string::npos) << e;
  }
  EXPECT_NE(parse_error("creds").find("the class is %creds"), std::string::npos);
}

TEST(SyscallFilter, ClassErrors) {
  for (std::string_view c :
       {"%bogus", "%%file", "%%%stat", "%", "%%", "%FILE", "%stat_like", "%statfs_like"}) {
    std::string e = parse_error(c);
    EXPECT_NE(e.find("invalid system call '" + std::string(c) + "'"), std::string::npos) << e;
    EXPECT_NE(e.find("no such class"), std::string::npos) << e;
  }
}

TEST(SyscallFilter, RegularExpressions) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("/^mmap");
  EXPECT_TRUE(selects(f, k64, "mmap"));
  EXPECT_TRUE(selects(f, k32, "mmap"));
  EXPECT_TRUE(selects(f, k32, "mmap2"));
  EXPECT_FALSE(selects(f, k64, "munmap"));
  EXPECT_TRUE(selects(parse_ok("/statv?fs|ustat"), k32, "fstatfs64"));
  // An empty pattern matches every name.
  EXPECT_EQ(count(parse_ok("/"), k64), syscall_table(k64).size());
  EXPECT_NE(parse_error("/^zzz").find("invalid system call '/^zzz'"), std::string::npos);
  std::string e = parse_error("/[");
  EXPECT_NE(e.find("regular expression '/[' does not compile"), std::string::npos) << e;
}

TEST(SyscallFilter, DecimalNumbers) {
  PTK_REQUIRE_X86_HOST();
  SyscallFilter f = parse_ok("59");
  EXPECT_TRUE(f.selects(k64, 59));  // execve
  EXPECT_TRUE(f.selects(k32, 59));  // oldolduname
  EXPECT_EQ(count(f, k64), 1u);
  EXPECT_TRUE(parse_ok("059").selects(k64, 59));
  // Up to the highest number of the ABI's table, holes included.
  EXPECT_TRUE(parse_ok("471").selects(k64, 471));
  EXPECT_TRUE(parse_ok("400").selects(k64, 400));
  for (std::string_view bad : {"472", "1000", "99999999999", "0x3b", "59abc"}) {
    std::string e = parse_error(bad);
    EXPECT_NE(e.find("invalid system call '" + std::string(bad) + "'"), std::string::npos) << e;
    EXPECT_NE(e.find("decimal, at most 471 on x86_64, 471 on i386"), std::string::npos) << e;
  }
  for (std::string_view bad : {"-1", "+59"}) {
    EXPECT_NE(parse_error(bad).find("invalid system call"), std::string::npos) << bad;
  }
}

// One set per ABI ptk knows, whatever the host's: aarch64's numbers (221 is its execve) neither
// spill into nor come from the x86 sets.
TEST(SyscallFilter, EveryKnownAbiHasASetOfItsOwn) {
  SyscallFilter f;
  f.none();
  f.set(Arch::Aarch64, 221, true);
  EXPECT_TRUE(f.selects(Arch::Aarch64, 221));
  EXPECT_FALSE(f.selects(k64, 221));
  EXPECT_FALSE(f.selects(k32, 221));
  EXPECT_EQ(f.selected(Arch::Aarch64), std::vector<int>{221});
  f.set(k32, 11, true);
  EXPECT_FALSE(f.selects(Arch::Aarch64, 11));
  f.all();
  EXPECT_EQ(count(f, Arch::Aarch64), SyscallFilter::kMaxNr);
}

TEST(SyscallFilter, AllAndNone) {
  PTK_REQUIRE_X86_HOST();
  EXPECT_TRUE(parse_ok("all").selects_all());
  EXPECT_TRUE(parse_ok("all,brk").selects_all());
  EXPECT_TRUE(parse_ok("!none").selects_all());
  SyscallFilter none = parse_ok("none");
  EXPECT_EQ(count(none, k64), 0u);
  EXPECT_EQ(count(none, k32), 0u);
  EXPECT_EQ(count(parse_ok("!all"), k64), 0u);
  EXPECT_EQ(count(parse_ok("!!none"), k64), 0u);
  EXPECT_EQ(count(parse_ok("?none"), k64), 0u);
  // "none" is a whole set, never an element (strace: invalid system call 'none').
  for (std::string_view expr : {"none,brk", "brk,none", "none,", "none@64"}) {
    std::string e = parse_error(expr);
    EXPECT_NE(e.find("invalid system call 'none"), std::string::npos) << e;
  }
  EXPECT_NE(parse_error("brk,none").find("only as the whole set"), std::string::npos);
  EXPECT_NE(parse_error("ALL").find("invalid system call 'ALL'"), std::string::npos);
}

TEST(SyscallFilter, UnknownNamesAreOneClearLine) {
  PTK_REQUIRE_X86_HOST();
  std::string e = parse_error("mmap,opn,close");
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  EXPECT_TRUE(e.starts_with("-e trace=mmap,opn,close")) << e;
  EXPECT_NE(e.find("invalid system call 'opn'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean open"), std::string::npos) << e;
  // The first invalid element is the one named.
  EXPECT_NE(parse_error("bogus,alsobad").find("'bogus'"), std::string::npos);
  EXPECT_NE(parse_error(" mmap").find("invalid system call ' mmap'"), std::string::npos);
  EXPECT_NE(parse_error("MMAP").find("invalid system call 'MMAP'"), std::string::npos);
  e = parse_error("qqqqqqqqqqqqqqqqqqqqqqqq");
  EXPECT_NE(e.find("no syscall of x86_64 or i386 has that name"), std::string::npos) << e;
}

}  // namespace
}  // namespace ptk::sys
