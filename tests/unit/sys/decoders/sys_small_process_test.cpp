// ioprio_get/ioprio_set, kcmp, syslog, process_vm_writev, reboot, sethostname, swapon and ustat as
// strace 6.1 prints them (values from its test suite).
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>

#include "ptk/core/memory.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

std::string line(std::string_view name, std::array<std::uint64_t, 6> args, std::int64_t ret,
                 ConstNames style = ConstNames::Abbrev) {
  DecodedSyscall sc;
  sc.arch = Arch::X86_64;
  sc.spec = find_syscall(Arch::X86_64, name);
  sc.nr = sc.spec->nr;
  sc.raw_args = args;
  Memory mem(::getpid());
  DecodeOptions opts;
  opts.const_names = style;  // the decoder spells IOPRIO_PRIO_VALUE per style
  decode_entry(sc, mem, opts);
  sc.ret = ret;
  sc.is_error = ret < 0 && ret > -4096;
  decode_exit(sc, mem, opts);
  std::string out;
  TextOptions text;
  text.acolumn = 0;
  text.const_names = style;
  render_line(sc, text, out);
  return std::regex_replace(out, std::regex(" +="), " =");
}

constexpr std::int64_t kEinval = -22;

TEST(Ioprio, ValueInEachStyle) {
  EXPECT_EQ(line("ioprio_set", {2, 7, 8191}, kEinval),
            "ioprio_set(IOPRIO_WHO_PGRP, 7, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE, 8191)) = -1 "
            "EINVAL (Invalid argument)");
  EXPECT_EQ(line("ioprio_set", {2, 7, 8191}, kEinval, ConstNames::Raw),
            "ioprio_set(0x2, 7, 8191) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("ioprio_set", {0xfa57beef, 7, 0xdec0ded1facefeed}, kEinval, ConstNames::Verbose),
            "ioprio_set(0xfa57beef /* IOPRIO_WHO_??? */, 7, -87097619 /* IOPRIO_PRIO_VALUE(0x7d677 "
            "/* IOPRIO_CLASS_??? */, 7917) */) = -1 EINVAL (Invalid argument)");
}

TEST(Ioprio, ReturnedValueNamedExceptRaw) {
  EXPECT_EQ(line("ioprio_get", {1, 7}, 0x4004),
            "ioprio_get(IOPRIO_WHO_PROCESS, 7) = 16388 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4))");
  EXPECT_EQ(line("ioprio_get", {1, 7}, 0, ConstNames::Verbose),
            "ioprio_get(0x1 /* IOPRIO_WHO_PROCESS */, 7) = 0 (IOPRIO_PRIO_VALUE(0 /* "
            "IOPRIO_CLASS_NONE */, 0))");
  EXPECT_EQ(line("ioprio_get", {1, 7}, 0, ConstNames::Raw), "ioprio_get(0x1, 7) = 0");
}

TEST(Kcmp, IndexesByType) {
  EXPECT_EQ(line("kcmp", {1, 2, 0xda7adead, 0xdec0ded3dec0ded4, 5}, kEinval),
            "kcmp(1, 2, 0xda7adead /* KCMP_??? */, 0xdec0ded3dec0ded4, 0x5) = -1 EINVAL (Invalid "
            "argument)");
  EXPECT_EQ(line("kcmp", {1, 2, 0, 0xdeadbeefdeadbeef, 3}, kEinval),
            "kcmp(1, 2, KCMP_FILE, -559038737, 3) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("kcmp", {1, 2, 1, 7, 8}, kEinval),
            "kcmp(1, 2, KCMP_VM) = -1 EINVAL (Invalid argument)");
}

TEST(Syslog, ArgumentsByAction) {
  EXPECT_EQ(line("syslog", {0, 1, 2}, 0), "syslog(0 /* SYSLOG_ACTION_CLOSE */) = 0");
  EXPECT_EQ(line("syslog", {0, 1, 2}, 0, ConstNames::Raw), "syslog(0) = 0");
  EXPECT_EQ(line("syslog", {8, 0, 8}, kEinval),
            "syslog(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 8 /* LOGLEVEL_DEBUG+1 */) = -1 "
            "EINVAL (Invalid argument)");
  EXPECT_EQ(line("syslog", {0xfeedbeef, 0, 0xffffffff}, kEinval),
            "syslog(-17973521 /* SYSLOG_ACTION_??? */, NULL, -1) = -1 EINVAL (Invalid argument)");
}

TEST(ProcessVm, EmptyIovecArraysAreBrackets) {
  EXPECT_EQ(line("process_vm_writev", {1, 0x1000, 0, 0x2000, 0, 0}, 0),
            "process_vm_writev(1, [], 0, [], 0, 0) = 0");
}

TEST(Reboot, ArgumentOnlyForRestart2) {
  EXPECT_EQ(
      line("reboot", {0xfee1dead, 0, 0, 0}, kEinval),
      "reboot(LINUX_REBOOT_MAGIC1, 0 /* LINUX_REBOOT_MAGIC_??? */, LINUX_REBOOT_CMD_CAD_OFF) = "
      "-1 EINVAL (Invalid argument)");
  EXPECT_EQ(
      line("reboot", {0xfee1dead, 672274793, 0xa1b2c3d4, 0}, kEinval),
      "reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, NULL) = -1 "
      "EINVAL (Invalid argument)");
}

TEST(Swapon, PriorityAlwaysInDecimal) {
  EXPECT_EQ(line("swapon", {0, 42}, kEinval), "swapon(NULL, 42) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line("swapon", {0, 0x8000 | 42}, kEinval),
            "swapon(NULL, SWAP_FLAG_PREFER|42) = -1 EINVAL (Invalid argument)");
}

TEST(Sethostname, TooLongANameIsNotRead) {
  EXPECT_EQ(line("sethostname", {0x1000, 65}, kEinval),
            "sethostname(0x1000, 65) = -1 EINVAL (Invalid argument)");
}

TEST(Ustat, DeviceAsMakedev) {
  EXPECT_EQ(line("ustat", {0xfacefeedffffffff, 0}, kEinval),
            "ustat(makedev(0xfff, 0xfffff), NULL) = -1 EINVAL (Invalid argument)");
}

TEST(Sysctl, UnreadableArgsAreAnAddress) {
  EXPECT_EQ(line("_sysctl", {0x1000}, -38),
            "_sysctl(0x1000) = -1 ENOSYS (Function not implemented)");
}

TEST(Sysctl, ArgsInBrief) {
  static std::uint64_t args[10] = {0, 0, 0, 0, 0, 0};
  EXPECT_EQ(line("_sysctl", {reinterpret_cast<std::uint64_t>(args)}, -38),
            "_sysctl({name=NULL, nlen=0, oldval=NULL, oldlenp=NULL, newval=NULL, newlen=0}) = -1 "
            "ENOSYS (Function not implemented)");
}

TEST(Path, NoNulWithinPathMaxShowsPathMaxMinusOneBytes) {
  static std::string long_path(5000, '/');
  std::string out = line("chdir", {reinterpret_cast<std::uint64_t>(long_path.data())}, -36);
  EXPECT_EQ(out,
            "chdir(\"" + std::string(4095, '/') + "\"...) = -1 ENAMETOOLONG (File name too long)");
}

TEST(IoSetup, ContextIdInBrackets) {
  static std::uint64_t ctx_id = 0x7f0012345000;
  EXPECT_EQ(line("io_setup", {2, reinterpret_cast<std::uint64_t>(&ctx_id)}, 0),
            "io_setup(2, [0x7f0012345000]) = 0");
}

}  // namespace
}  // namespace ptk::sys
