// The generic argument path as strace prints it: C int flags and values cut to 32 bits (unless
// the kernel takes a long), placeholders for unknown values, and the registry's consistency.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "decoded_line.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/escape.h"

namespace ptk::sys {
namespace {

std::string line(std::string_view name, Args args, std::int64_t ret,
                 const DecodeOptions& opts = {}) {
  return decoded_line(Arch::X86_64, name, args, ret, opts);
}

TEST(SysGenericArgs, IntFlagsShowOnlyTheLowHalf) {
  // linkat's flags is an int: the register's upper half is garbage the kernel never sees.
  EXPECT_EQ(line("linkat", {0xffffff9c, 0, 0xffffff9c, 0, 0xdeadbeef00000400}, -EINVAL),
            "linkat(AT_FDCWD, NULL, AT_FDCWD, NULL, AT_SYMLINK_FOLLOW) = -1 EINVAL (Invalid "
            "argument)");
  EXPECT_EQ(line("userfaultfd", {0xdefaced00000000}, 3), "userfaultfd(0) = 3");
}

TEST(SysGenericArgs, LongFlagsShowTheWholeRegister) {
  // mprotect's prot is an unsigned long (data/syscalls.txt: @long).
  EXPECT_EQ(line("mprotect", {0x1000, 4096, 0xdefaced00000001}, -EINVAL),
            "mprotect(0x1000, 4096, PROT_READ|0xdefaced00000000) = -1 EINVAL (Invalid argument)");
}

TEST(SysGenericArgs, UnknownValuesGetThePlaceholder) {
  EXPECT_EQ(line("getrlimit", {0xfacefeed00000000, 0}, -EFAULT),
            "getrlimit(RLIMIT_CPU, NULL) = -1 EFAULT (Bad address)");
  EXPECT_EQ(line("getrlimit", {0x20, 0}, -EINVAL),
            "getrlimit(0x20 /* RLIMIT_??? */, NULL) = -1 EINVAL (Invalid argument)");
  // No flag known at all: the number and the placeholder; some known: the rest as a number.
  EXPECT_EQ(line("mlockall", {0x10}, -EINVAL),
            "mlockall(0x10 /* MCL_??? */) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("mlockall", {0x11}, -EINVAL),
            "mlockall(MCL_CURRENT|0x10) = -1 EINVAL (Invalid argument)");
}

TEST(SysGenericArgs, UmaskReturnsAThreeDigitOctal) {
  EXPECT_EQ(line("umask", {022}, 0), "umask(022) = 000");
  EXPECT_EQ(line("umask", {06}, 026), "umask(006) = 026");
}

TEST(SysGenericArgs, OnlyADirectoryDescriptorIsAtFdcwd) {
  EXPECT_EQ(line("readahead", {0xffffff9c, 0, 0}, -EBADF),
            "readahead(-100, 0, 0) = -1 EBADF (Bad file descriptor)");
}

TEST(SysGenericArgs, MqOpenShowsModeAndAttrOnlyWithOCreat) {
  EXPECT_EQ(line("mq_open", {0, 0, 0777, 0}, -EFAULT),
            "mq_open(NULL, O_RDONLY) = -1 EFAULT (Bad address)");
  EXPECT_EQ(line("mq_open", {0, 0102, 0700, 0}, -EFAULT),
            "mq_open(NULL, O_RDWR|O_CREAT, 0700, NULL) = -1 EFAULT (Bad address)");
}

std::string quoted(std::string_view bytes, int xlevel) {
  std::string out;
  append_quoted(out, bytes, xlevel, false);
  return out;
}

TEST(SysGenericArgs, StringsInHexAsStrace) {
  // -x: \b is no white space, so the whole string turns hex; \t..\r alone do not.
  EXPECT_EQ(quoted("\b hi", 1), "\"\\x08\\x20\\x68\\x69\"");
  EXPECT_EQ(quoted("\t hi", 1), "\"\\t hi\"");
  EXPECT_EQ(quoted("ab", 2), "\"\\x61\\x62\"");
  // non-ascii-chars: the usual escapes, and hex where the default prints octal.
  EXPECT_EQ(quoted("\t\x0e~", 3), "\"\\t\\x0e~\"");
  EXPECT_EQ(quoted("\t\x0e~", 0), "\"\\t\\16~\"");
}

TEST(SysGenericArgs, IoUringRegisterBuffersShowsTheirAddresses) {
  char buf[256];
  struct {
    std::uint64_t base, len;
  } iov{reinterpret_cast<std::uint64_t>(buf), sizeof buf};
  EXPECT_EQ(line("io_uring_register", {3, 0, reinterpret_cast<std::uint64_t>(&iov), 1}, 0),
            fmt::format("io_uring_register(3, IORING_REGISTER_BUFFERS, [{{iov_base={}, "
                        "iov_len=256}}], 1) = 0",
                        static_cast<const void*>(buf)));
  EXPECT_EQ(line("io_uring_register", {3, 1, 0, 0}, 0),
            "io_uring_register(3, IORING_UNREGISTER_BUFFERS, NULL, 0) = 0");
}

TEST(SysGenericArgs, NoNameIsRegisteredTwice) {
  EXPECT_TRUE(duplicate_registrations().empty())
      << "first duplicate: " << duplicate_registrations().front();
}

}  // namespace
}  // namespace ptk::sys
