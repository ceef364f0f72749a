// Classic BPF programs as strace prints them: socket filters with their SKF_* load areas in
// each -X style, and no more than BPF_MAXINSNS instructions of a seccomp filter.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

struct Insn {
  std::uint16_t code;
  std::uint8_t jt, jf;
  std::uint32_t k;
};
struct Fprog {
  std::uint16_t len;
  const Insn* filter;
};

DecodeOptions verbose() {
  DecodeOptions o;
  o.verbose = true;
  return o;
}

TEST(SysBpfFilter, SocketFilterLoadsNameTheirAreaInEachStyle) {
  static const Insn insns[] = {
      {0x30, 0, 0, 0xfffff000},  // BPF_LD|BPF_B|BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL
      {0x15, 0, 1, 0x11},        // BPF_JMP|BPF_K|BPF_JEQ
      {0x06, 0, 0, 0xffffffff},  // BPF_RET|BPF_K
  };
  Fprog prog{3, insns};
  Args a{3, 1, 26, reinterpret_cast<std::uint64_t>(&prog), sizeof prog};
  EXPECT_EQ(decoded_line(Arch::X86_64, "setsockopt", a, 0, verbose()),
            "setsockopt(3, SOL_SOCKET, SO_ATTACH_FILTER, {len=3, filter=[BPF_STMT(BPF_LD|BPF_B|"
            "BPF_ABS, SKF_AD_OFF+SKF_AD_PROTOCOL), BPF_JUMP(BPF_JMP|BPF_K|BPF_JEQ, 0x11, 0, 0x1), "
            "BPF_STMT(BPF_RET|BPF_K, 0xffffffff)]}, 16) = 0");
  EXPECT_EQ(decoded_line(Arch::X86_64, "setsockopt", a, 0, verbose(), ConstNames::Raw),
            "setsockopt(3, 0x1, 0x1a, {len=3, filter=[BPF_STMT(0|0x10|0x20, 0xfffff000+0), "
            "BPF_JUMP(0x5|0|0x10, 0x11, 0, 0x1), BPF_STMT(0x6|0, 0xffffffff)]}, 16) = 0");
  std::string v = decoded_line(Arch::X86_64, "setsockopt", a, 0, verbose(), ConstNames::Verbose);
  EXPECT_NE(v.find("BPF_STMT(0 /* BPF_LD */|0x10 /* BPF_B */|0x20 /* BPF_ABS */, 0xfffff000 /* "
                   "SKF_AD_OFF */+0 /* SKF_AD_PROTOCOL */)"),
            std::string::npos)
      << v;
}

TEST(SysBpfFilter, SeccompFilterStopsAtMaxInsns) {
  std::vector<Insn> insns(4097, Insn{0x06, 0, 0, 0x7fff0000});  // SECCOMP_RET_ALLOW
  Fprog prog{4097, insns.data()};
  std::string out = decoded_line(Arch::X86_64, "seccomp",
                                 {1, 0, reinterpret_cast<std::uint64_t>(&prog)}, -22, verbose());
  EXPECT_NE(out.find("BPF_STMT(BPF_RET|BPF_K, SECCOMP_RET_ALLOW), ...]}"), std::string::npos);
  std::size_t n = 0;
  for (std::size_t at = 0; (at = out.find("BPF_STMT", at)) != std::string::npos; ++at) ++n;
  EXPECT_EQ(n, 4096u);
}

}  // namespace
}  // namespace ptk::sys
