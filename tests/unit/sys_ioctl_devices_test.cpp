// ioctls of perf events (and other device families) on raw arguments pointing into this
// process, rendered as the live printer renders a call.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "ioctl_line.h"

namespace ptk::sys {
namespace {

constexpr std::int64_t kEbadf = -9;
const std::string kBadf = " = -1 EBADF (Bad file descriptor)";

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(SysIoctlPerf, ScalarArgumentsByKind) {
  EXPECT_EQ(ioctl_live_line(0x2400, 0xdeadbeefbadc0dedULL, kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP|0xbadc0dec)" + kBadf);
  EXPECT_EQ(ioctl_live_line(0x2403, 2, kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_RESET, 0x2 /* PERF_IOC_FLAG_??? */)" + kBadf);
  EXPECT_EQ(ioctl_live_line(0x2402, 0xdeadbeefbadc0dedULL, kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_REFRESH, -1159983635)" + kBadf);
  EXPECT_EQ(ioctl_live_line(0x2405, 3, kEbadf), "ioctl(-1, PERF_EVENT_IOC_SET_OUTPUT, 3)" + kBadf);
  char filter[] = "cpu == 1";
  EXPECT_EQ(ioctl_live_line(0x40082406, addr_of(filter), kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_SET_FILTER, \"cpu == 1\")" + kBadf);
}

TEST(SysIoctlPerf, IdAndQueryBpfShowTheirResultAtExit) {
  std::uint64_t id = 42;
  EXPECT_EQ(ioctl_live_line(0x80082407, addr_of(&id), 0), "ioctl(-1, PERF_EVENT_IOC_ID, [42]) = 0");
  std::uint32_t q[4] = {3, 2, 7, 8};
  EXPECT_EQ(ioctl_live_line(0xc008240a, addr_of(q), 0),
            "ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=3, prog_cnt=2, ids=[7, 8]}) = 0");
  EXPECT_EQ(ioctl_live_line(0xc008240a, addr_of(q), kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_QUERY_BPF, {ids_len=3, ...})" + kBadf);
}

}  // namespace
}  // namespace ptk::sys
