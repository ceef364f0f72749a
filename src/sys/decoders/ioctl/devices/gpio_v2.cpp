// The GPIO v2 ABI's nested structs (line info, request, config and their attributes), and
// the array and descriptor fields the GPIO printers share.
#include <algorithm>

#include "gpio_structs.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kAttrFlags = 1;
constexpr std::uint32_t kAttrOutputValues = 2;
constexpr std::uint32_t kAttrDebounce = 3;

template <typename T, typename Fn>
void local_array(DecodeCtx& ctx, std::string_view name, std::span<const T> a, std::uint64_t count,
                 Fn&& fn) {
  TokenList& o = ctx.out();
  o.field(name);
  std::uint64_t n = std::min<std::uint64_t>(count, a.size());
  std::uint64_t limit =
      ctx.options().verbose ? n : std::min<std::uint64_t>(n, ctx.options().abbrev_array);
  o.begin_array();
  for (std::uint64_t i = 0; i < limit; ++i) fn(a[i]);
  o.end_array(limit < n);
}

bool all_zero(std::span<const std::uint32_t> a) {
  return std::all_of(a.begin(), a.end(), [](std::uint32_t v) { return v == 0; });
}

// An attribute's value by its id; unknown ids and a used padding show the raw fields.
void attribute(TokenList& o, const GpioV2LineAttribute& a, bool as_field) {
  if (a.padding == 0) {
    switch (a.id) {
      case kAttrFlags:
        o.field("flags");
        flags(o, "gpio_v2_line_flags", a.value, "GPIO_V2_LINE_FLAG_???");
        return;
      case kAttrOutputValues:
        field_x(o, "values", a.value);
        return;
      case kAttrDebounce:
        field_u(o, "debounce_period_us", static_cast<std::uint32_t>(a.value));
        return;
      default:
        break;
    }
  }
  if (as_field) {
    o.field("attr");
    o.begin_struct();
  }
  field_u(o, "id", a.id);
  if (a.padding != 0) field_x(o, "padding", a.padding);
  field_x(o, "data", a.value);
  if (as_field) o.end_struct();
}

}  // namespace

void u32_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint32_t> a,
                     std::uint64_t count) {
  local_array(ctx, name, a, count, [&](std::uint32_t v) { ctx.out().uint_(v); });
}

void u8_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint8_t> a,
                    std::uint64_t count) {
  local_array(ctx, name, a, count, [&](std::uint8_t v) { ctx.out().uint_(v); });
}

void hex_u32_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint32_t> a) {
  local_array(ctx, name, a, a.size(), [&](std::uint32_t v) { ctx.out().hex(v); });
}

void fd_field(DecodeCtx& ctx, std::int32_t fd) {
  ctx.out().field("fd");
  ctx.fd(fd);
}

void v2_line_config(DecodeCtx& ctx, const GpioV2LineConfig& v) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("flags");
  flags(o, "gpio_v2_line_flags", v.flags, "GPIO_V2_LINE_FLAG_???");
  field_u(o, "num_attrs", v.num_attrs);
  if (!all_zero(v.padding)) hex_u32_array_field(ctx, "padding", v.padding);
  if (v.num_attrs != 0) {
    local_array(ctx, "attrs", std::span<const GpioV2LineConfigAttribute>(v.attrs), v.num_attrs,
                [&](const GpioV2LineConfigAttribute& a) {
                  o.begin_struct();
                  attribute(o, a.attr, true);
                  field_x(o, "mask", a.mask);
                  o.end_struct();
                });
  }
  o.end_struct();
}

void v2_line_request(DecodeCtx& ctx, const GpioV2LineRequest& v) {
  TokenList& o = ctx.out();
  field_u(o, "num_lines", v.num_lines);
  u32_array_field(ctx, "offsets", v.offsets, v.num_lines);
  cstring_field(o, "consumer", v.consumer);
  o.field("config");
  v2_line_config(ctx, v.config);
  if (v.event_buffer_size != 0) field_u(o, "event_buffer_size", v.event_buffer_size);
  if (!all_zero(v.padding)) hex_u32_array_field(ctx, "padding", v.padding);
}

void v2_line_info(DecodeCtx& ctx, const GpioV2LineInfo& v) {
  TokenList& o = ctx.out();
  cstring_field(o, "name", v.name);
  cstring_field(o, "consumer", v.consumer);
  o.field("flags");
  flags(o, "gpio_v2_line_flags", v.flags, "GPIO_V2_LINE_FLAG_???");
  field_u(o, "num_attrs", v.num_attrs);
  if (v.num_attrs != 0) {
    local_array(ctx, "attrs", std::span<const GpioV2LineAttribute>(v.attrs), v.num_attrs,
                [&](const GpioV2LineAttribute& a) {
                  o.begin_struct();
                  attribute(o, a, false);
                  o.end_struct();
                });
  }
  if (!all_zero(v.padding)) hex_u32_array_field(ctx, "padding", v.padding);
}

}  // namespace ptk::sys::ioctl
