// The GPIO character device's structs (linux/gpio.h; the same layout on both x86 ABIs) and
// the printers gpio.cpp and gpio_v2.cpp share.
#pragma once

#include <cstdint>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

struct GpiochipInfo {
  char name[32];
  char label[32];
  std::uint32_t lines;
};
struct GpiolineInfo {
  std::uint32_t line_offset;
  std::uint32_t flags;
  char name[32];
  char consumer[32];
};
struct GpiohandleRequest {
  std::uint32_t lineoffsets[64];
  std::uint32_t flags;
  std::uint8_t default_values[64];
  char consumer_label[32];
  std::uint32_t lines;
  std::int32_t fd;
};
struct GpioeventRequest {
  std::uint32_t lineoffset;
  std::uint32_t handleflags;
  std::uint32_t eventflags;
  char consumer_label[32];
  std::int32_t fd;
};
struct GpiohandleData {
  std::uint8_t values[64];
};
struct GpiohandleConfig {
  std::uint32_t flags;
  std::uint8_t default_values[64];
  std::uint32_t padding[4];
};
struct GpioV2LineAttribute {
  std::uint32_t id;
  std::uint32_t padding;
  std::uint64_t value;  // flags, values or debounce_period_us (u32), as id says
};
struct GpioV2LineConfigAttribute {
  GpioV2LineAttribute attr;
  std::uint64_t mask;
};
struct GpioV2LineConfig {
  std::uint64_t flags;
  std::uint32_t num_attrs;
  std::uint32_t padding[5];
  GpioV2LineConfigAttribute attrs[10];
};
struct GpioV2LineRequest {
  std::uint32_t offsets[64];
  char consumer[32];
  GpioV2LineConfig config;
  std::uint32_t num_lines;
  std::uint32_t event_buffer_size;
  std::uint32_t padding[5];
  std::int32_t fd;
};
struct GpioV2LineInfo {
  char name[32];
  char consumer[32];
  std::uint32_t offset;
  std::uint32_t num_attrs;
  std::uint64_t flags;
  GpioV2LineAttribute attrs[10];
  std::uint32_t padding[4];
};
struct GpioV2LineValues {
  std::uint64_t bits;
  std::uint64_t mask;
};
static_assert(sizeof(GpiohandleRequest) == 364 && sizeof(GpioeventRequest) == 48);
static_assert(sizeof(GpiohandleConfig) == 84 && sizeof(GpioV2LineConfig) == 272);
static_assert(sizeof(GpioV2LineRequest) == 592 && sizeof(GpioV2LineInfo) == 256);

// name="text": a fixed-size char array up to its NUL.
template <std::size_t N>
void cstring_field(TokenList& o, std::string_view name, const char (&s)[N]) {
  o.field(name);
  cstring(o, s, N);
}

// The first min(count, capacity) elements of an array inside a struct, cut at the -s limit
// without -v.
void u32_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint32_t> a,
                     std::uint64_t count);
void u8_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint8_t> a,
                    std::uint64_t count);
void hex_u32_array_field(DecodeCtx& ctx, std::string_view name, std::span<const std::uint32_t> a);
void fd_field(DecodeCtx& ctx, std::int32_t fd);

void v2_line_info(DecodeCtx& ctx, const GpioV2LineInfo& v);
void v2_line_request(DecodeCtx& ctx, const GpioV2LineRequest& v);
void v2_line_config(DecodeCtx& ctx, const GpioV2LineConfig& v);

}  // namespace ptk::sys::ioctl
