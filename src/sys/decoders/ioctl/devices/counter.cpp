// '>' requests: counter character devices (linux/counter.h).
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {

Res counter(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  constexpr std::uint32_t kAddWatch = 0x40063e00;
  constexpr std::uint32_t kEnableEvents = 0x3e01;
  constexpr std::uint32_t kDisableEvents = 0x3e02;
  if (code == kEnableEvents || code == kDisableEvents) return Res::Done;
  if (code != kAddWatch) return Res::Hex;
  ctx.arg(2);
  // struct counter_watch: component {type, scope, parent, id}, event, channel; all u8.
  std::uint8_t w[6];
  if (!fetch(ctx, arg, w)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("component");
  o.begin_struct();
  o.field("type");
  val(o, "counter_component_types", w[0], "COUNTER_COMPONENT_???");
  o.field("scope");
  val(o, "counter_scopes", w[1], "COUNTER_SCOPE_???");
  field_u(o, "parent", w[2]);
  field_u(o, "id", w[3]);
  o.end_struct();
  o.field("event");
  val(o, "counter_event_types", w[4], "COUNTER_EVENT_???");
  field_u(o, "channel", w[5]);
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
