// ioctls of perf events (and other device families) on raw arguments pointing into this
// process, rendered as the live printer renders a call.
#include <fmt/format.h>
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

TEST(SysIoctlScsi, ResetNamesTheNoEscalateFlagApart) {
  std::uint32_t v = 0x101;
  EXPECT_EQ(ioctl_live_line(0x2284, addr_of(&v), kEbadf),
            "ioctl(-1, SG_SCSI_RESET, [SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_DEVICE])" + kBadf);
  v = 9;
  EXPECT_EQ(ioctl_live_line(0x2284, addr_of(&v), kEbadf),
            "ioctl(-1, SG_SCSI_RESET, [0x9 /* SG_SCSI_RESET_??? */])" + kBadf);
  EXPECT_EQ(ioctl_live_line(0x2202, 7, kEbadf), "ioctl(-1, SG_GET_TIMEOUT)" + kBadf);
}

TEST(SysIoctlScsi, SgIoShowsTheRequestThenTheResponse) {
  std::uint32_t id = 7;
  EXPECT_EQ(ioctl_live_line(0x2285, addr_of(&id), kEbadf), "ioctl(-1, SG_IO, [7])" + kBadf);
  unsigned char h[160] = {};
  h[0] = 'Q';
  h[8] = 1;      // subprotocol: BSG_SUB_PROTOCOL_SCSI_TMF
  h[92] = 0x10;  // flags: BSG_FLAG_Q_AT_TAIL
  h[108] = 0x2;  // driver_status
  EXPECT_EQ(ioctl_live_line(0x2285, addr_of(h), 0),
            "ioctl(-1, SG_IO, {guard='Q', protocol=BSG_PROTOCOL_SCSI, "
            "subprotocol=BSG_SUB_PROTOCOL_SCSI_TMF, request_len=0, request=NULL, request_tag=0, "
            "request_attr=0, request_priority=0, request_extra=0, max_response_len=0, "
            "dout_iovec_count=0, dout_xfer_len=0, din_iovec_count=0, din_xfer_len=0, "
            "dout_xferp=NULL, timeout=0, flags=BSG_FLAG_Q_AT_TAIL, usr_ptr=0, response_len=0, "
            "response=NULL, din_xferp=NULL, driver_status=0x2, transport_status=0, "
            "device_status=0, retry_delay=0, info=0, duration=0, response_len=0, din_resid=0, "
            "dout_resid=0, generated_tag=0}) = 0");
}

TEST(SysIoctlKvm, CapabilitiesByNameAndRegistersAbbreviated) {
  EXPECT_EQ(ioctl_live_line(0xae03, 3, 1),
            "ioctl(-1, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) = 1");
  EXPECT_EQ(ioctl_live_line(0xae03, 0xfffff, 0),
            "ioctl(-1, KVM_CHECK_EXTENSION, 0xfffff /* KVM_CAP_??? */) = 0");
  std::uint64_t regs[18] = {};
  regs[0] = 2;
  regs[16] = 0x1000;
  EXPECT_EQ(ioctl_live_line(0x4090ae82, addr_of(regs), 0),
            "ioctl(-1, KVM_SET_REGS, {rax=0x2, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0}) = 0");
  std::uint32_t cpuid[2] = {3, 0};
  EXPECT_EQ(ioctl_live_line(0xc008ae05, addr_of(cpuid), 0),
            "ioctl(-1, KVM_GET_SUPPORTED_CPUID, {nent=3, entries=[...]}) = 0");
  EXPECT_EQ(ioctl_live_line(0xc008ae05, addr_of(cpuid), -7),
            "ioctl(-1, KVM_GET_SUPPORTED_CPUID, " + fmt::format("{:#x}", addr_of(cpuid)) +
                ") = -1 E2BIG (Argument list too long)");
}

// A struct dm_ioctl of version 4.1.2 with a DM_DEV_RENAME payload (the new name) after it.
struct DmRename {
  std::uint32_t version[3] = {4, 1, 2};
  std::uint32_t data_size = 320;
  std::uint32_t data_start = 312;
  std::uint32_t target_count = 0;
  std::int32_t open_count = 0;
  std::uint32_t flags = 0;
  std::uint32_t event_nr = 0;
  std::uint32_t padding = 0;
  std::uint64_t dev = 0;
  char name[128] = "nnn";
  char uuid[129] = "";
  char data[7] = {};
  char new_name[8] = "abcdefg";
};

TEST(SysIoctlDm, HeaderAlwaysPayloadOnlyWithVerbose) {
  DmRename r;
  constexpr std::uint32_t kRename = 0xc138fd05;
  EXPECT_EQ(ioctl_live_line(kRename, addr_of(&r), kEbadf),
            "ioctl(-1, DM_DEV_RENAME, [{version=[4, 1, 2], data_size=320, data_start=312, "
            "name=\"nnn\", event_nr=0, flags=0}, ...])" +
                kBadf);
  // The string of 7 bytes and its NUL fit -s 7: no "...".
  EXPECT_EQ(ioctl_live_line(kRename, addr_of(&r), kEbadf, ConstNames::Abbrev, 7, true),
            "ioctl(-1, DM_DEV_RENAME, [{version=[4, 1, 2], data_size=320, data_start=312, "
            "name=\"nnn\", event_nr=0, flags=0}, {string=\"abcdefg\"}])" +
                kBadf);
  EXPECT_EQ(ioctl_live_line(kRename, addr_of(&r), kEbadf, ConstNames::Abbrev, 6, true),
            "ioctl(-1, DM_DEV_RENAME, [{version=[4, 1, 2], data_size=320, data_start=312, "
            "name=\"nnn\", event_nr=0, flags=0}, {string=\"abcdef\"...}])" +
                kBadf);
  r.data_start = 400;
  EXPECT_EQ(ioctl_live_line(kRename, addr_of(&r), kEbadf, ConstNames::Abbrev, 32, true),
            "ioctl(-1, DM_DEV_RENAME, [{version=[4, 1, 2], data_size=320, data_start=400, "
            "name=\"nnn\", event_nr=0, flags=0}, ??? /* misplaced string */])" +
                kBadf);
}

TEST(SysIoctlSock, IfreqByRequestAndHardwareAddressesPerStyle) {
  unsigned char r[40] = {'e', 't', 'h', '0'};
  r[16] = 1;  // ARPHRD_ETHER
  for (int i = 0; i < 14; ++i) r[18 + i] = static_cast<unsigned char>(0x90 + i);
  EXPECT_EQ(ioctl_live_line(0x8924, addr_of(r), kEbadf),
            "ioctl(-1, SIOCSIFHWADDR, {ifr_name=\"eth0\", ifr_hwaddr={sa_family=ARPHRD_ETHER, "
            "sa_data=90:91:92:93:94:95}})" +
                kBadf);
  EXPECT_EQ(
      ioctl_live_line(0x8924, addr_of(r), kEbadf, ConstNames::Raw),
      "ioctl(-1, 0x8924, {ifr_name=\"eth0\", ifr_hwaddr={sa_family=0x1, "
      "sa_data=\"\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\"}})" +
          kBadf);
  r[16] = 0x3;  // IFF_UP|IFF_BROADCAST
  r[17] = 0;
  EXPECT_EQ(ioctl_live_line(0x8913, addr_of(r), 0),
            "ioctl(-1, SIOCGIFFLAGS, {ifr_name=\"eth0\", ifr_flags=IFF_UP|IFF_BROADCAST}) = 0");
  EXPECT_EQ(ioctl_live_line(0x8913, addr_of(r), kEbadf),
            "ioctl(-1, SIOCGIFFLAGS, {ifr_name=\"eth0\"})" + kBadf);
  EXPECT_EQ(ioctl_live_line(0x890b, 0, kEbadf), "ioctl(-1, SIOCADDRT, NULL)" + kBadf);
}

TEST(SysIoctlTee, SharedMemoryInAndOutAndInvokeParameters) {
  std::uint64_t shm[2] = {0x1000, 0xffffffff00000003ULL};  // size; flags MAPPED|DMA_BUF, id -1
  EXPECT_EQ(ioctl_live_line(0xc010a401, addr_of(shm), 0),
            "ioctl(-1, TEE_IOC_SHM_ALLOC, {size=0x1000, "
            "flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF} => {size=0x1000, "
            "flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF, id=-1}) = 0");
  struct {
    std::uint32_t func = 7, session = 0x10, cancel_id = 0, ret = 0, ret_origin = 3, num_params = 1;
    std::uint64_t param[4] = {0x101, 1, 2, 3};  // VALUE_INPUT|META
  } invoke;
  std::uint64_t buf[2] = {addr_of(&invoke), sizeof invoke};
  EXPECT_EQ(ioctl_live_line(0x8010a403, addr_of(buf), 0),
            "ioctl(-1, TEE_IOC_INVOKE, {buf_len=56, buf_ptr={func=7, session=0x10, cancel_id=0, "
            "num_params=1, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT|"
            "TEE_IOCTL_PARAM_ATTR_META, a=0x1, b=0x2, c=0x3}]} => {ret=0, "
            "ret_origin=TEEC_ORIGIN_TEE, params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT|"
            "TEE_IOCTL_PARAM_ATTR_META, a=0x1, b=0x2, c=0x3}]}}) = 0");
  buf[1] = 55;  // not the size of one parameter's call: the kernel refuses it
  EXPECT_EQ(ioctl_live_line(0x8010a403, addr_of(buf), kEbadf),
            "ioctl(-1, TEE_IOC_INVOKE, {buf_len=55, buf_ptr=" +
                fmt::format("{:#x}", addr_of(&invoke)) + "})" + kBadf);
}

TEST(SysIoctlPerf, ModifyAttributesPrintsTheAttrAsItsSizeAllows) {
  unsigned char attr[128] = {};
  attr[0] = 1;      // PERF_TYPE_SOFTWARE
  attr[4] = 64;     // PERF_ATTR_SIZE_VER0
  attr[8] = 9;      // PERF_COUNT_SW_DUMMY
  attr[40] = 0x21;  // disabled, exclude_kernel
  attr[41] = 0x80;  // precise_ip bit 15: constant skid
  EXPECT_EQ(ioctl_live_line(0x4008240b, addr_of(attr), kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, {type=PERF_TYPE_SOFTWARE, "
            "size=PERF_ATTR_SIZE_VER0, config=PERF_COUNT_SW_DUMMY, sample_period=0, sample_type=0, "
            "read_format=0, disabled=1, exclude_kernel=1, precise_ip=1 /* constant skid */, ...})" +
                kBadf);
  std::string full =
      ioctl_live_line(0x4008240b, addr_of(attr), kEbadf, ConstNames::Abbrev, 32, true);
  // -v: every flag, then the fields the 64 bytes hold (config1, not config2).
  EXPECT_NE(full.find("pinned=0, "), std::string::npos) << full;
  EXPECT_NE(full.find("wakeup_events=0, config1=0})"), std::string::npos) << full;
  attr[4] = 8;  // shorter than any published size: the kernel rejects it
  EXPECT_EQ(ioctl_live_line(0x4008240b, addr_of(attr), kEbadf),
            "ioctl(-1, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, " + fmt::format("{:#x}", addr_of(attr)) +
                ")" + kBadf);
}

}  // namespace
}  // namespace ptk::sys
