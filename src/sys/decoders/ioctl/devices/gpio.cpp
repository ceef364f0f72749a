// 0xb4 requests: the GPIO character device, v1 and v2 ABIs (linux/gpio.h). Requests that
// both take and return a struct show the input at entry and " => " the output at exit.
#include <cstring>

#include "gpio_structs.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kChipInfo = 0x8044b401;
constexpr std::uint32_t kLineInfoUnwatch = 0xc004b40c;
constexpr std::uint32_t kV2LineInfo = 0xc100b405;
constexpr std::uint32_t kV2LineInfoWatch = 0xc100b406;
constexpr std::uint32_t kV2GetLine = 0xc250b407;
constexpr std::uint32_t kV2SetConfig = 0xc110b40d;
constexpr std::uint32_t kV2GetValues = 0xc010b40e;
constexpr std::uint32_t kV2SetValues = 0xc010b40f;
constexpr std::uint32_t kLineInfo = 0xc048b402;
constexpr std::uint32_t kLineInfoWatch = 0xc048b40b;
constexpr std::uint32_t kLineHandle = 0xc16cb403;
constexpr std::uint32_t kLineEvent = 0xc030b404;
constexpr std::uint32_t kGetValues = 0xc040b408;
constexpr std::uint32_t kSetValues = 0xc040b409;
constexpr std::uint32_t kSetConfig = 0xc054b40a;

// The shape of an in-and-out request: the struct is read at entry and again at exit (after
// " => ", not after a failure). `in` and `out` print the two views of it.
template <typename T, typename In, typename Out>
Res in_out(DecodeCtx& ctx, std::uint64_t arg, In&& in, Out&& out) {
  if (ctx.exiting()) {
    if (ctx.failed()) return Res::Done;
    ctx.out().raw(" => ");
  } else {
    ctx.arg(2);
  }
  T v;
  if (!fetch(ctx, arg, v)) return Res::Done;
  ctx.out().begin_struct();
  if (ctx.entering()) {
    in(v);
  } else {
    out(v);
  }
  ctx.out().end_struct();
  return ctx.entering() ? Res::Exit : Res::Done;
}

template <typename T, typename Fn>
Res input(DecodeCtx& ctx, std::uint64_t arg, Fn&& fn) {
  ctx.arg(2);
  T v;
  if (fetch(ctx, arg, v)) {
    ctx.out().begin_struct();
    fn(v);
    ctx.out().end_struct();
  }
  return Res::Done;
}

}  // namespace

Res gpio(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kChipInfo:
      if (ctx.entering()) return Res::Exit;
      return input<GpiochipInfo>(ctx, arg, [&](const GpiochipInfo& v) {
        cstring_field(o, "name", v.name);
        cstring_field(o, "label", v.label);
        field_u(o, "lines", v.lines);
      });
    case kLineInfoUnwatch:
      return input<std::uint32_t>(ctx, arg, [&](std::uint32_t v) { field_u(o, "offset", v); });
    case kLineInfo:
    case kLineInfoWatch:
      return in_out<GpiolineInfo>(
          ctx, arg, [&](const GpiolineInfo& v) { field_u(o, "line_offset", v.line_offset); },
          [&](const GpiolineInfo& v) {
            o.field("flags");
            flags(o, "gpio_line_flags", v.flags, "GPIOLINE_FLAG_???");
            cstring_field(o, "name", v.name);
            cstring_field(o, "consumer", v.consumer);
          });
    case kLineHandle:
      return in_out<GpiohandleRequest>(
          ctx, arg,
          [&](const GpiohandleRequest& v) {
            field_u(o, "lines", v.lines);
            u32_array_field(ctx, "lineoffsets", v.lineoffsets, v.lines);
            o.field("flags");
            flags(o, "gpio_handle_flags", v.flags, "GPIOHANDLE_REQUEST_???");
            u8_array_field(ctx, "default_values", v.default_values, v.lines);
            cstring_field(o, "consumer_label", v.consumer_label);
          },
          [&](const GpiohandleRequest& v) { fd_field(ctx, v.fd); });
    case kLineEvent:
      return in_out<GpioeventRequest>(
          ctx, arg,
          [&](const GpioeventRequest& v) {
            field_u(o, "lineoffset", v.lineoffset);
            o.field("handleflags");
            flags(o, "gpio_handle_flags", v.handleflags, "GPIOHANDLE_REQUEST_???");
            o.field("eventflags");
            flags(o, "gpio_event_flags", v.eventflags, "GPIOEVENT_REQUEST_???");
            cstring_field(o, "consumer_label", v.consumer_label);
          },
          [&](const GpioeventRequest& v) { fd_field(ctx, v.fd); });
    case kGetValues:
      if (ctx.entering()) return Res::Exit;
      [[fallthrough]];
    case kSetValues:
      return input<GpiohandleData>(ctx, arg, [&](const GpiohandleData& v) {
        u8_array_field(ctx, "values", v.values, sizeof v.values);
      });
    case kSetConfig:
      return input<GpiohandleConfig>(ctx, arg, [&](const GpiohandleConfig& v) {
        o.field("flags");
        flags(o, "gpio_handle_flags", v.flags, "GPIOHANDLE_REQUEST_???");
        u8_array_field(ctx, "default_values", v.default_values, sizeof v.default_values);
      });
    case kV2LineInfo:
    case kV2LineInfoWatch:
      return in_out<GpioV2LineInfo>(
          ctx, arg, [&](const GpioV2LineInfo& v) { field_u(o, "offset", v.offset); },
          [&](const GpioV2LineInfo& v) { v2_line_info(ctx, v); });
    case kV2GetLine:
      return in_out<GpioV2LineRequest>(
          ctx, arg, [&](const GpioV2LineRequest& v) { v2_line_request(ctx, v); },
          [&](const GpioV2LineRequest& v) { fd_field(ctx, v.fd); });
    case kV2SetConfig:
      ctx.arg(2);
      {
        GpioV2LineConfig c;
        if (fetch(ctx, arg, c)) v2_line_config(ctx, c);
      }
      return Res::Done;
    case kV2GetValues:
      return in_out<GpioV2LineValues>(
          ctx, arg, [&](const GpioV2LineValues& v) { field_x(o, "mask", v.mask); },
          [&](const GpioV2LineValues& v) { field_x(o, "bits", v.bits); });
    case kV2SetValues:
      return input<GpioV2LineValues>(ctx, arg, [&](const GpioV2LineValues& v) {
        field_x(o, "bits", v.bits);
        field_x(o, "mask", v.mask);
      });
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
