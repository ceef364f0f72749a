// SG_IO: the v3 header of the sg driver (struct sg_io_hdr, scsi/sg.h) and the v4 one of bsg
// (struct sg_io_v4, linux/bsg.h). The entry shows what goes to the device, the exit what came
// back, even after a failure (the kernel may have filled in the status).
#include <cstring>

#include "scsi.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kV3 = 'S';
constexpr std::uint32_t kV4 = 'Q';

constexpr std::int32_t kDxferToDev = -2;
constexpr std::int32_t kDxferFromDev = -3;
constexpr std::int32_t kDxferToFromDev = -4;

// struct sg_io_hdr with its pointers widened; read by the tracee's layout.
struct SgIoHdr {
  std::int32_t interface_id = 0;
  std::int32_t dxfer_direction = 0;
  std::uint8_t cmd_len = 0;
  std::uint8_t mx_sb_len = 0;
  std::uint16_t iovec_count = 0;
  std::uint32_t dxfer_len = 0;
  std::uint64_t dxferp = 0;
  std::uint64_t cmdp = 0;
  std::uint64_t sbp = 0;
  std::uint32_t timeout = 0;
  std::uint32_t flags = 0;
  std::uint8_t status = 0;
  std::uint8_t masked_status = 0;
  std::uint8_t msg_status = 0;
  std::uint8_t sb_len_wr = 0;
  std::uint16_t host_status = 0;
  std::uint16_t driver_status = 0;
  std::int32_t resid = 0;
  std::uint32_t duration = 0;
  std::uint32_t info = 0;
};

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Reads the header from `from` on (the interface id is known by then); `print`: NULL or the
// address when it cannot, as fetch() does.
bool read_v3(DecodeCtx& ctx, std::uint64_t arg, std::size_t from, SgIoHdr& h, bool print) {
  bool wide = ctx.word_size() == 8;
  std::size_t size = wide ? 88 : 64;
  unsigned char b[88] = {};
  if (print ? !fetch(ctx, arg + from, b + from, size - from)
            : !ctx.read(arg + from, b + from, size - from)) {
    return false;
  }
  auto ptr = [&](std::size_t off) {
    return wide ? load<std::uint64_t>(b + off) : load<std::uint32_t>(b + off);
  };
  // After the three pointers the i386 layout is 12 bytes short (and usr_ptr 4 more).
  std::size_t d = wide ? 0 : 12;
  std::size_t s = wide ? 0 : 20;
  h.interface_id = load<std::int32_t>(b);
  h.dxfer_direction = load<std::int32_t>(b + 4);
  h.cmd_len = b[8];
  h.mx_sb_len = b[9];
  h.iovec_count = load<std::uint16_t>(b + 10);
  h.dxfer_len = load<std::uint32_t>(b + 12);
  h.dxferp = ptr(16);
  h.cmdp = ptr(wide ? 24 : 20);
  h.sbp = ptr(wide ? 32 : 24);
  h.timeout = load<std::uint32_t>(b + 40 - d);
  h.flags = load<std::uint32_t>(b + 44 - d);
  h.status = b[64 - s];
  h.masked_status = b[65 - s];
  h.msg_status = b[66 - s];
  h.sb_len_wr = b[67 - s];
  h.host_status = load<std::uint16_t>(b + 68 - s);
  h.driver_status = load<std::uint16_t>(b + 70 - s);
  h.resid = load<std::int32_t>(b + 72 - s);
  h.duration = load<std::uint32_t>(b + 76 - s);
  h.info = load<std::uint32_t>(b + 80 - s);
  return true;
}

// A data buffer: an iovec array when there is a count, else the bytes in hex.
void buffer(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::uint32_t iovs) {
  if (iovs != 0) {
    desc::iov(ctx, addr, iovs, size, true);
  } else {
    hex_bytes(ctx, addr, size);
  }
}

// The bytes that came in: all asked for, less a plausible residue.
std::uint32_t received(std::uint32_t len, std::int32_t resid) {
  if (resid > 0 && static_cast<std::uint32_t>(resid) <= len) return len - resid;
  return len;
}

Res v3_request(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("interface_id");
  o.raw("'S'");
  SgIoHdr h;
  if (!read_v3(ctx, arg, 4, h, true)) {
    o.end_struct();
    return Res::Done;
  }
  o.field("dxfer_direction");
  val(o, "sg_io_dxfer_direction", static_cast<std::uint64_t>(std::int64_t{h.dxfer_direction}),
      "SG_DXFER_???");
  field_u(o, "cmd_len", h.cmd_len);
  o.field("cmdp");
  hex_bytes(ctx, h.cmdp, h.cmd_len);
  field_u(o, "mx_sb_len", h.mx_sb_len);
  field_u(o, "iovec_count", h.iovec_count);
  field_u(o, "dxfer_len", h.dxfer_len);
  field_u(o, "timeout", h.timeout);
  o.field("flags");
  flags(o, "sg_io_flags", h.flags, "SG_FLAG_???");
  if (h.dxfer_direction == kDxferToDev || h.dxfer_direction == kDxferToFromDev) {
    o.field("dxferp");
    buffer(ctx, h.dxferp, h.dxfer_len, h.iovec_count);
  }
  ctx.syscall().priv = kV3;
  return Res::Exit;
}

// At exit the tokens render apart from the entry's open struct: each field brings its ", ".
void next(TokenList& o, std::string_view name) {
  o.raw(", ");
  o.field(name);
}

void v3_response(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  SgIoHdr h;
  // (strace would show the entry's dxferp and sbp here; ptk keeps no copy of them.)
  if (!read_v3(ctx, arg, 0, h, false)) return;
  if (static_cast<std::uint32_t>(h.interface_id) != kV3) {
    o.raw(" => ");
    field_u(o, "interface_id", static_cast<std::uint32_t>(h.interface_id));
    return;
  }
  if (h.dxfer_direction == kDxferFromDev || h.dxfer_direction == kDxferToFromDev) {
    std::uint32_t din = received(h.dxfer_len, h.resid);
    if (h.dxfer_direction == kDxferFromDev) {
      next(o, "dxferp");
      buffer(ctx, h.dxferp, din, h.iovec_count);
    } else if (din != 0) {
      o.raw(" => ");
      o.field("dxferp");
      buffer(ctx, h.dxferp, din, h.iovec_count);
    }
  }
  next(o, "status");
  o.hex(h.status);
  next(o, "masked_status");
  o.hex(h.masked_status);
  next(o, "msg_status");
  o.hex(h.msg_status);
  next(o, "sb_len_wr");
  o.uint_(h.sb_len_wr);
  next(o, "sbp");
  hex_bytes(ctx, h.sbp, h.sb_len_wr);
  next(o, "host_status");
  o.hex(h.host_status);
  next(o, "driver_status");
  o.hex(h.driver_status);
  next(o, "resid");
  o.int_(h.resid);
  next(o, "duration");
  o.uint_(h.duration);
  next(o, "info");
  flags(o, "sg_io_info", h.info, "SG_INFO_???");
}

// struct sg_io_v4: fixed-size fields on every ABI.
struct SgIoV4 {
  std::int32_t guard;
  std::uint32_t protocol;
  std::uint32_t subprotocol;
  std::uint32_t request_len;
  std::uint64_t request;
  std::uint64_t request_tag;
  std::uint32_t request_attr;
  std::uint32_t request_priority;
  std::uint32_t request_extra;
  std::uint32_t max_response_len;
  std::uint64_t response;
  std::uint32_t dout_iovec_count;
  std::uint32_t dout_xfer_len;
  std::uint32_t din_iovec_count;
  std::uint32_t din_xfer_len;
  std::uint64_t dout_xferp;
  std::uint64_t din_xferp;
  std::uint32_t timeout;
  std::uint32_t flags;
  std::uint64_t usr_ptr;
  std::uint32_t spare_in;
  std::uint32_t driver_status;
  std::uint32_t transport_status;
  std::uint32_t device_status;
  std::uint32_t retry_delay;
  std::uint32_t info;
  std::uint32_t duration;
  std::uint32_t response_len;
  std::int32_t din_resid;
  std::int32_t dout_resid;
  std::uint64_t generated_tag;
  std::uint32_t spare_out;
  std::uint32_t padding;
};
static_assert(sizeof(SgIoV4) == 160);

Res v4_request(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("guard");
  o.raw("'Q'");
  SgIoV4 v{};
  auto* bytes = reinterpret_cast<unsigned char*>(&v);
  if (!fetch(ctx, arg + 4, bytes + 4, sizeof v - 4)) {
    o.end_struct();
    return Res::Done;
  }
  o.field("protocol");
  val(o, "bsg_protocol", v.protocol, "BSG_PROTOCOL_???");
  o.field("subprotocol");
  val(o, "bsg_subprotocol", v.subprotocol, "BSG_SUB_PROTOCOL_???");
  field_u(o, "request_len", v.request_len);
  o.field("request");
  hex_bytes(ctx, v.request, v.request_len);
  field_x(o, "request_tag", v.request_tag);
  field_u(o, "request_attr", v.request_attr);
  field_u(o, "request_priority", v.request_priority);
  field_u(o, "request_extra", v.request_extra);
  field_u(o, "max_response_len", v.max_response_len);
  field_u(o, "dout_iovec_count", v.dout_iovec_count);
  field_u(o, "dout_xfer_len", v.dout_xfer_len);
  field_u(o, "din_iovec_count", v.din_iovec_count);
  field_u(o, "din_xfer_len", v.din_xfer_len);
  o.field("dout_xferp");
  buffer(ctx, v.dout_xferp, v.dout_xfer_len, v.dout_iovec_count);
  field_u(o, "timeout", v.timeout);
  o.field("flags");
  flags(o, "bsg_flags", v.flags, "BSG_FLAG_???");
  field_x(o, "usr_ptr", v.usr_ptr);
  ctx.syscall().priv = kV4;
  return Res::Exit;
}

void v4_response(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  SgIoV4 v{};
  // (strace would show the entry's response and din_xferp here; ptk keeps no copy of them.)
  if (!ctx.read(arg, v)) return;
  if (static_cast<std::uint32_t>(v.guard) != kV4) {
    o.raw(" => ");
    field_u(o, "guard", static_cast<std::uint32_t>(v.guard));
    return;
  }
  next(o, "response_len");
  o.uint_(v.response_len);
  next(o, "response");
  hex_bytes(ctx, v.response, v.response_len);
  next(o, "din_xferp");
  buffer(ctx, v.din_xferp, received(v.din_xfer_len, v.din_resid), v.din_iovec_count);
  next(o, "driver_status");
  o.hex(v.driver_status);
  next(o, "transport_status");
  o.hex(v.transport_status);
  next(o, "device_status");
  o.hex(v.device_status);
  next(o, "retry_delay");
  o.uint_(v.retry_delay);
  next(o, "info");
  flags(o, "sg_io_info", v.info, "SG_INFO_???");
  next(o, "duration");
  o.uint_(v.duration);
  next(o, "response_len");
  o.uint_(v.response_len);
  next(o, "din_resid");
  o.int_(v.din_resid);
  next(o, "dout_resid");
  o.int_(v.dout_resid);
  next(o, "generated_tag");
  o.hex(v.generated_tag);
}

}  // namespace

Res sg_io(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.exiting()) {
    if ((ctx.syscall().priv & ~kExitPending) == kV3) {
      v3_response(ctx, arg);
    } else {
      v4_response(ctx, arg);
    }
    ctx.out().end_struct();
    return Res::Done;
  }
  ctx.arg(2);
  std::uint32_t iid = 0;
  if (!fetch(ctx, arg, iid)) return Res::Done;
  if (iid == kV3) return v3_request(ctx, arg);
  if (iid == kV4) return v4_request(ctx, arg);
  TokenList& o = ctx.out();
  o.begin_array();
  o.uint_(iid);
  o.end_array();
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
