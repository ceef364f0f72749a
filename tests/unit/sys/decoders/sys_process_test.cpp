// The process family's decoders on raw arguments that point into this very process (Memory
// reads it with process_vm_readv like any tracee): wait statuses, clone flags, exec argument
// arrays that end at unmapped memory or never end, limits, capabilities, and hostile sizes.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

namespace ptk::sys {
namespace {

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
std::string hex(const void* p) { return fmt::format("{:#x}", addr_of(p)); }

std::string line(Arch arch, std::string_view name, Args args, std::int64_t ret,
                 DecodeOptions opts = {}) {
  return decoded_line(arch, name, args, ret, opts);
}

// Two pages of which the second is unmapped: arrays that run into it end unreadable.
class EdgePage {
 public:
  EdgePage() {
    void* p = ptk_test::map_low(8192);
    EXPECT_NE(p, MAP_FAILED);
    p_ = static_cast<unsigned char*>(p);
    ::munmap(p_ + 4096, 4096);
  }
  ~EdgePage() { ::munmap(p_, 4096); }
  unsigned char* end() const { return p_ + 4096; }
  unsigned char* get() const { return p_; }

 private:
  unsigned char* p_;
};

std::string wait_line(int status, std::int64_t ret = 42) {
  return line(Arch::X86_64, "wait4", {42, addr_of(&status), 0, 0, 0, 0}, ret);
}

TEST(SysProcess, WaitStatuses) {
  EXPECT_EQ(wait_line(3 << 8), "wait4(42, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 42");
  EXPECT_EQ(wait_line(SIGSEGV | 0x80),
            "wait4(42, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = "
            "42");
  EXPECT_EQ(wait_line((SIGTRAP | 0x80) << 8 | 0x7f),
            "wait4(42, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}], 0, NULL) = 42");
  EXPECT_EQ(wait_line(1 << 16 | SIGTRAP << 8 | 0x7f),
            "wait4(42, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_FORK << 16], 0, "
            "NULL) = 42");
  EXPECT_EQ(wait_line(0xffff), "wait4(42, [{WIFCONTINUED(s)}], 0, NULL) = 42");
  // WNOHANG with nothing to report: the kernel wrote nothing, strace shows the address.
  int st = 0;
  EXPECT_EQ(line(Arch::X86_64, "wait4", {42, addr_of(&st), WNOHANG, 0, 0, 0}, 0),
            "wait4(42, " + hex(&st) + ", WNOHANG, NULL) = 0");
  EXPECT_EQ(
      line(Arch::X86_64, "wait4", {static_cast<std::uint64_t>(-1), 0, 0x40000001, 0, 0, 0}, -10),
      "wait4(-1, NULL, WNOHANG|__WALL, NULL) = -1 ECHILD (No child processes)");
}

TEST(SysProcess, CloneFlagsAndSignal) {
  EXPECT_EQ(line(Arch::X86_64, "clone", {0x01200011, 0, 0, 0x1000, 0, 0}, 5),
            "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
            "child_tidptr=0x1000) = 5");
  EXPECT_EQ(line(Arch::X86_64, "clone", {0, 0x2000, 0, 0, 0, 0}, 5),
            "clone(child_stack=0x2000, flags=0) = 5");
  EXPECT_EQ(line(Arch::X86_64, "clone", {0x1000000011, 0, 0, 0, 0, 0}, 5),
            "clone(child_stack=NULL, flags=0x1000000000 /* CLONE_??? */|SIGCHLD) = 5");
  // i386 passes tls before child_tidptr; both show by name.
  EXPECT_EQ(line(Arch::I386, "clone", {0x01200011, 0, 0, 0, 0x3000, 0}, 5),
            "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
            "child_tidptr=0x3000) = 5");
}

// clone with -y: the pidfd CLONE_PIDFD stores at parent_tid is a descriptor (strace's
// printnum_fd); with CLONE_PARENT_SETTID the same slot holds the child's tid.
std::string clone_with_fd_paths(std::uint64_t flags, const int* slot, std::int64_t ret) {
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(sc.arch, "clone");
  EXPECT_NE(sc.spec, nullptr);
  if (sc.spec == nullptr) return {};
  sc.nr = sc.spec->nr;
  sc.raw_args = {flags, 0, addr_of(slot), 0, 0, 0};
  DecodeOptions opts;
  opts.fd_paths = true;
  FdPathFn paths = [](pid_t, int fd) { return fmt::format("anon_inode:[pidfd{}]", fd); };
  Memory mem(::getpid());
  decode_entry(sc, mem, opts, &paths);
  sc.ret = ret;
  sc.is_error = ret < 0;
  decode_exit(sc, mem, opts, &paths);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  render_line(sc, text, out);
  return std::regex_replace(out, std::regex(" +="), " =");
}

TEST(SysProcess, ClonePidfdIsADescriptor) {
  int slot = 3;
  EXPECT_EQ(
      clone_with_fd_paths(0x1000 | SIGCHLD, &slot, 42),
      "clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=[3<anon_inode:[pidfd3]>]) "
      "= 42");
  slot = 42;
  EXPECT_EQ(clone_with_fd_paths(0x00100000 | SIGCHLD, &slot, 42),
            "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=[42]) = 42");
  // A failed call wrote nothing: the address.
  EXPECT_EQ(clone_with_fd_paths(0x1000 | SIGCHLD, &slot, -22),
            "clone(child_stack=NULL, flags=CLONE_PIDFD|SIGCHLD, parent_tid=" + hex(&slot) +
                ") = -1 EINVAL (Invalid argument)");
}

TEST(SysProcess, ExecArraysEndingAtUnmappedMemory) {
  EdgePage page;
  // Two pointers, then the unmapped page: no NULL before it.
  auto* arr = reinterpret_cast<std::uint32_t*>(page.end() - 8);
  arr[0] = static_cast<std::uint32_t>(addr_of(page.get()));
  arr[1] = static_cast<std::uint32_t>(addr_of(page.get() + 2));
  std::memcpy(page.get(), "x\0y", 4);
  std::string tail = hex(page.end());
  EXPECT_EQ(
      line(Arch::I386, "execve", {addr_of(page.get()), addr_of(arr), addr_of(arr), 0, 0, 0}, -2),
      "execve(\"x\", [\"x\", \"y\", ... /* " + tail + " */], " + hex(arr) +
          " /* 2 vars, unterminated */) = -1 ENOENT (No such file or directory)");
}

TEST(SysProcess, ExecArraysAreBounded) {
  // 5000 arguments: -s elements without -v, at most max_array with it.
  std::vector<const char*> argv(5000, "x");
  argv.push_back(nullptr);
  std::string plain =
      line(Arch::X86_64, "execve",
           {addr_of("/bin/x"), addr_of(argv.data()), addr_of(argv.data()), 0, 0, 0}, -2);
  EXPECT_NE(plain.find(", \"x\", ...], " + hex(argv.data()) + " /* 5000 vars */)"),
            std::string::npos)
      << plain;
  DecodeOptions verbose;
  verbose.verbose = true;
  std::string full = line(Arch::X86_64, "execve",
                          {addr_of("/bin/x"), addr_of(argv.data()), 0, 0, 0, 0}, -2, verbose);
  EXPECT_LT(full.size(), 8000u);
  EXPECT_NE(full.find("\"x\", ...], NULL)"), std::string::npos);
}

TEST(SysProcess, LimitsAndCapabilities) {
  std::uint64_t lim[2] = {8192 * 1024, ~0ull};
  EXPECT_EQ(line(Arch::X86_64, "prlimit64", {0, 3, 0, addr_of(lim), 0, 0}, 0),
            "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = "
            "0");
  std::uint32_t lim32[2] = {1024, 0xffffffff};
  EdgePage page;
  std::memcpy(page.get(), lim32, sizeof lim32);
  EXPECT_EQ(line(Arch::I386, "getrlimit", {7, addr_of(page.get()), 0, 0, 0, 0}, 0),
            "getrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=RLIM_INFINITY}) = 0");

  std::uint32_t hdr[2] = {0x20080522, 0};
  std::uint32_t data[6] = {(1u << 0) | (1u << 21), 0, 0, 1u << 1, 0, 0};
  EXPECT_EQ(line(Arch::X86_64, "capset", {addr_of(hdr), addr_of(data), 0, 0, 0, 0}, 0),
            "capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|"
            "1<<CAP_SYS_ADMIN|1<<CAP_MAC_ADMIN, permitted=0, inheritable=0}) = 0");
}

TEST(SysProcess, HostileSizes) {
  // A cpu set "size" of 2 GiB: only the kernel's size is read, the rest is "...".
  std::array<unsigned char, 4096> cpus{};
  cpus[0] = 0x5;
  std::string l =
      line(Arch::X86_64, "sched_setaffinity", {0, 0x7fffffff, addr_of(cpus.data()), 0, 0, 0}, -22);
  EXPECT_EQ(l, "sched_setaffinity(0, 2147483647, [0 2 ...]) = -1 EINVAL (Invalid argument)");
  // getgroups "returning" more than NGROUPS_MAX ids shows the address.
  std::uint32_t gids[4] = {0, 1, 2, 0xffffffff};
  EXPECT_EQ(line(Arch::X86_64, "getgroups", {4, addr_of(gids), 0, 0, 0, 0}, 4),
            "getgroups(4, [0, 1, 2, -1]) = 4");
  EXPECT_EQ(line(Arch::X86_64, "getgroups", {4, addr_of(gids), 0, 0, 0, 0}, 1 << 20),
            "getgroups(4, " + hex(gids) + ") = 1048576");
  // A clone3 size far beyond the struct reads the struct and the rest of a page at most (as
  // the kernel does): zero bytes there show nothing.
  alignas(4096) static std::uint64_t args[512] = {};
  args[4] = SIGCHLD;
  EXPECT_EQ(line(Arch::X86_64, "clone3", {addr_of(args), 1ull << 40, 0, 0, 0, 0}, -22),
            "clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 1099511627776) = -1 "
            "EINVAL (Invalid argument)");
}

}  // namespace
}  // namespace ptk::sys
