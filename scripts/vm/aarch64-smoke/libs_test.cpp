// The aarch64 cross build's smoke test: one call into each library ptk links (fmt, libseccomp,
// capstone, libdw/libelf), built with cmake/toolchains/aarch64-linux-gnu.cmake against the arm64
// multiarch packages, linked with GoogleTest, and run in the aarch64 guest (its root has the
// arm64 runtime libraries).
#include <capstone/capstone.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <seccomp.h>
#include <unistd.h>

#include <cstdint>
#include <string>

TEST(Aarch64Libs, FmtFormats) { EXPECT_EQ(fmt::format("{:#x}", 221), "0xdd"); }

TEST(Aarch64Libs, SeccompKnowsTheNativeArchitecture) {
  EXPECT_EQ(seccomp_arch_native(), SCMP_ARCH_AARCH64);
  EXPECT_EQ(seccomp_syscall_resolve_name("execve"), 221);
}

TEST(Aarch64Libs, CapstoneDisassemblesBrk) {
  csh handle;
  ASSERT_EQ(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle), CS_ERR_OK);
  const std::uint8_t brk0[] = {0x00, 0x00, 0x20, 0xd4};
  cs_insn* insn = nullptr;
  ASSERT_EQ(cs_disasm(handle, brk0, sizeof brk0, 0x1000, 0, &insn), 1u);
  EXPECT_EQ(std::string(insn->mnemonic) + " " + insn->op_str, "brk #0");
  cs_free(insn, 1);
  cs_close(&handle);
}

TEST(Aarch64Libs, DwflReportsThisProcess) {
  const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr,
                                    nullptr};
  Dwfl* dwfl = dwfl_begin(&callbacks);
  ASSERT_NE(dwfl, nullptr);
  ASSERT_EQ(dwfl_linux_proc_report(dwfl, getpid()), 0);
  ASSERT_EQ(dwfl_report_end(dwfl, nullptr, nullptr), 0);
  int modules = 0;
  dwfl_getmodules(
      dwfl,
      [](Dwfl_Module*, void**, const char*, Dwarf_Addr, void* arg) {
        ++*static_cast<int*>(arg);
        return static_cast<int>(DWARF_CB_OK);
      },
      &modules, 0);
  // This executable, the dynamic loader, libc and the libraries above.
  EXPECT_GE(modules, 5);
  dwfl_end(dwfl);
}
