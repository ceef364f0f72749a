// The signal family's printers on values built here: siginfo of both layouts, signal masks,
// signal names, and sigaction/sigaltstack/sigprocmask decoded from raw arguments that point
// into this very process (Memory reads it with process_vm_readv like any tracee).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <regex>
#include <string>

#include "decoded_line.h"
#include "low_map.h"
#include "ptk/core/memory.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"
#include "ptk/sys/siginfo.h"
#include "x86_host.h"

namespace ptk::sys {
namespace {

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string text(const TokenList& t) {
  std::string out;
  render_tokens(t, 0, t.size(), TextOptions{}, out);
  return out;
}

std::string mask(std::uint64_t m, unsigned bytes = 8) {
  TokenList t;
  sigmask_tokens(t, m, bytes);
  return text(t);
}

std::string info(const siginfo_t& si, Arch arch = Arch::X86_64) {
  TokenList t;
  decode_siginfo(t, si, arch);
  return text(t);
}

std::string line(Arch arch, std::string_view name, Args args, std::int64_t ret) {
  return decoded_line(arch, name, args, ret);
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

TEST(SysSignal, SignalNamesAsStracePrintsThem) {
  EXPECT_EQ(signal_name(SIGIO), "SIGIO");  // glibc's sigabbrev_np says POLL
  EXPECT_EQ(signal_name(SIGSTKFLT), "SIGSTKFLT");
  EXPECT_EQ(signal_name(SIGPWR), "SIGPWR");
  EXPECT_EQ(signal_name(32), "SIGRTMIN");
  EXPECT_EQ(signal_name(35), "SIGRT_3");
  EXPECT_EQ(signal_name(64), "SIGRT_32");
  EXPECT_EQ(signal_name(65), "signal 65");
}

TEST(SysSignal, Masks) {
  EXPECT_EQ(mask(0), "[]");
  EXPECT_EQ(mask(~0ull), "~[]");
  EXPECT_EQ(mask((1ull << (SIGINT - 1)) | (1ull << (SIGTERM - 1))), "[INT TERM]");
  EXPECT_EQ(mask(1ull << (SIGIO - 1)), "[IO]");
  // Two thirds of the bits or more: the complement.
  EXPECT_EQ(mask(~((1ull << 31) | (1ull << 32))), "~[RTMIN RT_1]");
  EXPECT_EQ(mask((1ull << 42) - 1).substr(0, 2), "~[");
  EXPECT_EQ(mask((1ull << 41) - 1).substr(0, 6), "[HUP I");
  // A 4-byte mask looks at 32 bits only: 21 of them make the complement.
  EXPECT_EQ(mask(0xffffffffull, 4), "~[]");
  EXPECT_EQ(mask((1ull << 21) - 1, 4).substr(0, 2), "~[");
  EXPECT_EQ(mask((1ull << 20) - 1, 4).substr(0, 5), "[HUP ");
  EXPECT_EQ(mask(1ull << 40, 4), "[]");
}

TEST(SysSignal, SiginfoFromProcesses) {
  siginfo_t si{};
  si.si_signo = SIGUSR1;
  si.si_code = SI_USER;
  si.si_pid = 1234;
  si.si_uid = 1000;
  EXPECT_EQ(info(si), "{si_signo=SIGUSR1, si_code=SI_USER, si_pid=1234, si_uid=1000}");
  si.si_code = SI_TKILL;
  EXPECT_EQ(info(si), "{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=1234, si_uid=1000}");
  si.si_code = SI_QUEUE;
  EXPECT_EQ(info(si), "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=1234, si_uid=1000}");
  si.si_value.sival_ptr = reinterpret_cast<void*>(0x2a);
  EXPECT_EQ(info(si),
            "{si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=1234, si_uid=1000, si_int=42, "
            "si_ptr=0x2a}");
  siginfo_t none{};
  EXPECT_EQ(info(none), "{}");
}

TEST(SysSignal, SiginfoFromTheKernel) {
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  si.si_pid = 77;
  si.si_uid = 0;
  si.si_status = 3;
  si.si_utime = 5;
  si.si_stime = 120;
  EXPECT_EQ(info(si),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=77, si_uid=0, si_status=3, "
            "si_utime=5 /* 0.05 s */, si_stime=120 /* 1.20 s */}");
  si.si_code = CLD_KILLED;
  si.si_status = SIGKILL;
  si.si_utime = si.si_stime = 0;
  EXPECT_EQ(info(si),
            "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=77, si_uid=0, si_status=SIGKILL, "
            "si_utime=0, si_stime=0}");

  siginfo_t segv{};
  segv.si_signo = SIGSEGV;
  segv.si_code = SEGV_MAPERR;
  EXPECT_EQ(info(segv), "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}");
  segv.si_code = 99;  // unknown: the number in hex
  segv.si_addr = reinterpret_cast<void*>(0x1000);
  EXPECT_EQ(info(segv), "{si_signo=SIGSEGV, si_code=0x63, si_addr=0x1000}");

  siginfo_t alrm{};
  alrm.si_signo = SIGALRM;
  alrm.si_code = SI_KERNEL;
  EXPECT_EQ(info(alrm), "{si_signo=SIGALRM, si_code=SI_KERNEL}");

  siginfo_t trap{};
  trap.si_signo = SIGTRAP;
  trap.si_code = TRAP_BRKPT;
  EXPECT_EQ(info(trap), "{si_signo=SIGTRAP, si_code=TRAP_BRKPT, si_addr=NULL}");
}

TEST(SysSignal, SiginfoOfSeccomp) {
  PTK_REQUIRE_X86_HOST();
  siginfo_t si{};
  si.si_signo = SIGSYS;
  si.si_code = 1;  // SYS_SECCOMP
  si.si_errno = 5;
  si.si_call_addr = reinterpret_cast<void*>(0x7f0000001234);
  si.si_syscall = 110;
  si.si_arch = 0xc000003e;
  EXPECT_EQ(info(si),
            "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0x7f0000001234, "
            "si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_X86_64}");
  si.si_syscall = 64;
  si.si_arch = 0x40000003;
  EXPECT_EQ(info(si, Arch::I386),
            "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0x7f0000001234, "
            "si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_I386}");
  si.si_arch = 0x1234;
  si.si_syscall = 9999;
  EXPECT_EQ(info(si),
            "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0x7f0000001234, "
            "si_syscall=9999, si_arch=0x1234 /* AUDIT_ARCH_??? */}");
}

TEST(SysSignal, SiginfoOfA32BitTracee) {
  // The compat layout: the union at 12, 32-bit clock_t (negative values widen as signed).
  unsigned char raw[128] = {};
  auto put = [&](std::size_t off, std::int32_t v) { std::memcpy(raw + off, &v, 4); };
  put(0, SIGCHLD);
  put(8, CLD_EXITED);
  put(12, 4321);  // pid
  put(16, 0);     // uid
  put(20, 9);     // status
  put(24, 7);     // utime
  put(28, -1);    // stime
  TokenList t;
  decode_siginfo_abi(t, raw, Arch::I386);
  EXPECT_EQ(text(t),
            "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4321, si_uid=0, si_status=9, "
            "si_utime=7 /* 0.07 s */, si_stime=18446744073709551615 /* 184467440737095516.15 s "
            "*/}");
  std::memset(raw, 0, sizeof raw);
  put(0, SIGUSR2);
  put(8, SI_QUEUE);
  put(12, 10);
  put(16, 20);
  put(20, 0x55);  // sival
  TokenList q;
  decode_siginfo_abi(q, raw, Arch::I386);
  EXPECT_EQ(text(q),
            "{si_signo=SIGUSR2, si_code=SI_QUEUE, si_pid=10, si_uid=20, si_int=85, si_ptr=0x55}");
}

TEST(SysSignal, SigactionOfBothAbis) {
  struct {
    std::uint64_t handler, flags, restorer, mask;
  } sa64 = {1, 0x04000000 | 0x10000000, 0x7f0000005000, (1ull << (SIGINT - 1))};
  EXPECT_EQ(line(Arch::X86_64, "rt_sigaction", {SIGUSR1, addr_of(&sa64), 0, 8, 0, 0}, 0),
            "rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[INT], "
            "sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f0000005000}, NULL, 8) = 0");
  EXPECT_EQ(line(Arch::X86_64, "rt_sigaction", {SIGUSR1, 0, addr_of(&sa64), 8, 0, 0}, -14),
            "rt_sigaction(SIGUSR1, NULL, " + fmt::format("{:#x}", addr_of(&sa64)) +
                ", 8) = -1 EFAULT (Bad address)");

  LowPage page;
  struct {
    std::uint32_t handler, flags, restorer, mask_lo, mask_hi;
  } sa32 = {0xffffffff, 0x400, 0, 0, 1u << 1};
  std::memcpy(page.get(), &sa32, sizeof sa32);
  EXPECT_EQ(line(Arch::I386, "rt_sigaction", {SIGSEGV, page.addr(), 0, 8, 0, 0}, 0),
            "rt_sigaction(SIGSEGV, {sa_handler=SIG_ERR, sa_mask=[RT_2], "
            "sa_flags=0x400 /* SA_??? */}, NULL, 8) = 0");
  // The legacy sigaction of i386: handler, 32-bit mask, flags, restorer.
  std::uint32_t old[4] = {0x1000, 1u << (SIGTERM - 1), 0x04000000, 0x2000};
  std::memcpy(page.get() + 64, old, sizeof old);
  EXPECT_EQ(line(Arch::I386, "sigaction", {SIGHUP, page.addr(64), 0, 0, 0, 0}, 0),
            "sigaction(SIGHUP, {sa_handler=0x1000, sa_mask=[TERM], sa_flags=SA_RESTORER, "
            "sa_restorer=0x2000}, NULL) = 0");
}

TEST(SysSignal, MasksAndStacksThroughSyscalls) {
  std::uint64_t set = 1ull << (SIGCHLD - 1), old = 0;
  EXPECT_EQ(
      line(Arch::X86_64, "rt_sigprocmask", {SIG_BLOCK, addr_of(&set), addr_of(&old), 8, 0, 0}, 0),
      "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0");
  // A size the kernel refuses shows the pointers.
  EXPECT_EQ(line(Arch::X86_64, "rt_sigprocmask", {SIG_BLOCK, addr_of(&set), 0, 16, 0, 0}, -22),
            "rt_sigprocmask(SIG_BLOCK, 0x" + fmt::format("{:x}", addr_of(&set)) +
                ", NULL, 16) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line(Arch::X86_64, "rt_sigsuspend", {addr_of(&set), 8, 0, 0, 0, 0}, -4),
            "rt_sigsuspend([CHLD], 8) = -1 EINTR (Interrupted system call)");

  LowPage page;
  std::uint32_t ss[3] = {0x5000, 2, 8192};
  std::memcpy(page.get(), ss, sizeof ss);
  EXPECT_EQ(line(Arch::I386, "sigaltstack", {page.addr(), 0, 0, 0, 0, 0}, 0),
            "sigaltstack({ss_sp=0x5000, ss_flags=SS_DISABLE, ss_size=8192}, NULL) = 0");
  EXPECT_EQ(line(Arch::I386, "sigsuspend", {0, 0, 1u << (SIGUSR2 - 1), 0, 0, 0}, -4),
            "sigsuspend([USR2]) = -1 EINTR (Interrupted system call)");
  EXPECT_EQ(line(Arch::I386, "ssetmask", {0xffffffff, 0, 0, 0, 0, 0}, 0x200),
            "ssetmask(~[]) = 0x200 (old mask [USR1])");
}

}  // namespace
}  // namespace ptk::sys
