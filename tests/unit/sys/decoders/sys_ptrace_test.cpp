// ptrace as strace 6.1 prints it (values from its test suite), in each -X style.
#include <gtest/gtest.h>
#include <linux/ptrace.h>
#include <unistd.h>

#include <cstring>
#include <regex>

#include "decoded_line.h"
#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"
#include "x86_host.h"

namespace ptk::sys {
namespace {

std::string ptrace_line(Args args, std::int64_t ret, ConstNames style = ConstNames::Abbrev) {
  return decoded_line(Arch::X86_64, "ptrace", args, ret, {}, style);
}

TEST(Ptrace, RequestsAndTheirArguments) {
  EXPECT_EQ(ptrace_line({0x4200, 42, 0, 1}, 0),
            "ptrace(PTRACE_SETOPTIONS, 42, NULL, PTRACE_O_TRACESYSGOOD) = 0");
  EXPECT_EQ(ptrace_line({0x10, 42, 7, 7}, -1),
            "ptrace(PTRACE_ATTACH, 42) = -1 EPERM (Operation "
            "not permitted)");
  EXPECT_EQ(ptrace_line({0x10, 42, 7, 7}, -1, ConstNames::Raw),
            "ptrace(0x10, 42) = -1 EPERM (Operation not permitted)");
  EXPECT_EQ(ptrace_line({0xdeadbeeffffffeed, 42, 0, 0}, -3),
            "ptrace(0xdeadbeeffffffeed /* PTRACE_??? */, 42, NULL, NULL) = -1 ESRCH (No such "
            "process)");
  EXPECT_EQ(ptrace_line({0xdeadbeeffffffeed, 42, 0, 0}, -3, ConstNames::Raw),
            "ptrace(0xdeadbeeffffffeed, 42, NULL, NULL) = -1 ESRCH (No such process)");
  EXPECT_EQ(ptrace_line({0x18, 42, 0, 0}, 0), "ptrace(PTRACE_SYSCALL, 42, NULL, 0) = 0");
}

TEST(Ptrace, PeeksiginfoArgumentsWithoutFlagNamesInVerbose) {
  struct {
    std::uint64_t off;
    std::uint32_t flags, nr;
  } args{0, 0, 4};
  auto addr = reinterpret_cast<std::uint64_t>(&args);
  EXPECT_EQ(ptrace_line({0x4209, 42, addr, 0}, -3, ConstNames::Verbose),
            "ptrace(0x4209 /* PTRACE_PEEKSIGINFO */, 42, {off=0, flags=0, nr=4}, NULL) = -1 "
            "ESRCH (No such process)");
  args.flags = 1;
  EXPECT_EQ(ptrace_line({0x4209, 42, addr, 0}, -3),
            "ptrace(PTRACE_PEEKSIGINFO, 42, {off=0, flags=PTRACE_PEEKSIGINFO_SHARED, nr=4}, "
            "NULL) = -1 ESRCH (No such process)");
}

TEST(Ptrace, SyscallInfoAsFarAsTheKernelWrote) {
  PTK_REQUIRE_X86_HOST();
  ptrace_syscall_info info{};
  info.op = PTRACE_SYSCALL_INFO_EXIT;
  info.arch = 0xc000003e;
  info.instruction_pointer = 0x1000;
  info.stack_pointer = 0x2000;
  info.exit.rval = -2;
  info.exit.is_error = 1;
  auto addr = reinterpret_cast<std::uint64_t>(&info);
  EXPECT_EQ(ptrace_line({0x420e, 42, 33, addr}, 33),
            "ptrace(PTRACE_GET_SYSCALL_INFO, 42, 33, {op=PTRACE_SYSCALL_INFO_EXIT, "
            "arch=AUDIT_ARCH_X86_64, instruction_pointer=0x1000, stack_pointer=0x2000, "
            "exit={rval=-ENOENT, is_error=1}}) = 33");
  EXPECT_EQ(ptrace_line({0x420e, 42, 32, addr}, 33, ConstNames::Verbose),
            "ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, 42, 32, {op=0x2 /* "
            "PTRACE_SYSCALL_INFO_EXIT */, arch=0xc000003e /* AUDIT_ARCH_X86_64 */, "
            "instruction_pointer=0x1000, stack_pointer=0x2000, exit={rval=-2}}) = 33");
  info.op = PTRACE_SYSCALL_INFO_ENTRY;
  info.entry.nr = 80;  // chdir
  info.entry.args[0] = 0xbad1fed1;
  EXPECT_EQ(ptrace_line({0x420e, 42, 40, addr}, 80),
            "ptrace(PTRACE_GET_SYSCALL_INFO, 42, 40, {op=PTRACE_SYSCALL_INFO_ENTRY, "
            "arch=AUDIT_ARCH_X86_64, instruction_pointer=0x1000, stack_pointer=0x2000, "
            "entry={nr=__NR_chdir, args=[0xbad1fed1]}}) = 80");
  EXPECT_EQ(ptrace_line({0x420e, 42, 1, 0}, -14),
            "ptrace(PTRACE_GET_SYSCALL_INFO, 42, 1, NULL) = -1 EFAULT (Bad address)");
}

}  // namespace
}  // namespace ptk::sys
