// V4L2 ioctl decoding on structs in this process's memory: the entry and exit halves of a
// request, and the composite values (fourcc codes, buffer flags, control ids, kernel versions)
// under each -X style.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "decoded_line.h"

namespace ptk::sys {
namespace {

constexpr std::int64_t kEbadf = -9;
const std::string kBadf = " = -1 EBADF (Bad file descriptor)";

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

std::string v4l2_line(std::uint32_t code, const void* arg, std::int64_t ret,
                      ConstNames style = ConstNames::Abbrev, bool verbose = false) {
  DecodeOptions opts;
  opts.verbose = verbose;
  return decoded_line(Arch::X86_64, "ioctl", {static_cast<std::uint64_t>(-1), code, addr_of(arg)},
                      ret, opts, style);
}

constexpr std::uint32_t kQuerycap = 0x80685600;
constexpr std::uint32_t kSFmt = 0xc0d05605;
constexpr std::uint32_t kDqbuf = 0xc0585611;
constexpr std::uint32_t kSCtrl = 0xc008561c;
constexpr std::uint32_t kQueryctrl = 0xc0445624;
constexpr std::uint32_t kGExtCtrls = 0xc0205647;
constexpr std::uint32_t kCreateBufs = 0xc100565c;

TEST(SysIoctlV4l2, CapabilityIsReadAtExitWithTheKernelVersionPerStyle) {
  unsigned char caps[104] = {};
  std::memcpy(caps, "vivid", 6);
  std::uint32_t words[3] = {0x050f03, 0x1, 0};  // version 5.15.3, V4L2_CAP_VIDEO_CAPTURE
  std::memcpy(caps + 80, words, sizeof words);
  std::string fields = "driver=\"vivid\", card=\"\", bus_info=\"\", version=";
  EXPECT_EQ(v4l2_line(kQuerycap, caps, 0),
            "ioctl(-1, VIDIOC_QUERYCAP, {" + fields +
                "KERNEL_VERSION(5, 15, 3), capabilities=V4L2_CAP_VIDEO_CAPTURE}) = 0");
  EXPECT_EQ(v4l2_line(kQuerycap, caps, 0, ConstNames::Raw),
            "ioctl(-1, 0x80685600, {" + fields + "0x50f03, capabilities=0x1}) = 0");
  EXPECT_EQ(v4l2_line(kQuerycap, caps, 0, ConstNames::Verbose),
            "ioctl(-1, 0x80685600 /* VIDIOC_QUERYCAP */, {" + fields +
                "0x50f03 /* KERNEL_VERSION(5, 15, 3) */, capabilities=0x1 /* "
                "V4L2_CAP_VIDEO_CAPTURE */}) = 0");
  // A failed call leaves the struct unread: its address.
  EXPECT_EQ(v4l2_line(kQuerycap, caps, kEbadf),
            "ioctl(-1, VIDIOC_QUERYCAP, " + fmt::format("{:#x}", addr_of(caps)) + ")" + kBadf);
}

TEST(SysIoctlV4l2, SetFormatShowsTheFormatThenWhatTheDriverMadeOfIt) {
  unsigned char f[208] = {};
  std::uint32_t type = 1;                                             // V4L2_BUF_TYPE_VIDEO_CAPTURE
  std::uint32_t pix[7] = {640, 480, 0x47504a4d, 1, 1280, 614400, 7};  // 'MJPG', FIELD_NONE, JPEG
  std::memcpy(f, &type, sizeof type);
  std::memcpy(f + 8, pix, sizeof pix);
  std::string fmt_pix =
      "fmt.pix={width=640, height=480, pixelformat=v4l2_fourcc('M', 'J', 'P', 'G') /* "
      "V4L2_PIX_FMT_MJPEG */, field=V4L2_FIELD_NONE, bytesperline=1280, sizeimage=614400, "
      "colorspace=V4L2_COLORSPACE_JPEG}";
  EXPECT_EQ(v4l2_line(kSFmt, f, 0), "ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " +
                                        fmt_pix + "} => {" + fmt_pix + "}) = 0");
  EXPECT_EQ(v4l2_line(kSFmt, f, kEbadf),
            "ioctl(-1, VIDIOC_S_FMT, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, " + fmt_pix + "})" + kBadf);
  std::string raw_pix =
      "fmt.pix={width=640, height=480, pixelformat=0x47504a4d, field=0x1, bytesperline=1280, "
      "sizeimage=614400, colorspace=0x7}";
  EXPECT_EQ(v4l2_line(kSFmt, f, kEbadf, ConstNames::Raw),
            "ioctl(-1, 0xc0d05605, {type=0x1, " + raw_pix + "})" + kBadf);
}

TEST(SysIoctlV4l2, DequeuedBufferFlagsSplitTheTimestampFieldsPerStyle) {
  unsigned char b[88] = {};
  std::uint32_t head[4] = {3, 1, 100, 0x2003};  // index, type, bytesused, MAPPED|QUEUED|MONOTONIC
  std::memcpy(b, head, sizeof head);
  std::uint32_t memory = 1;  // V4L2_MEMORY_MMAP
  std::memcpy(b + 60, &memory, sizeof memory);
  std::string line = v4l2_line(kDqbuf, b, 0);
  EXPECT_EQ(line,
            "ioctl(-1, VIDIOC_DQBUF, {type=V4L2_BUF_TYPE_VIDEO_CAPTURE, index=3, "
            "memory=V4L2_MEMORY_MMAP, m.offset=0, length=0, bytesused=100, "
            "flags=V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_QUEUED|V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC|"
            "V4L2_BUF_FLAG_TSTAMP_SRC_EOF, timestamp={tv_sec=0, tv_usec=0}, ...}) = 0");
  EXPECT_NE(v4l2_line(kDqbuf, b, 0, ConstNames::Raw).find("flags=0x2003, "), std::string::npos);
  EXPECT_NE(
      v4l2_line(kDqbuf, b, 0, ConstNames::Verbose)
          .find("flags=0x3 /* V4L2_BUF_FLAG_MAPPED|V4L2_BUF_FLAG_QUEUED */|0x2000 /* "
                "V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC */|0 /* V4L2_BUF_FLAG_TSTAMP_SRC_EOF */, "),
      std::string::npos);
}

TEST(SysIoctlV4l2, ControlIdsByNameOrClassPlusOffset) {
  std::uint32_t c[2] = {0x980900, 5};  // V4L2_CID_BRIGHTNESS
  EXPECT_EQ(v4l2_line(kSCtrl, c, 0),
            "ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CID_BRIGHTNESS, value=5 => 5}) = 0");
  EXPECT_EQ(v4l2_line(kSCtrl, c, 0, ConstNames::Verbose),
            "ioctl(-1, 0xc008561c /* VIDIOC_S_CTRL */, {id=0x980900 /* V4L2_CID_BRIGHTNESS */, "
            "value=5 => 5}) = 0");
  c[0] = 0x9a1234;  // in V4L2_CTRL_CLASS_CAMERA, no name
  EXPECT_EQ(v4l2_line(kSCtrl, c, kEbadf),
            "ioctl(-1, VIDIOC_S_CTRL, {id=V4L2_CTRL_CLASS_CAMERA+0x1234, value=5})" + kBadf);
  EXPECT_EQ(v4l2_line(kSCtrl, c, kEbadf, ConstNames::Raw),
            "ioctl(-1, 0xc008561c, {id=0x9a1234, value=5})" + kBadf);
}

TEST(SysIoctlV4l2, QueryctrlShowsTheNextFlagAndTheLimitsOnlyWithV) {
  unsigned char q[68] = {};
  std::uint32_t id = 0x80000000 | 0x980900;  // V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_BRIGHTNESS
  std::memcpy(q, &id, sizeof id);
  std::uint32_t type = 1;  // V4L2_CTRL_TYPE_INTEGER
  std::memcpy(q + 4, &type, sizeof type);
  std::memcpy(q + 8, "Brightness", 11);
  std::string head = "ioctl(-1, VIDIOC_QUERYCTRL, {id=V4L2_CTRL_FLAG_NEXT_CTRL|V4L2_CID_BRIGHTNESS";
  // The kernel answered with the same word: no " => id".
  EXPECT_EQ(v4l2_line(kQueryctrl, q, 0),
            head + ", type=V4L2_CTRL_TYPE_INTEGER, name=\"Brightness\", ...}) = 0");
  EXPECT_EQ(v4l2_line(kQueryctrl, q, 0, ConstNames::Abbrev, true),
            head +
                ", type=V4L2_CTRL_TYPE_INTEGER, name=\"Brightness\", minimum=0, maximum=0, "
                "step=0, default_value=0, flags=0}) = 0");
  EXPECT_EQ(v4l2_line(kQueryctrl, q, kEbadf), head + "})" + kBadf);
}

TEST(SysIoctlV4l2, FailedGetExtControlsStillShowsTheControlsAndTheErrorIndex) {
  unsigned char ctrl[20] = {};
  std::uint32_t id = 0x980901;  // V4L2_CID_CONTRAST
  std::memcpy(ctrl, &id, sizeof id);
  std::int32_t value = -2;
  std::memcpy(ctrl + 12, &value, sizeof value);
  unsigned char c[32] = {};
  std::uint32_t head[3] = {0x980000, 1, 0};  // V4L2_CTRL_CLASS_USER, one control, error_idx 0
  std::memcpy(c, head, sizeof head);
  std::uint64_t p = addr_of(ctrl);
  std::memcpy(c + 24, &p, sizeof p);
  EXPECT_EQ(v4l2_line(kGExtCtrls, c, kEbadf),
            "ioctl(-1, VIDIOC_G_EXT_CTRLS, {ctrl_class=V4L2_CTRL_CLASS_USER, count=1, "
            "controls=[{id=V4L2_CID_CONTRAST, size=0, value=-2, value64=4294967294}], "
            "error_idx=0})" +
                kBadf);
}

TEST(SysIoctlV4l2, CreatedBuffersAreNamedAfterTheReturnValue) {
  unsigned char b[256] = {};
  std::uint32_t head[3] = {0, 4, 1};  // index, count, V4L2_MEMORY_MMAP
  std::memcpy(b, head, sizeof head);
  std::uint32_t type = 0x10;  // no such buffer type: no fmt member
  std::memcpy(b + 16, &type, sizeof type);
  EXPECT_EQ(v4l2_line(kCreateBufs, b, 0),
            "ioctl(-1, VIDIOC_CREATE_BUFS, {count=4, memory=V4L2_MEMORY_MMAP, format={type=0x10 "
            "/* V4L2_BUF_TYPE_??? */}}) = 0 ({index=0, count=4})");
}

}  // namespace
}  // namespace ptk::sys
