// add_key(2) and request_key(2): strings, the payload, and the keyring as a key serial.
#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

// A key_serial_t (an int): KEY_SPEC_* for the special ones, else decimal.
void key_serial_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  auto v = static_cast<std::int32_t>(ctx.u(i));
  auto key = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
  std::string_view n = pfam::xlat_lookup("key_serial", key);
  if (n.empty()) {
    ctx.out().int_(v);
  } else {
    ctx.out().name(n, key);
  }
}

void string_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.string(ctx.u(i));
}

}  // namespace

void decode_add_key(DecodeCtx& ctx) {
  string_arg(ctx, 0);
  string_arg(ctx, 1);
  ctx.arg(2);
  ctx.buffer(ctx.u(2), ctx.u(3));
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
  key_serial_arg(ctx, 4);
}

void decode_request_key(DecodeCtx& ctx) {
  string_arg(ctx, 0);
  string_arg(ctx, 1);
  string_arg(ctx, 2);
  key_serial_arg(ctx, 3);
}

}  // namespace ptk::sys
