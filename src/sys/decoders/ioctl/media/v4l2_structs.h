// The Video4Linux2 structures of linux/videodev2.h as an x86_64 tracee lays them out, and the
// request numbers they make. The requests whose struct holds a pointer, a long or an 8-aligned
// u64 have another number on i386: those numbers match none of these and print as numbers.
#pragma once

#include <cstdint>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl::vid {

struct Rect {
  std::int32_t left;
  std::int32_t top;
  std::uint32_t width;
  std::uint32_t height;
};

struct Fract {
  std::uint32_t numerator;
  std::uint32_t denominator;
};

struct Capability {
  char driver[16];
  char card[32];
  char bus_info[32];
  std::uint32_t version;
  std::uint32_t capabilities;
  std::uint32_t device_caps;
  std::uint32_t reserved[3];
};
static_assert(sizeof(Capability) == 104);

struct Fmtdesc {
  std::uint32_t index;
  std::uint32_t type;
  std::uint32_t flags;
  char description[32];
  std::uint32_t pixelformat;
  std::uint32_t mbus_code;
  std::uint32_t reserved[3];
};
static_assert(sizeof(Fmtdesc) == 64);

struct PixFormat {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t pixelformat;
  std::uint32_t field;
  std::uint32_t bytesperline;
  std::uint32_t sizeimage;
  std::uint32_t colorspace;
  std::uint32_t priv;
  std::uint32_t flags;
  std::uint32_t enc;
  std::uint32_t quantization;
  std::uint32_t xfer_func;
};

struct PlanePixFormat {
  std::uint32_t sizeimage;
  std::uint32_t bytesperline;
  std::uint16_t reserved[6];
};
static_assert(sizeof(PlanePixFormat) == 20);

// Packed in the kernel's header: num_planes follows the planes at offset 180.
struct PixFormatMplane {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t pixelformat;
  std::uint32_t field;
  std::uint32_t colorspace;
  PlanePixFormat plane_fmt[8];
  std::uint8_t num_planes;
  std::uint8_t rest[11];
};
static_assert(sizeof(PixFormatMplane) == 192);

struct Window {
  Rect w;
  std::uint32_t field;
  std::uint32_t chromakey;
  std::uint64_t clips;
  std::uint32_t clipcount;
  std::uint64_t bitmap;
  std::uint8_t global_alpha;
};
static_assert(sizeof(Window) == 56);

struct Clip {
  Rect c;
  std::uint64_t next;
};

struct VbiFormat {
  std::uint32_t sampling_rate;
  std::uint32_t offset;
  std::uint32_t samples_per_line;
  std::uint32_t sample_format;
  std::int32_t start[2];
  std::uint32_t count[2];
  std::uint32_t flags;
  std::uint32_t reserved[2];
};

struct SlicedVbiFormat {
  std::uint16_t service_set;
  std::uint16_t service_lines[2][24];
  std::uint32_t io_size;
  std::uint32_t reserved[2];
};
static_assert(sizeof(SlicedVbiFormat) == 112);

struct SdrFormat {
  std::uint32_t pixelformat;
  std::uint32_t buffersize;
};

struct MetaFormat {
  std::uint32_t dataformat;
  std::uint32_t buffersize;
};

struct Format {
  std::uint32_t type;
  std::uint32_t pad;  // the union holds pointers (the window's): 8-aligned
  union {
    PixFormat pix;
    PixFormatMplane pix_mp;
    Window win;
    VbiFormat vbi;
    SlicedVbiFormat sliced;
    SdrFormat sdr;
    MetaFormat meta;
    std::uint8_t raw_data[200];
  } fmt;
};
static_assert(sizeof(Format) == 208);

struct Requestbuffers {
  std::uint32_t count;
  std::uint32_t type;
  std::uint32_t memory;
  std::uint32_t capabilities;
  std::uint32_t flags;
};
static_assert(sizeof(Requestbuffers) == 20);

struct Buffer {
  std::uint32_t index;
  std::uint32_t type;
  std::uint32_t bytesused;
  std::uint32_t flags;
  std::uint32_t field;
  std::int64_t tv_sec;  // a struct timeval
  std::int64_t tv_usec;
  std::uint8_t timecode[16];
  std::uint32_t sequence;
  std::uint32_t memory;
  std::uint64_t m;  // offset (u32), userptr, planes or fd
  std::uint32_t length;
  std::uint32_t reserved2;
  std::uint32_t request_fd;
};
static_assert(sizeof(Buffer) == 88);

struct Framebuffer {
  std::uint32_t capability;
  std::uint32_t flags;
  std::uint64_t base;
  std::uint32_t fmt[8];
};
static_assert(sizeof(Framebuffer) == 48);

struct CaptureParm {
  std::uint32_t capability;
  std::uint32_t mode;  // capturemode or outputmode
  Fract timeperframe;
  std::uint32_t extendedmode;
  std::uint32_t buffers;  // readbuffers or writebuffers
  std::uint32_t reserved[4];
};

struct Streamparm {
  std::uint32_t type;
  union {
    CaptureParm parm;
    std::uint8_t raw_data[200];
  };
};
static_assert(sizeof(Streamparm) == 204);

struct Standard {
  std::uint32_t index;
  std::uint64_t id;
  char name[24];
  Fract frameperiod;
  std::uint32_t framelines;
  std::uint32_t reserved[4];
};
static_assert(sizeof(Standard) == 72);

struct Input {
  std::uint32_t index;
  char name[32];
  std::uint32_t type;
  std::uint32_t audioset;
  std::uint32_t tuner;
  std::uint64_t std;
  std::uint32_t status;
  std::uint32_t capabilities;
  std::uint32_t reserved[3];
};
static_assert(sizeof(Input) == 80);

struct Control {
  std::uint32_t id;
  std::int32_t value;
};

struct Tuner {
  std::uint32_t index;
  char name[32];
  std::uint32_t type;
  std::uint32_t capability;
  std::uint32_t rangelow;
  std::uint32_t rangehigh;
  std::uint32_t rxsubchans;
  std::uint32_t audmode;
  std::int32_t signal;
  std::int32_t afc;
  std::uint32_t reserved[4];
};
static_assert(sizeof(Tuner) == 84);

struct Queryctrl {
  std::uint32_t id;
  std::uint32_t type;
  char name[32];
  std::int32_t minimum;
  std::int32_t maximum;
  std::int32_t step;
  std::int32_t default_value;
  std::uint32_t flags;
  std::uint32_t reserved[2];
};
static_assert(sizeof(Queryctrl) == 68);

struct QueryExtCtrl {
  std::uint32_t id;
  std::uint32_t type;
  char name[32];
  std::int64_t minimum;
  std::int64_t maximum;
  std::uint64_t step;
  std::int64_t default_value;
  std::uint32_t flags;
  std::uint32_t elem_size;
  std::uint32_t elems;
  std::uint32_t nr_of_dims;
  std::uint32_t dims[4];
  std::uint32_t reserved[32];
};
static_assert(sizeof(QueryExtCtrl) == 232);

struct Cropcap {
  std::uint32_t type;
  Rect bounds;
  Rect defrect;
  Fract pixelaspect;
};
static_assert(sizeof(Cropcap) == 44);

struct Crop {
  std::uint32_t type;
  Rect c;
};

struct ExtControls {
  std::uint32_t ctrl_class;
  std::uint32_t count;
  std::uint32_t error_idx;
  std::int32_t request_fd;
  std::uint32_t reserved;
  std::uint64_t controls;
};
static_assert(sizeof(ExtControls) == 32);

// Packed in the kernel's header: the value union follows the 12-byte head unaligned.
struct ExtControl {
  std::uint32_t id;
  std::uint32_t size;
  std::uint32_t reserved2;
  unsigned char value[8];  // s32 value, s64 value64 or a pointer (string)
};
static_assert(sizeof(ExtControl) == 20);

struct Frmsizeenum {
  std::uint32_t index;
  std::uint32_t pixel_format;
  std::uint32_t type;
  std::uint32_t u[6];  // discrete {width, height} or stepwise {min, max, step of each}
  std::uint32_t reserved[2];
};
static_assert(sizeof(Frmsizeenum) == 44);

struct Frmivalenum {
  std::uint32_t index;
  std::uint32_t pixel_format;
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t type;
  Fract u[3];  // discrete, or stepwise {min, max, step}
  std::uint32_t reserved[2];
};
static_assert(sizeof(Frmivalenum) == 52);

struct CreateBuffers {
  std::uint32_t index;
  std::uint32_t count;
  std::uint32_t memory;
  std::uint32_t pad;
  Format format;
  std::uint32_t capabilities;
  std::uint32_t flags;
  std::uint32_t reserved[6];
};
static_assert(sizeof(CreateBuffers) == 256);

// _IOR/_IOW/_IOWR('V', nr, T).
template <typename T>
constexpr std::uint32_t vr(std::uint32_t nr) {
  return ioc(kIocRead, 'V', nr, sizeof(T));
}
template <typename T>
constexpr std::uint32_t vw(std::uint32_t nr) {
  return ioc(kIocWrite, 'V', nr, sizeof(T));
}
template <typename T>
constexpr std::uint32_t vrw(std::uint32_t nr) {
  return ioc(kIocRead | kIocWrite, 'V', nr, sizeof(T));
}

constexpr std::uint32_t kQuerycap = vr<Capability>(0);
constexpr std::uint32_t kEnumFmt = vrw<Fmtdesc>(2);
constexpr std::uint32_t kGFmt = vrw<Format>(4);
constexpr std::uint32_t kSFmt = vrw<Format>(5);
constexpr std::uint32_t kReqbufs = vrw<Requestbuffers>(8);
constexpr std::uint32_t kQuerybuf = vrw<Buffer>(9);
constexpr std::uint32_t kGFbuf = vr<Framebuffer>(10);
constexpr std::uint32_t kSFbuf = vw<Framebuffer>(11);
constexpr std::uint32_t kQbuf = vrw<Buffer>(15);
constexpr std::uint32_t kDqbuf = vrw<Buffer>(17);
constexpr std::uint32_t kStreamon = vw<int>(18);
constexpr std::uint32_t kStreamoff = vw<int>(19);
constexpr std::uint32_t kGParm = vrw<Streamparm>(21);
constexpr std::uint32_t kSParm = vrw<Streamparm>(22);
constexpr std::uint32_t kGStd = vr<std::uint64_t>(23);
constexpr std::uint32_t kSStd = vw<std::uint64_t>(24);
constexpr std::uint32_t kEnumstd = vrw<Standard>(25);
constexpr std::uint32_t kEnuminput = vrw<Input>(26);
constexpr std::uint32_t kGCtrl = vrw<Control>(27);
constexpr std::uint32_t kSCtrl = vrw<Control>(28);
constexpr std::uint32_t kGTuner = vrw<Tuner>(29);
constexpr std::uint32_t kSTuner = vw<Tuner>(30);
constexpr std::uint32_t kQueryctrl = vrw<Queryctrl>(36);
constexpr std::uint32_t kGInput = vr<int>(38);
constexpr std::uint32_t kSInput = vrw<int>(39);
constexpr std::uint32_t kCropcap = vrw<Cropcap>(58);
constexpr std::uint32_t kGCrop = vrw<Crop>(59);
constexpr std::uint32_t kSCrop = vw<Crop>(60);
constexpr std::uint32_t kTryFmt = vrw<Format>(64);
constexpr std::uint32_t kGExtCtrls = vrw<ExtControls>(71);
constexpr std::uint32_t kSExtCtrls = vrw<ExtControls>(72);
constexpr std::uint32_t kTryExtCtrls = vrw<ExtControls>(73);
constexpr std::uint32_t kEnumFramesizes = vrw<Frmsizeenum>(74);
constexpr std::uint32_t kEnumFrameintervals = vrw<Frmivalenum>(75);
constexpr std::uint32_t kCreateBufs = vrw<CreateBuffers>(92);
constexpr std::uint32_t kQueryExtCtrl = vrw<QueryExtCtrl>(103);
static_assert(kQuerycap == 0x80685600 && kEnuminput == 0xc050561a);

}  // namespace ptk::sys::ioctl::vid
