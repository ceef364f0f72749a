// 0xa4 requests: TEE (trusted execution environment) devices, linux/tee.h. The shared memory
// requests show what the caller asks at entry and what the kernel made of it at exit.
#include "tee.h"

#include <cstring>

namespace ptk::sys::ioctl {
namespace {

using namespace tee;

constexpr std::uint32_t kImplOptee = 1;

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void shm_flags(TokenList& o, std::uint32_t v) {
  o.field("flags");
  flags(o, "tee_ioctl_shm_flags", v, "TEE_IOCTL_SHM_???");
}

Res version(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.entering()) return Res::Exit;
  ctx.arg(2);
  std::uint32_t v[3];  // impl_id, impl_caps, gen_caps
  if (!fetch(ctx, arg, v)) return Res::Done;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("impl_id");
  val(o, "tee_ioctl_impl_ids", v[0], "TEE_IMPL_ID_???");
  o.field("gen_caps");
  flags(o, "tee_ioctl_gen_caps", v[2], "TEE_GEN_CAP_???");
  if (v[0] == kImplOptee) {
    o.field("impl_caps");
    flags(o, "tee_ioctl_optee_caps", v[1], "TEE_OPTEE_CAP_???");
  } else {
    field_x(o, "impl_caps", v[1]);
  }
  o.end_struct();
  return Res::Done;
}

// The shared memory requests: `in` at entry, " => " and `out` at exit unless it failed.
template <std::size_t N, typename In, typename Out>
Res in_out(DecodeCtx& ctx, std::uint64_t arg, In&& in, Out&& out) {
  unsigned char b[N];
  if (ctx.entering()) {
    ctx.arg(2);
    if (!fetch(ctx, arg, b, N)) return Res::Done;
  } else {
    if (ctx.failed()) return Res::Done;
    ctx.out().raw(" => ");
    if (!fetch(ctx, arg, b, N)) return Res::Done;
  }
  ctx.out().begin_struct();
  if (ctx.entering()) {
    in(static_cast<const unsigned char*>(b));
  } else {
    out(static_cast<const unsigned char*>(b));
  }
  ctx.out().end_struct();
  return ctx.entering() ? Res::Exit : Res::Done;
}

}  // namespace

Res tee_ioctl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kVersion:
      return version(ctx, arg);
    case kOpenSession:
    case kInvoke:
    case kSupplRecv:
    case kSupplSend:
      return buffer_call(ctx, code, arg);
    case kCancel: {
      ctx.arg(2);
      std::uint32_t v[2];
      if (!fetch(ctx, arg, v)) return Res::Done;
      o.begin_struct();
      field_u(o, "cancel_id", v[0]);
      field_x(o, "session", v[1]);
      o.end_struct();
      return Res::Done;
    }
    case kCloseSession: {
      ctx.arg(2);
      std::uint32_t session = 0;
      if (!fetch(ctx, arg, session)) return Res::Done;
      o.begin_struct();
      field_x(o, "session", session);
      o.end_struct();
      return Res::Done;
    }
    case kShmAlloc:  // struct tee_ioctl_shm_alloc_data {u64 size; u32 flags; s32 id}
      return in_out<16>(
          ctx, arg,
          [&](const unsigned char* b) {
            field_x(o, "size", load<std::uint64_t>(b));
            shm_flags(o, load<std::uint32_t>(b + 8));
          },
          [&](const unsigned char* b) {
            field_x(o, "size", load<std::uint64_t>(b));
            shm_flags(o, load<std::uint32_t>(b + 8));
            field_i(o, "id", load<std::int32_t>(b + 12));
          });
    case kShmRegisterFd:  // {s64 fd; u64 size; u32 flags, pad; s32 id, pad}
      return in_out<32>(
          ctx, arg,
          [&](const unsigned char* b) {
            o.field("fd");
            ctx.fd(static_cast<std::int32_t>(load<std::int64_t>(b)));
            shm_flags(o, load<std::uint32_t>(b + 16));
          },
          [&](const unsigned char* b) {
            field_x(o, "size", load<std::uint64_t>(b + 8));
            field_i(o, "id", load<std::int32_t>(b + 24));
          });
    case kShmRegister:  // struct tee_ioctl_shm_register_data {u64 addr, length; u32 flags; s32 id}
      return in_out<24>(
          ctx, arg,
          [&](const unsigned char* b) {
            o.field("addr");
            o.ptr(load<std::uint64_t>(b));
            field_x(o, "length", load<std::uint64_t>(b + 8));
            shm_flags(o, load<std::uint32_t>(b + 16));
          },
          [&](const unsigned char* b) {
            field_x(o, "length", load<std::uint64_t>(b + 8));
            shm_flags(o, load<std::uint32_t>(b + 16));
            field_i(o, "id", load<std::int32_t>(b + 20));
          });
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
