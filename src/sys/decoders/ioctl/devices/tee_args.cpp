// The TEE calls whose argument is a struct tee_ioctl_buf_data {u64 buf_ptr, buf_len} pointing
// at an argument struct and its struct tee_ioctl_param array. The entry shows the request
// inside {buf_len=..., buf_ptr={...}, the exit " => {...}" with the results and the closing
// brace. The kernel rejects a buffer whose length does not match the parameters it holds.
#include <fmt/format.h>

#include <cstring>
#include <string>

#include "tee.h"

namespace ptk::sys::ioctl::tee {
namespace {

constexpr std::uint64_t kMaxArgSize = 1024;  // TEE_MAX_ARG_SIZE
constexpr std::uint64_t kParamSize = 32;
constexpr std::uint64_t kAttrMeta = 0x100;

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The fixed part of each call's argument struct and where its num_params is.
struct Layout {
  std::size_t size;
  std::size_t num_params;
};

Layout layout(std::uint32_t code) {
  switch (code) {
    case kOpenSession:
      return {56, 52};
    case kInvoke:
      return {24, 20};
    default:  // TEE_IOC_SUPPL_RECV, TEE_IOC_SUPPL_SEND
      return {8, 4};
  }
}

struct Call {
  std::uint64_t buf_ptr = 0;
  std::uint64_t buf_len = 0;
  unsigned char args[56] = {};
  std::uint32_t num_params = 0;
  std::uint64_t params = 0;  // NULL without parameters
};

void buf(TokenList& o, const Call& c) {
  o.begin_struct();
  field_u(o, "buf_len", c.buf_len);
  o.field("buf_ptr");
  o.ptr(c.buf_ptr);
  o.end_struct();
}

// Reads the buffer and the argument struct; false when it printed all it could.
bool read_call(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg, Call& c) {
  std::uint64_t head[2];
  if (!fetch(ctx, arg, head)) return false;
  c.buf_ptr = head[0];
  c.buf_len = head[1];
  Layout l = layout(code);
  if (c.buf_len > kMaxArgSize || c.buf_len < l.size || !ctx.read(c.buf_ptr, c.args, l.size)) {
    buf(ctx.out(), c);
    return false;
  }
  c.num_params = load<std::uint32_t>(c.args + l.num_params);
  // At exit the kernel may have changed num_params (TEE_IOC_SUPPL_RECV), not buf_len.
  if (ctx.entering() && l.size + kParamSize * c.num_params != c.buf_len) {
    buf(ctx.out(), c);
    return false;
  }
  c.params = c.num_params != 0 ? c.buf_ptr + l.size : 0;
  return true;
}

void param(TokenList& o, const unsigned char* p) {
  auto attr = load<std::uint64_t>(p);
  std::uint64_t v[3] = {load<std::uint64_t>(p + 8), load<std::uint64_t>(p + 16),
                        load<std::uint64_t>(p + 24)};
  o.begin_struct();
  o.field("attr");
  if (attr & kAttrMeta) {
    o.begin_flags();
    val(o, "tee_ioctl_param_attr_types", attr & ~kAttrMeta, "TEE_IOCTL_PARAM_ATTR_");
    o.name("TEE_IOCTL_PARAM_ATTR_META", kAttrMeta);
    o.end_flags();
  } else {
    val(o, "tee_ioctl_param_attr_types", attr, "TEE_IOCTL_PARAM_ATTR_");
  }
  switch (attr) {
    case 0:  // TEE_IOCTL_PARAM_ATTR_TYPE_NONE
      break;
    case 5:  // the MEMREF types: a shared memory reference
    case 6:
    case 7:
      field_x(o, "shm_offs", v[0]);
      field_x(o, "size", v[1]);
      field_u(o, "shm_id", v[2]);
      break;
    default:
      field_x(o, "a", v[0]);
      field_x(o, "b", v[1]);
      field_x(o, "c", v[2]);
      break;
  }
  o.end_struct();
}

void params(DecodeCtx& ctx, const Call& c) {
  ctx.out().field("params");
  desc::array(ctx, c.params, c.num_params, kParamSize,
              [&](const unsigned char* p) { param(ctx.out(), p); });
}

std::string uuid(const unsigned char* b) {
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += fmt::format("{:02x}", b[i]);
  }
  return s;
}

// TEE_IOC_OPEN_SESSION's clnt_uuid: a group id for the group logins, else the bytes.
void client(TokenList& o, std::uint32_t login, const unsigned char* b) {
  switch (login) {
    case 2:    // TEE_IOCTL_LOGIN_GROUP
    case 6: {  // TEE_IOCTL_LOGIN_GROUP_APPLICATION
      auto gid = load<std::uint32_t>(b);
      o.field("clnt_uuid");
      if (gid == ~std::uint32_t{0}) {
        o.int_(-1);
      } else {
        o.uint_(gid);
      }
      break;
    }
    case 0:  // the other logins pass nothing there
    case 1:
    case 4:
    case 5:
      break;
    default:
      o.field("clnt_uuid");
      o.begin_array();
      for (int i = 0; i < 16; ++i) o.hex(b[i]);
      o.end_array();
      break;
  }
}

void request(DecodeCtx& ctx, std::uint32_t code, const Call& c) {
  TokenList& o = ctx.out();
  const unsigned char* a = c.args;
  switch (code) {
    case kOpenSession: {
      o.field("uuid");
      o.raw(uuid(a));
      auto login = load<std::uint32_t>(a + 32);
      o.field("clnt_login");
      val(o, "tee_ioctl_login_types", login, "TEE_IOCTL_LOGIN_???");
      client(o, login, a + 16);
      field_u(o, "cancel_id", load<std::uint32_t>(a + 36));
      break;
    }
    case kInvoke:
      field_u(o, "func", load<std::uint32_t>(a));
      field_x(o, "session", load<std::uint32_t>(a + 4));
      field_u(o, "cancel_id", load<std::uint32_t>(a + 8));
      break;
    case kSupplRecv:
      field_u(o, "func", load<std::uint32_t>(a));
      break;
  }
  field_u(o, "num_params", c.num_params);
  params(ctx, c);
}

void result(DecodeCtx& ctx, std::uint32_t code, const Call& c) {
  TokenList& o = ctx.out();
  const unsigned char* a = c.args;
  auto origin = [&](std::size_t off) {
    o.field("ret_origin");
    val(o, "tee_ioctl_origins", load<std::uint32_t>(a + off), "TEEC_ORIGIN_???");
  };
  switch (code) {
    case kOpenSession:
      field_x(o, "session", load<std::uint32_t>(a + 40));
      field_u(o, "ret", load<std::uint32_t>(a + 44));
      origin(48);
      break;
    case kInvoke:
      field_u(o, "ret", load<std::uint32_t>(a + 12));
      origin(16);
      break;
    case kSupplRecv:
      field_u(o, "num_params", c.num_params);
      break;
    default:  // TEE_IOC_SUPPL_SEND
      field_u(o, "ret", load<std::uint32_t>(a));
      break;
  }
  params(ctx, c);
}

}  // namespace

Res buffer_call(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  Call c;
  if (ctx.entering()) {
    ctx.arg(2);
    if (!read_call(ctx, code, arg, c)) return Res::Done;
    o.begin_struct();
    field_u(o, "buf_len", c.buf_len);
    o.field("buf_ptr");
    o.begin_struct();
    request(ctx, code, c);
    o.end_struct();
    return Res::Exit;
  }
  if (ctx.failed()) {
    o.end_struct();
    return Res::Done;
  }
  o.raw(" => ");
  // (When the buffer cannot be read again strace leaves the brace open; so does this.)
  if (!read_call(ctx, code, arg, c)) return Res::Done;
  o.begin_struct();
  result(ctx, code, c);
  o.end_struct();
  o.end_struct();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl::tee
