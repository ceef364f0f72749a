// io_uring_register(2)'s opcodes as strace prints them: restrictions, resource tables with
// their tags and extra bytes, ring fds, and the probe and worker counts the kernel writes back.
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

std::string line(Args args, std::int64_t ret, ConstNames style = ConstNames::Abbrev) {
  return decoded_line(Arch::X86_64, "io_uring_register", args, ret, {}, style);
}

struct Restriction {
  std::uint16_t opcode;
  std::uint8_t op, resv;
  std::uint32_t resv2[3];
};

TEST(SysIoUringRegister, UnknownOpcodeSaysWhichFamily) {
  EXPECT_EQ(line({0xdefaced00000005, 0x18, 0, 1}, -EINVAL),
            "io_uring_register(5, 0x18 /* IORING_REGISTER_??? */, NULL, 1) = -1 EINVAL (Invalid "
            "argument)");
}

TEST(SysIoUringRegister, RestrictionsByOpcodeInEachStyle) {
  Restriction r[3] = {{0, 22, 0, {}}, {3, 0xc0, 1, {0, 2, 0}}, {9, 0xef, 0, {}}};
  Args a{5, 11, addr(r), 3};
  EXPECT_EQ(line(a, 0),
            "io_uring_register(5, IORING_REGISTER_RESTRICTIONS, [{opcode="
            "IORING_RESTRICTION_REGISTER_OP, register_op=IORING_REGISTER_PBUF_RING}, {opcode="
            "IORING_RESTRICTION_SQE_FLAGS_REQUIRED, sqe_flags=IOSQE_CQE_SKIP_SUCCESS|0x80, "
            "resv=0x1, resv2=[0, 0x2, 0]}, {opcode=0x9 /* IORING_RESTRICTION_??? */ /* op: 0xef "
            "*/}], 3) = 0");
  EXPECT_EQ(line(a, 0, ConstNames::Raw),
            "io_uring_register(5, 0xb, [{opcode=0, register_op=0x16}, {opcode=0x3, "
            "sqe_flags=0xc0, resv=0x1, resv2=[0, 0x2, 0]}, {opcode=0x9 /* op: 0xef */}], 3) = 0");
}

TEST(SysIoUringRegister, FilesUpdate2SkipsSlotsAndShowsExtraBytes) {
  std::int32_t fds[2] = {-2, -3};
  std::uint64_t tags[2] = {0x1337, 0};
  unsigned char buf[40] = {};
  std::uint32_t nr = 2;
  std::uint64_t data = addr(fds), tag = addr(tags);
  std::memcpy(buf + 8, &data, 8);
  std::memcpy(buf + 16, &tag, 8);
  std::memcpy(buf + 24, &nr, 4);
  buf[39] = 0xa7;
  EXPECT_EQ(line({5, 14, addr(buf), 40}, 0, ConstNames::Verbose),
            "io_uring_register(5, 0xe /* IORING_REGISTER_FILES_UPDATE2 */, {offset=0, data=[-2 "
            "/* IORING_REGISTER_FILES_SKIP */, -3], tags=[0x1337, 0], nr=2, /* bytes 32..39 */ "
            "\"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xa7\"}, 40) = 0");
  // Smaller than the struct: only its address.
  EXPECT_EQ(
      line({5, 14, addr(buf), 24}, 0),
      fmt::format("io_uring_register(5, IORING_REGISTER_FILES_UPDATE2, {:#x}, 24) = 0", addr(buf)));
}

TEST(SysIoUringRegister, RingFdsOffsetMinusOneIsAnyFreeSlot) {
  struct {
    std::uint32_t offset, resv;
    std::uint64_t data;
  } u[1] = {{UINT32_MAX, 0, 0xbadc0ded00000007}};
  EXPECT_EQ(line({5, 20, addr(u), 1}, 0),
            "io_uring_register(5, IORING_REGISTER_RING_FDS, [{offset=-1, data=7}], 1) = 0");
  EXPECT_EQ(line({5, 21, addr(u), 1}, 0),
            "io_uring_register(5, IORING_UNREGISTER_RING_FDS, [{offset=4294967295, "
            "data=0xbadc0ded00000007}], 1) = 0");
}

TEST(SysIoUringRegister, MaxWorkersShowTheKernelsCountsAfterTheCallers) {
  std::uint32_t w[3] = {0, 1, 7};
  EXPECT_EQ(line({5, 19, addr(w), 3}, 0),
            "io_uring_register(5, IORING_REGISTER_IOWQ_MAX_WORKERS, [[IO_WQ_BOUND]=0, "
            "[IO_WQ_UNBOUND]=1, [2 /* IO_WQ_??? */]=7] => [[IO_WQ_BOUND]=0, [IO_WQ_UNBOUND]=1, "
            "[2 /* IO_WQ_??? */]=7], 3) = 0");
  EXPECT_EQ(line({5, 19, addr(w), 1}, -EINVAL, ConstNames::Raw),
            fmt::format("io_uring_register(5, 0x13, [[0]=0] => {:#x}, 1) = -1 EINVAL (Invalid "
                        "argument)",
                        addr(w)));
}

TEST(SysIoUringRegister, ZeroedProbeShowsOnlyWhatTheKernelWrote) {
  alignas(8) unsigned char probe[16 + 8] = {};
  EXPECT_EQ(line({5, 8, addr(probe), 1}, -EINVAL),
            fmt::format("io_uring_register(5, IORING_REGISTER_PROBE, {:#x}, 1) = -1 EINVAL "
                        "(Invalid argument)",
                        addr(probe)));
  // Filled at entry already (here the "kernel" wrote nothing): shown before and after.
  probe[0] = 1;   // last_op
  probe[1] = 2;   // ops_len: more than the caller's one op
  probe[18] = 1;  // ops[0].flags
  EXPECT_EQ(line({5, 8, addr(probe), 1}, 0),
            "io_uring_register(5, IORING_REGISTER_PROBE, {last_op=IORING_OP_READV, ops_len=2, "
            "ops=[{op=IORING_OP_NOP, flags=IO_URING_OP_SUPPORTED}]} => {last_op=IORING_OP_READV, "
            "ops_len=2, ops=[{op=IORING_OP_NOP, flags=IO_URING_OP_SUPPORTED}, ...]}, 1) = 0");
}

}  // namespace
}  // namespace ptk::sys
