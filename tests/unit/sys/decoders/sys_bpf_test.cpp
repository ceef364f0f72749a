// bpf(2) as strace prints it: union bpf_attr by command, only the fields of the caller's size,
// the nonzero bytes past the struct, the commands the kernel writes back and eBPF code.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

std::uint64_t addr(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

std::string line(Args args, std::int64_t ret, const DecodeOptions& opts = {},
                 ConstNames style = ConstNames::Abbrev) {
  return decoded_line(Arch::X86_64, "bpf", args, ret, opts, style);
}

DecodeOptions verbose() {
  DecodeOptions o;
  o.verbose = true;
  return o;
}

struct alignas(8) Attr {
  unsigned char b[256] = {};
  template <typename T>
  void set(std::size_t off, T v) {
    std::memcpy(b + off, &v, sizeof v);
  }
};

TEST(SysBpf, MapCreateShowsOnlyTheFieldsOfTheCallersSize) {
  Attr a;
  a.set<std::uint32_t>(0, 2);     // BPF_MAP_TYPE_ARRAY
  a.set<std::uint32_t>(16, 4);    // map_flags: BPF_F_NUMA_NODE
  a.set<std::int32_t>(20, -1);    // inner_map_fd
  a.set<std::uint32_t>(24, ~0u);  // numa_node: NUMA_NO_NODE
  std::memcpy(a.b + 28, "0123456789abcdef", 16);
  EXPECT_EQ(line({0, addr(&a), 16}, -EINVAL),
            "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=0, value_size=0, "
            "max_entries=0}, 16) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(line({0, addr(&a), 36}, 3),
            "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=0, value_size=0, "
            "max_entries=0, map_flags=BPF_F_NUMA_NODE, inner_map_fd=-1, numa_node=4294967295 "
            "/* NUMA_NO_NODE */, map_name=\"0123456\"...}, 36) = 3");
}

TEST(SysBpf, BytesPastTheStructAreShownWhenNonzero) {
  Attr a;
  a.set<std::uint32_t>(0, 7);  // btf_id
  a.set<std::uint8_t>(5, 0xab);
  EXPECT_EQ(line({19, addr(&a), 8}, 0), "bpf(BPF_BTF_GET_FD_BY_ID, {btf_id=7, ...}, 8) = 0");
  EXPECT_EQ(line({19, addr(&a), 8}, 0, verbose()),
            "bpf(BPF_BTF_GET_FD_BY_ID, {btf_id=7, extra_data=\"\\x00\\xab\\x00\\x00\" /* bytes "
            "4..7 */}, 8) = 0");
  a.set<std::uint8_t>(5, 0);
  EXPECT_EQ(line({19, addr(&a), 8}, 0), "bpf(BPF_BTF_GET_FD_BY_ID, {btf_id=7}, 8) = 0");
}

TEST(SysBpf, UnknownCommandAndOversizedAttrAreAddresses) {
  Attr a;
  EXPECT_EQ(line({0xfacefeed, 0, 40}, -EINVAL),
            "bpf(0xfacefeed /* BPF_??? */, NULL, 40) = -1 EINVAL (Invalid argument)");
  EXPECT_EQ(
      line({5, addr(&a), 4097}, -E2BIG),
      fmt::format("bpf(BPF_PROG_LOAD, {:#x}, 4097) = -1 E2BIG (Argument list too long)", addr(&a)));
}

TEST(SysBpf, ProgLoadKernelVersionAndInsnsInEachStyle) {
  static const unsigned char insn[8] = {0x95, 0xba, 0xad, 0xde, 0xed, 0x0d, 0xdc, 0xba};
  Attr a;
  a.set<std::uint32_t>(0, 1);  // BPF_PROG_TYPE_SOCKET_FILTER
  a.set<std::uint32_t>(4, 1);
  a.set<std::uint64_t>(8, addr(insn));
  a.set<std::uint32_t>(40, 0x050a0b);
  std::string want = fmt::format(
      "bpf(BPF_PROG_LOAD, {{prog_type=BPF_PROG_TYPE_SOCKET_FILTER, insn_cnt=1, insns=[{{code="
      "BPF_JMP|BPF_K|BPF_EXIT, dst_reg=BPF_REG_10, src_reg=0xb /* BPF_REG_??? */, off=-8531, "
      "imm=0xbadc0ded}}], license=NULL, log_level=0, log_size=0, log_buf=NULL, "
      "kern_version=KERNEL_VERSION(5, 10, 11)}}, 44) = 3");
  EXPECT_EQ(line({5, addr(&a), 44}, 3, verbose()), want);
  EXPECT_EQ(line({5, addr(&a), 44}, 3, {}, ConstNames::Raw),
            fmt::format("bpf(0x5, {{prog_type=0x1, insn_cnt=1, insns={:#x}, license=NULL, "
                        "log_level=0, log_size=0, log_buf=NULL, kern_version=0x50a0b}}, 44) = 3",
                        addr(insn)));
}

TEST(SysBpf, GetNextIdShowsTheKernelsIdAfterTheCallers) {
  Attr a;
  a.set<std::uint32_t>(0, 5);
  a.set<std::uint32_t>(4, 6);
  // The "kernel" leaves next_id as it was: no " => ".
  EXPECT_EQ(line({11, addr(&a), 12}, 0),
            "bpf(BPF_PROG_GET_NEXT_ID, {start_id=5, next_id=6, open_flags=0}, 12) = 0");
}

TEST(SysBpf, LinkCreateReadsTheUnionByAttachType) {
  Attr a;
  a.set<std::int32_t>(0, -1);
  a.set<std::int32_t>(4, -1);
  a.set<std::uint32_t>(8, 41);  // BPF_PERF_EVENT
  a.set<std::uint64_t>(16, 0xdeadc0de);
  a.set<std::uint8_t>(30, 1);  // past perf_event: extra data
  EXPECT_EQ(line({28, addr(&a), 32}, -EINVAL),
            "bpf(BPF_LINK_CREATE, {link_create={prog_fd=-1, target_fd=-1, "
            "attach_type=BPF_PERF_EVENT, flags=0, perf_event={bpf_cookie=0xdeadc0de}}, ...}, 32) "
            "= -1 EINVAL (Invalid argument)");
}

}  // namespace
}  // namespace ptk::sys
