// The file and memory families' decoders on raw arguments that point into this very process
// (Memory reads it with process_vm_readv like any tracee): structs of both ABIs, and records no
// kernel writes (hostile lengths, overflowing directory entries) that a tracee can still fake.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "decoded_line.h"
#include "low_map.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"
#include "ptk/sys/xlat.h"
#include "x86_host.h"

namespace ptk::sys {
namespace {

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string line(Arch arch, std::string_view name, Args args, std::int64_t ret,
                 DecodeOptions opts = {}) {
  return decoded_line(arch, name, args, ret, opts);
}

// Memory below 4 GiB, where a 32-bit tracee's pointers can point.
class LowPage {
 public:
  LowPage() {
    void* p = ptk_test::map_low(4096);
    EXPECT_NE(p, MAP_FAILED);
    p_ = static_cast<unsigned char*>(p);
  }
  ~LowPage() { ::munmap(p_, 4096); }
  unsigned char* get() const { return p_; }
  std::uint64_t addr(std::size_t off = 0) const { return addr_of(p_ + off); }

 private:
  unsigned char* p_;
};

TEST(SysFileTables, ValuesStraceShows) {
  PTK_REQUIRE_X86_HOST();
  // x86_64's glibc defines O_LARGEFILE as 0; the kernel's bit is what strace shows.
  const Xlat* open = find_xlat("open_flags");
  ASSERT_NE(open, nullptr);
  std::uint64_t v = 0;
  ASSERT_TRUE(xlat_value(*open, "O_LARGEFILE", v));
  EXPECT_EQ(v, 0100000u);
  // Multi-bit values come before their parts.
  EXPECT_EQ(open->entries[6].name, "O_SYNC");
  const Xlat* mask = find_xlat("statx_mask");
  ASSERT_NE(mask, nullptr);
  EXPECT_EQ(mask->entries[0].name, "STATX_ALL");
  for (std::string_view t :
       {"at_flags", "faccessat_flags", "access_mode", "mmap_prot", "mmap_flags", "madvise_advice",
        "fsmagic", "dirent_types", "file_types"}) {
    EXPECT_NE(find_xlat(t), nullptr) << t;
  }
  for (std::string_view s : {"openat", "openat2", "statx", "getdents64", "mmap", "mmap2", "mremap",
                             "mincore", "getcwd", "statfs64", "mknodat"}) {
    EXPECT_NE(find_decoder(s), nullptr) << s;
  }
  for (std::string_view s : {"stat", "stat64", "statx", "statfs", "timespec_pair"}) {
    EXPECT_NE(find_struct(s), nullptr) << s;
  }
}

TEST(SysFileDecoders, OpenFlagsAndMode) {
  PTK_REQUIRE_X86_HOST();
  const char* path = "/x";
  EXPECT_EQ(line(Arch::X86_64, "openat",
                 {static_cast<std::uint64_t>(-100), addr_of(path),
                  O_WRONLY | O_CREAT | O_CLOEXEC | 0100000, 0100644},
                 3),
            "openat(AT_FDCWD, \"/x\", O_WRONLY|O_CREAT|O_LARGEFILE|O_CLOEXEC, 0100644) = 3");
  // No O_CREAT: no mode. The access mode shows even when 0.
  EXPECT_EQ(line(Arch::X86_64, "open", {addr_of(path), O_RDONLY | O_DIRECTORY, 0777}, -2),
            "open(\"/x\", O_RDONLY|O_DIRECTORY) = -1 ENOENT (No such file or directory)");
}

TEST(SysFileDecoders, StatOfBothAbis) {
  PTK_REQUIRE_X86_HOST();
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  const char* path = "/dev/null";
  EXPECT_EQ(line(Arch::X86_64, "newfstatat",
                 {static_cast<std::uint64_t>(-100), addr_of(path), addr_of(&st), 0}, 0),
            "newfstatat(AT_FDCWD, \"/dev/null\", {st_mode=S_IFCHR|0666, "
            "st_rdev=makedev(0x1, 0x3), ...}, 0) = 0");
  // A failed call's output is its address.
  EXPECT_EQ(line(Arch::X86_64, "stat", {addr_of(path), 0x1000}, -14),
            "stat(\"/dev/null\", 0x1000) = -1 EFAULT (Bad address)");

  // i386's stat64: 96 bytes, 64-bit fields aligned to 4.
  LowPage page;
  unsigned char* b = page.get();
  std::memset(b, 0, 256);
  auto put32 = [&](std::size_t off, std::uint32_t v) { std::memcpy(b + 128 + off, &v, 4); };
  auto put64 = [&](std::size_t off, std::uint64_t v) { std::memcpy(b + 128 + off, &v, 8); };
  std::memcpy(b, "/dev/sda1", 10);
  put64(0, 0x805);                      // st_dev
  put32(16, S_IFBLK | S_ISGID | 0660);  // st_mode
  put32(20, 1);                         // st_nlink
  put32(28, 6);                         // st_gid
  put64(32, 0x801);                     // st_rdev
  put32(52, 4096);                      // st_blksize
  put32(64, 1700000000);                // st_atime
  put32(68, 5);                         // st_atime_nsec
  put64(88, 123);                       // st_ino
  Args args{page.addr(), page.addr(128)};
  EXPECT_EQ(line(Arch::I386, "stat64", args, 0),
            "stat64(\"/dev/sda1\", {st_mode=S_IFBLK|S_ISGID|0660, st_rdev=makedev(0x8, 0x1), "
            "...}) = 0");
  ::setenv("TZ", "UTC", 1);
  DecodeOptions verbose;
  verbose.verbose = true;
  EXPECT_EQ(line(Arch::I386, "stat64", args, 0, verbose),
            "stat64(\"/dev/sda1\", {st_dev=makedev(0x8, 0x5), st_ino=123, "
            "st_mode=S_IFBLK|S_ISGID|0660, st_nlink=1, st_uid=0, st_gid=6, st_blksize=4096, "
            "st_blocks=0, st_rdev=makedev(0x8, 0x1), st_atime=1700000000 /* "
            "2023-11-14T22:13:20.000000005+0000 */, st_atime_nsec=5, st_mtime=0, "
            "st_mtime_nsec=0, st_ctime=0, st_ctime_nsec=0}) = 0");
}

TEST(SysFileDecoders, OpenHowExtraBytes) {
  LowPage page;
  unsigned char* b = page.get();
  std::memset(b, 0, 4096);
  std::uint64_t flags = O_RDONLY | O_CLOEXEC;
  std::memcpy(b + 64, &flags, 8);
  b[64 + 30] = 7;
  Args args{static_cast<std::uint64_t>(-100), page.addr(), page.addr(64), 100};
  DecodeOptions opts;
  opts.string_limit = 8;
  EXPECT_EQ(line(Arch::X86_64, "openat2", args, -7, opts),
            "openat2(AT_FDCWD, \"\", {flags=O_RDONLY|O_CLOEXEC, resolve=0, /* bytes 24..99 */ "
            "\"\\x00\\x00\\x00\\x00\\x00\\x00\\x07\\x00\"...}, 100) = -1 E2BIG (Argument list too "
            "long)");
  // Smaller than the first version of the struct: the address.
  args[3] = 23;
  EXPECT_EQ(line(Arch::X86_64, "openat2", args, -22), "openat2(AT_FDCWD, \"\", " +
                                                          fmt::format("{:#x}", page.addr(64)) +
                                                          ", 23) = -1 EINVAL (Invalid argument)");
}

// A linux_dirent64 record at `p`.
std::size_t put_dirent64(unsigned char* p, std::uint64_t ino, std::uint16_t reclen,
                         unsigned char type, const char* name) {
  std::memcpy(p, &ino, 8);
  std::uint64_t off = ino + 1;
  std::memcpy(p + 8, &off, 8);
  std::memcpy(p + 16, &reclen, 2);
  p[18] = type;
  std::memcpy(p + 19, name, std::strlen(name) + 1);
  return reclen;
}

TEST(SysFileDecoders, Getdents64Records) {
  alignas(8) unsigned char buf[256] = {};
  std::size_t n = put_dirent64(buf, 5, 24, 4, ".");
  n += put_dirent64(buf + n, 7, 32, 8, "file.txt");
  Args args{3, addr_of(buf), sizeof buf};
  auto ret = static_cast<std::int64_t>(n);
  std::string at = fmt::format("{:#x}", addr_of(buf));
  EXPECT_EQ(line(Arch::X86_64, "getdents64", args, ret),
            "getdents64(3, " + at + " /* 2 entries */, 256) = 56");
  DecodeOptions verbose;
  verbose.verbose = true;
  EXPECT_EQ(line(Arch::X86_64, "getdents64", args, ret, verbose),
            "getdents64(3, [{d_ino=5, d_off=6, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, "
            "{d_ino=7, d_off=8, d_reclen=32, d_type=DT_REG, d_name=\"file.txt\"}], 256) = 56");
  // A record longer than what the kernel returned, and a length beyond the buffer: bounded.
  put_dirent64(buf + 24, 7, 0xffff, 99, "x");
  EXPECT_EQ(line(Arch::X86_64, "getdents64", args, ret, verbose),
            "getdents64(3, [{d_ino=5, d_off=6, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, "
            "{d_ino=7, d_off=8, d_reclen=65535 /* 65503 bytes overflow */, "
            "d_type=0x63 /* DT_??? */, d_name=\"x\"}], 256) = 56");
  EXPECT_EQ(line(Arch::X86_64, "getdents64", args, 4096), "getdents64(3, " + at + ", 256) = 4096");
  // A record shorter than a header stops the walk.
  put_dirent64(buf + 24, 7, 3, 8, "y");
  EXPECT_EQ(line(Arch::X86_64, "getdents64", args, ret),
            "getdents64(3, " + at +
                " /* d_reclen 16 bytes underflow */ /* 2+ entries */, 256) "
                "= 56");
}

TEST(SysMemoryDecoders, MmapFamily) {
  EXPECT_EQ(line(Arch::X86_64, "mmap",
                 {0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (30u << 26),
                  static_cast<std::uint64_t>(-1), 0},
                 0x7f0000000000),
            "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|30<<MAP_HUGE_SHIFT, "
            "-1, 0) = 0x7f0000000000");
  // i386's mmap2 takes pages: the offset shows in bytes.
  EXPECT_EQ(line(Arch::I386, "mmap2", {0, 4096, PROT_READ, MAP_SHARED, 3, 2}, 0xf7000000),
            "mmap2(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0x2000) = 0xf7000000");
  // i386's old mmap: the six values in memory.
  LowPage page;
  std::uint32_t vals[6] = {0, 4096, PROT_EXEC, MAP_PRIVATE | MAP_DENYWRITE, 4, 0x3000};
  std::memcpy(page.get(), vals, sizeof vals);
  EXPECT_EQ(line(Arch::I386, "mmap", {page.addr()}, 0xf7000000),
            "mmap(NULL, 4096, PROT_EXEC, MAP_PRIVATE|MAP_DENYWRITE, 4, 0x3000) = 0xf7000000");
  EXPECT_EQ(line(Arch::I386, "mmap", {0x10}, -14), "mmap(0x10) = -1 EFAULT (Bad address)");
}

TEST(SysMemoryDecoders, MincoreIsBounded) {
  // A range of 2^40 bytes: 2^28 pages, of which only the shown ones are read.
  std::vector<unsigned char> vec(2048, 1);
  Args args{0x10000, 1ull << 40, addr_of(vec.data())};
  std::string out = line(Arch::X86_64, "mincore", args, 0);
  EXPECT_TRUE(out.ends_with(", 1, ...]) = 0")) << out;
  DecodeOptions verbose;
  verbose.verbose = true;
  out = line(Arch::X86_64, "mincore", args, 0, verbose);
  EXPECT_LT(out.size(), 4000u);
  EXPECT_TRUE(out.ends_with(", 1, ...]) = 0")) << out;
}

}  // namespace
}  // namespace ptk::sys
