// The generated syscall tables: known numbers and signatures, lookups, classes and ordering.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "ptk/arch/syscalls.h"

namespace ptk {
namespace {

const SyscallSpec& get(Arch arch, std::string_view name) {
  const SyscallSpec* spec = find_syscall(arch, name);
  EXPECT_NE(spec, nullptr) << name;
  static const SyscallSpec kMissing{};
  return spec ? *spec : kMissing;
}

TEST(SyscallTable, KnownX8664Numbers) {
  EXPECT_EQ(get(Arch::X86_64, "read").nr, 0);
  EXPECT_EQ(get(Arch::X86_64, "write").nr, 1);
  EXPECT_EQ(get(Arch::X86_64, "mmap").nr, 9);
  EXPECT_EQ(get(Arch::X86_64, "execve").nr, 59);
  EXPECT_EQ(get(Arch::X86_64, "openat").nr, 257);
  EXPECT_EQ(get(Arch::X86_64, "clone3").nr, 435);
  EXPECT_EQ(get(Arch::X86_64, "set_mempolicy_home_node").nr, 450);
}

TEST(SyscallTable, KnownI386Numbers) {
  EXPECT_EQ(get(Arch::I386, "restart_syscall").nr, 0);
  EXPECT_EQ(get(Arch::I386, "write").nr, 4);
  EXPECT_EQ(get(Arch::I386, "execve").nr, 11);
  EXPECT_EQ(get(Arch::I386, "mmap").nr, 90);
  EXPECT_EQ(get(Arch::I386, "socketcall").nr, 102);
  EXPECT_EQ(get(Arch::I386, "_llseek").nr, 140);
  EXPECT_EQ(get(Arch::I386, "mmap2").nr, 192);
  EXPECT_EQ(get(Arch::I386, "getuid32").nr, 199);
}

TEST(SyscallTable, KnownAarch64Numbers) {
  // The generic table (asm-generic/unistd.h as arm64 includes it).
  EXPECT_EQ(get(Arch::Aarch64, "io_setup").nr, 0);
  EXPECT_EQ(get(Arch::Aarch64, "openat").nr, 56);
  EXPECT_EQ(get(Arch::Aarch64, "close").nr, 57);
  EXPECT_EQ(get(Arch::Aarch64, "read").nr, 63);
  EXPECT_EQ(get(Arch::Aarch64, "newfstatat").nr, 79);
  EXPECT_EQ(get(Arch::Aarch64, "fstat").nr, 80);
  EXPECT_EQ(get(Arch::Aarch64, "exit_group").nr, 94);
  EXPECT_EQ(get(Arch::Aarch64, "getpid").nr, 172);
  EXPECT_EQ(get(Arch::Aarch64, "execve").nr, 221);
  EXPECT_EQ(get(Arch::Aarch64, "mmap").nr, 222);
  EXPECT_EQ(get(Arch::Aarch64, "renameat").nr, 38);       // __ARCH_WANT_RENAMEAT
  EXPECT_EQ(get(Arch::Aarch64, "getrlimit").nr, 163);     // __ARCH_WANT_SET_GET_RLIMIT
  EXPECT_EQ(get(Arch::Aarch64, "memfd_secret").nr, 447);  // __ARCH_WANT_MEMFD_SECRET
  EXPECT_EQ(get(Arch::Aarch64, "clone3").nr, 435);
  EXPECT_EQ(get(Arch::Aarch64, "cachestat").nr, 451);  // newer than the headers: '+'
  EXPECT_EQ(get(Arch::Aarch64, "map_shadow_stack").nr, 453);
  // What the generic table leaves out: the old path calls and the x86 specials.
  for (const char* name : {"open", "stat", "lstat", "fork", "vfork", "poll", "select", "pipe",
                           "access", "rename", "mkdir", "dup2", "arch_prctl", "time", "uprobe"}) {
    EXPECT_EQ(find_syscall(Arch::Aarch64, name), nullptr) << name;
  }
}

TEST(SyscallTable, Aarch64Arguments) {
  // clone has the CLONE_BACKWARDS order (tls before child_tidptr), like i386 and unlike
  // x86_64, and its tls is a plain value (TPIDR_EL0), not i386's user_desc.
  const SyscallSpec& clone = get(Arch::Aarch64, "clone");
  EXPECT_EQ(clone.nr, 220);
  ASSERT_EQ(clone.nargs, 5);
  EXPECT_EQ(clone.args[3].name, "tls");
  EXPECT_EQ(clone.args[3].type, ArgType::Ptr);
  EXPECT_EQ(clone.args[4].name, "child_tidptr");
  EXPECT_EQ(get(Arch::X86_64, "clone").args[3].name, "child_tidptr");
  // A loff_t is one register, as on x86_64; mmap is the 6-argument one with a byte offset.
  EXPECT_EQ(get(Arch::Aarch64, "pread64").nargs, 4);
  EXPECT_EQ(get(Arch::Aarch64, "mmap").nargs, 6);
  EXPECT_EQ(get(Arch::Aarch64, "mmap").args[5].name, "off");
  EXPECT_EQ(get(Arch::Aarch64, "fanotify_mark").nargs, 5);
  // The same line as x86_64 wherever the arguments mean the same.
  EXPECT_EQ(get(Arch::Aarch64, "setuid").args[0].param, "");  // 32-bit ids
  EXPECT_EQ(get(Arch::Aarch64, "openat").classes, get(Arch::X86_64, "openat").classes);
}

TEST(SyscallTable, Counts) {
  // Every __NR_* of the kernel headers (the build fails if the data file misses one), and the
  // syscalls newer than Linux 6.1's headers: 23 on x86_64, 20 on i386.
  EXPECT_GE(syscall_table(Arch::X86_64).size(), 362u + 23u);
  EXPECT_GE(syscall_table(Arch::I386).size(), 440u + 20u);
  // 306 in the generic table of Linux 6.1's headers, 21 newer (451-471).
  EXPECT_EQ(syscall_table(Arch::Aarch64).size(), 306u + 21u);
}

TEST(SyscallTable, NewerThanTheInstalledHeaders) {
  // Numbers from the kernel's syscall_64.tbl and syscall_32.tbl (data/syscalls.txt marks them).
  EXPECT_EQ(get(Arch::X86_64, "uretprobe").nr, 335);
  EXPECT_EQ(get(Arch::X86_64, "uprobe").nr, 336);
  EXPECT_EQ(get(Arch::X86_64, "cachestat").nr, 451);
  EXPECT_EQ(get(Arch::X86_64, "fchmodat2").nr, 452);
  EXPECT_EQ(get(Arch::X86_64, "map_shadow_stack").nr, 453);
  EXPECT_EQ(get(Arch::X86_64, "futex_wake").nr, 454);
  EXPECT_EQ(get(Arch::X86_64, "futex_wait").nr, 455);
  EXPECT_EQ(get(Arch::X86_64, "futex_requeue").nr, 456);
  EXPECT_EQ(get(Arch::X86_64, "statmount").nr, 457);
  EXPECT_EQ(get(Arch::X86_64, "listmount").nr, 458);
  EXPECT_EQ(get(Arch::X86_64, "lsm_list_modules").nr, 461);
  EXPECT_EQ(get(Arch::X86_64, "mseal").nr, 462);
  EXPECT_EQ(get(Arch::X86_64, "removexattrat").nr, 466);
  EXPECT_EQ(get(Arch::X86_64, "file_setattr").nr, 469);
  EXPECT_EQ(get(Arch::X86_64, "listns").nr, 470);
  EXPECT_EQ(get(Arch::X86_64, "rseq_slice_yield").nr, 471);

  EXPECT_EQ(get(Arch::I386, "cachestat").nr, 451);
  EXPECT_EQ(get(Arch::I386, "fchmodat2").nr, 452);
  EXPECT_EQ(get(Arch::I386, "futex_wake").nr, 454);
  EXPECT_EQ(get(Arch::I386, "futex_wait").nr, 455);
  EXPECT_EQ(get(Arch::I386, "mseal").nr, 462);
  EXPECT_EQ(get(Arch::I386, "setxattrat").nr, 463);
  EXPECT_EQ(get(Arch::I386, "open_tree_attr").nr, 467);
  EXPECT_EQ(get(Arch::I386, "file_getattr").nr, 468);
  EXPECT_EQ(get(Arch::I386, "rseq_slice_yield").nr, 471);
  // x86_64's own: i386 skips 453, and the uprobe trampolines' calls exist on x86_64 only.
  EXPECT_EQ(find_syscall(Arch::I386, "map_shadow_stack"), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, std::int64_t{453}), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, "uretprobe"), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, "uprobe"), nullptr);
  EXPECT_EQ(find_syscall(Arch::X86_64, std::int64_t{462})->name, "mseal");
  EXPECT_EQ(find_syscall(Arch::I386, std::int64_t{454})->name, "futex_wake");
}

TEST(SyscallTable, NewerSignaturesAndClasses) {
  const SyscallSpec& wait = get(Arch::X86_64, "futex_wait");
  ASSERT_EQ(wait.nargs, 6);
  EXPECT_EQ(wait.args[2].param, "futex_bitset");
  EXPECT_EQ(wait.args[3].param, "futex2_flags");
  EXPECT_EQ(wait.args[4].param, "timespec64");
  EXPECT_EQ(wait.args[5].param, "clockid");
  EXPECT_EQ(get(Arch::I386, "futex_wait").nargs, 6);  // unsigned longs: one register each
  const SyscallSpec& fchmodat2 = get(Arch::I386, "fchmodat2");
  ASSERT_EQ(fchmodat2.nargs, 4);
  EXPECT_EQ(fchmodat2.args[0].type, ArgType::DirFd);
  EXPECT_EQ(fchmodat2.args[3].param, "at_flags");
  EXPECT_EQ(fchmodat2.classes, kClassDesc | kClassFile);
  EXPECT_EQ(get(Arch::X86_64, "mseal").classes, kClassMemory);
  EXPECT_EQ(get(Arch::X86_64, "map_shadow_stack").ret, RetType::Hex);
  EXPECT_EQ(get(Arch::X86_64, "open_tree_attr").ret, RetType::Fd);
  EXPECT_EQ(get(Arch::X86_64, "setxattrat").nargs, 6);
  EXPECT_EQ(get(Arch::X86_64, "futex_wake").classes, 0u);
  EXPECT_EQ(get(Arch::X86_64, "rseq_slice_yield").nargs, 0);
}

TEST(SyscallTable, AbiSpecificNames) {
  EXPECT_EQ(find_syscall(Arch::X86_64, "socketcall"), nullptr);
  EXPECT_EQ(find_syscall(Arch::X86_64, "mmap2"), nullptr);
  EXPECT_EQ(find_syscall(Arch::X86_64, "_llseek"), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, "newfstatat"), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, "accept"), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, "arch_prctl")->nr, 384);
}

TEST(SyscallTable, ReadWriteSignatures) {
  const SyscallSpec& read = get(Arch::X86_64, "read");
  ASSERT_EQ(read.nargs, 3);
  EXPECT_EQ(read.args[0].name, "fd");
  EXPECT_EQ(read.args[0].type, ArgType::Fd);
  EXPECT_EQ(read.args[1].name, "buf");
  EXPECT_EQ(read.args[1].type, ArgType::OutBuf);
  EXPECT_EQ(read.args[1].param, "count");
  EXPECT_EQ(read.args[2].name, "count");
  EXPECT_EQ(read.args[2].type, ArgType::Ulong);
  EXPECT_EQ(read.ret, RetType::Int);

  const SyscallSpec& write = get(Arch::I386, "write");
  ASSERT_EQ(write.nargs, 3);
  EXPECT_EQ(write.args[1].type, ArgType::InBuf);
  EXPECT_EQ(write.args[1].param, "count");
}

TEST(SyscallTable, OpenatAndMmapSignatures) {
  const SyscallSpec& openat = get(Arch::X86_64, "openat");
  ASSERT_EQ(openat.nargs, 4);
  EXPECT_EQ(openat.args[0].type, ArgType::DirFd);
  EXPECT_EQ(openat.args[1].type, ArgType::Path);
  EXPECT_EQ(openat.args[2].type, ArgType::Flags);
  EXPECT_EQ(openat.args[2].param, "open_flags");
  EXPECT_EQ(openat.args[3].type, ArgType::Mode);
  EXPECT_EQ(openat.ret, RetType::Fd);

  const SyscallSpec& mmap = get(Arch::X86_64, "mmap");
  ASSERT_EQ(mmap.nargs, 6);
  EXPECT_EQ(mmap.args[0].type, ArgType::Ptr);
  EXPECT_EQ(mmap.args[2].param, "mmap_prot");
  EXPECT_EQ(mmap.args[3].param, "mmap_flags");
  EXPECT_EQ(mmap.args[4].type, ArgType::Fd);
  EXPECT_EQ(mmap.ret, RetType::Hex);

  // i386 mmap is old_mmap: one pointer to the six values.
  const SyscallSpec& old_mmap = get(Arch::I386, "mmap");
  ASSERT_EQ(old_mmap.nargs, 1);
  EXPECT_EQ(old_mmap.args[0].type, ArgType::StructIn);
  EXPECT_EQ(get(Arch::I386, "mmap2").nargs, 6);
}

TEST(SyscallTable, SplitOffsetsCountRegisters) {
  const SyscallSpec& pread64 = get(Arch::X86_64, "pread64");
  EXPECT_EQ(pread64.nargs, 4);
  EXPECT_EQ(pread64.args[3].type, ArgType::Off);
  EXPECT_FALSE(is_high_half(pread64, 3));

  const SyscallSpec& pread32 = get(Arch::I386, "pread64");
  ASSERT_EQ(pread32.nargs, 5);
  EXPECT_EQ(pread32.args[3].name, "pos");
  EXPECT_EQ(pread32.args[4].name, "pos");
  EXPECT_EQ(pread32.args[4].type, ArgType::Off);
  EXPECT_FALSE(is_high_half(pread32, 3));
  EXPECT_TRUE(is_high_half(pread32, 4));

  EXPECT_EQ(get(Arch::I386, "fallocate").nargs, 6);
  EXPECT_EQ(get(Arch::I386, "fadvise64_64").nargs, 6);
  EXPECT_EQ(get(Arch::I386, "ftruncate64").nargs, 3);
  EXPECT_EQ(get(Arch::I386, "readahead").nargs, 4);
  EXPECT_EQ(get(Arch::X86_64, "readahead").nargs, 3);
  EXPECT_EQ(get(Arch::I386, "fanotify_mark").nargs, 6);
  EXPECT_EQ(get(Arch::X86_64, "fanotify_mark").nargs, 5);

  // preadv2 takes pos as two registers on both ABIs, then the flags.
  const SyscallSpec& preadv2 = get(Arch::X86_64, "preadv2");
  ASSERT_EQ(preadv2.nargs, 6);
  EXPECT_TRUE(is_high_half(preadv2, 4));
  EXPECT_EQ(preadv2.args[5].name, "flags");
}

TEST(SyscallTable, CloneArgumentOrderDiffers) {
  const SyscallSpec& clone64 = get(Arch::X86_64, "clone");
  ASSERT_EQ(clone64.nargs, 5);
  EXPECT_EQ(clone64.args[3].name, "child_tidptr");
  EXPECT_EQ(clone64.args[4].name, "tls");
  const SyscallSpec& clone32 = get(Arch::I386, "clone");
  ASSERT_EQ(clone32.nargs, 5);
  EXPECT_EQ(clone32.args[3].name, "tls");
  EXPECT_EQ(clone32.args[4].name, "child_tidptr");
}

TEST(SyscallTable, LegacyI386IdsAreSixteenBits) {
  const SyscallSpec& setuid16 = get(Arch::I386, "setuid");
  ASSERT_EQ(setuid16.nargs, 1);
  EXPECT_EQ(setuid16.args[0].type, ArgType::Uid);
  EXPECT_EQ(setuid16.args[0].param, "16");
  EXPECT_EQ(get(Arch::I386, "setuid32").args[0].param, "");
  EXPECT_EQ(get(Arch::X86_64, "setuid").args[0].param, "");
  EXPECT_EQ(get(Arch::I386, "chown").args[2].param, "16");
}

TEST(SyscallTable, ReturnTypes) {
  EXPECT_EQ(get(Arch::X86_64, "exit_group").ret, RetType::None);
  EXPECT_EQ(get(Arch::X86_64, "getpid").ret, RetType::Pid);
  EXPECT_EQ(get(Arch::X86_64, "socket").ret, RetType::Fd);
  EXPECT_EQ(get(Arch::X86_64, "brk").ret, RetType::Hex);
  EXPECT_EQ(get(Arch::X86_64, "pipe").ret, RetType::Int);
  EXPECT_EQ(get(Arch::I386, "getuid32").ret, RetType::Uint);
}

TEST(SyscallTable, Classes) {
  const std::uint32_t openat = get(Arch::X86_64, "openat").classes;
  EXPECT_EQ(openat, kClassFile | kClassDesc);
  EXPECT_EQ(get(Arch::X86_64, "getpid").classes, kClassPure);
  EXPECT_EQ(get(Arch::X86_64, "getuid").classes, kClassCreds | kClassPure);
  EXPECT_EQ(get(Arch::X86_64, "stat").classes, kClassFile | kClassStat | kClassStatLike);
  EXPECT_EQ(get(Arch::I386, "fstat64").classes, kClassDesc | kClassFstat | kClassStatLike);
  EXPECT_EQ(get(Arch::X86_64, "connect").classes, kClassNetwork);
  EXPECT_EQ(get(Arch::X86_64, "kill").classes, kClassSignal | kClassProcess);
  EXPECT_EQ(get(Arch::X86_64, "sched_yield").classes, 0u);
}

TEST(SyscallTable, ClassNames) {
  EXPECT_EQ(syscall_class_from_name("%file"), kClassFile);
  EXPECT_EQ(syscall_class_from_name("file"), kClassFile);
  EXPECT_EQ(syscall_class_from_name("%net"), kClassNetwork);
  EXPECT_EQ(syscall_class_from_name("%stat"), kClassStat);
  EXPECT_EQ(syscall_class_from_name("%%stat"), kClassStatLike);
  EXPECT_EQ(syscall_class_from_name("%%statfs"), kClassStatfsLike);
  EXPECT_EQ(syscall_class_from_name("%pure"), kClassPure);
  EXPECT_EQ(syscall_class_from_name("%%file"), 0u);
  EXPECT_EQ(syscall_class_from_name("%bogus"), 0u);
  EXPECT_EQ(syscall_class_from_name(""), 0u);
}

TEST(SyscallTable, UnknownLookups) {
  for (Arch arch : kKnownArches) {
    EXPECT_EQ(find_syscall(arch, "no_such_syscall"), nullptr);
    EXPECT_EQ(find_syscall(arch, ""), nullptr);
    EXPECT_EQ(find_syscall(arch, std::int64_t{-1}), nullptr);
    EXPECT_EQ(find_syscall(arch, std::int64_t{100000}), nullptr);
    EXPECT_EQ(find_syscall(arch, std::int64_t{1} << 40), nullptr);
  }
  EXPECT_EQ(find_syscall(Arch::X86_64, std::int64_t{337}), nullptr);  // the x86_64 gap
  EXPECT_EQ(find_syscall(Arch::X86_64, std::int64_t{423}), nullptr);
  EXPECT_EQ(find_syscall(Arch::X86_64, std::int64_t{472}), nullptr);
  EXPECT_EQ(find_syscall(Arch::I386, std::int64_t{222}), nullptr);
  EXPECT_EQ(find_syscall(Arch::Aarch64, std::int64_t{244}), nullptr);  // arch_specific_syscall
  EXPECT_EQ(find_syscall(Arch::Aarch64, std::int64_t{472}), nullptr);
}

TEST(SyscallTable, EveryEntryRoundTrips) {
  for (Arch arch : kKnownArches) {
    for (const SyscallSpec& spec : syscall_table(arch)) {
      EXPECT_EQ(find_syscall(arch, spec.name), &spec) << spec.name;
      EXPECT_EQ(find_syscall(arch, std::int64_t{spec.nr}), &spec) << spec.name;
    }
  }
}

TEST(SyscallTable, SortedAndUnique) {
  for (Arch arch : kKnownArches) {
    const auto table = syscall_table(arch);
    ASSERT_FALSE(table.empty());
    EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                               [](const auto& a, const auto& b) { return a.nr < b.nr; }));
    std::set<std::int32_t> numbers;
    std::set<std::string_view> names;
    for (const SyscallSpec& spec : table) {
      EXPECT_TRUE(numbers.insert(spec.nr).second) << spec.nr;
      EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    }
  }
}

TEST(SyscallTable, ArgumentsAreWellFormed) {
  for (Arch arch : kKnownArches) {
    for (const SyscallSpec& spec : syscall_table(arch)) {
      ASSERT_LE(spec.nargs, spec.args.size()) << spec.name;
      for (std::size_t i = 0; i < spec.args.size(); ++i) {
        const ArgSpec& arg = spec.args[i];
        if (i >= spec.nargs) {
          EXPECT_TRUE(arg.name.empty()) << spec.name << " slot " << i;
          continue;
        }
        EXPECT_FALSE(arg.name.empty()) << spec.name << " arg " << i;
        if (arg.type == ArgType::InBuf || arg.type == ArgType::OutBuf) {
          const auto* end = spec.args.begin() + spec.nargs;
          EXPECT_NE(std::find_if(spec.args.begin(), end,
                                 [&](const ArgSpec& a) { return a.name == arg.param; }),
                    end)
              << spec.name << ": no length argument " << arg.param;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ptk
