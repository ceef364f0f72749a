// 'i' requests: infrared remote control devices (linux/lirc.h). Each passes one u32 by
// pointer: gets show it at exit, sets at entry.
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

enum class Shown : std::uint8_t { Dec, Hex, Features, Mode };

struct Request {
  std::uint32_t code;
  Shown shown;
};

constexpr Request kRequests[] = {
    {0x80046900, Shown::Features},  // LIRC_GET_FEATURES
    {0x80046901, Shown::Mode},      // LIRC_GET_SEND_MODE
    {0x80046902, Shown::Mode},      // LIRC_GET_REC_MODE
    {0x80046907, Shown::Dec},       // LIRC_GET_REC_RESOLUTION
    {0x80046908, Shown::Dec},       // LIRC_GET_MIN_TIMEOUT
    {0x80046909, Shown::Dec},       // LIRC_GET_MAX_TIMEOUT
    {0x8004690f, Shown::Dec},       // LIRC_GET_LENGTH
    {0x40046911, Shown::Mode},      // LIRC_SET_SEND_MODE
    {0x40046912, Shown::Mode},      // LIRC_SET_REC_MODE
    {0x40046913, Shown::Dec},       // LIRC_SET_SEND_CARRIER
    {0x40046914, Shown::Dec},       // LIRC_SET_REC_CARRIER
    {0x40046915, Shown::Dec},       // LIRC_SET_SEND_DUTY_CYCLE
    {0x40046917, Shown::Hex},       // LIRC_SET_TRANSMITTER_MASK
    {0x40046918, Shown::Dec},       // LIRC_SET_REC_TIMEOUT
    {0x40046919, Shown::Dec},       // LIRC_SET_REC_TIMEOUT_REPORTS
    {0x4004691d, Shown::Dec},       // LIRC_SET_MEASURE_CARRIER_MODE
    {0x4004691f, Shown::Dec},       // LIRC_SET_REC_CARRIER_RANGE
    {0x40046923, Shown::Dec},       // LIRC_SET_WIDEBAND_RECEIVER
    {0x80046924, Shown::Dec},       // LIRC_GET_REC_TIMEOUT
};

}  // namespace

Res lirc(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  const Request* req = nullptr;
  for (const Request& r : kRequests) {
    if (r.code == code) req = &r;
  }
  if (req == nullptr) return Res::Hex;
  if (ctx.entering() && ioc_dir(code) == kIocRead) return Res::Exit;
  ctx.arg(2);
  std::uint32_t v = 0;
  if (!fetch(ctx, arg, v)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_array();
  switch (req->shown) {
    case Shown::Features:
      flags(o, "lirc_features", v, "LIRC_CAN_???");
      break;
    case Shown::Mode:
      val(o, "lirc_modes", v, "LIRC_MODE_???");
      break;
    case Shown::Hex:
      o.hex(v);
      break;
    case Shown::Dec:
      o.uint_(v);
      break;
  }
  o.end_array();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
