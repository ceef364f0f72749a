// io_uring_register(2)'s struct arguments shown at entry: files_update, restrictions, ring fds
// and provided-buffer rings (the resource tables: io_uring_register_rsrc.cpp).
#include <fmt/format.h>

#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "io_uring_register.h"

namespace ptk::sys::uring {
namespace {

// linux/io_uring.h's structs, as the kernel lays them out on every ABI.
struct FilesUpdate {
  std::uint32_t offset, resv;
  std::uint64_t fds;
};
struct Restriction {
  std::uint16_t opcode;
  std::uint8_t op;  // register_op, sqe_op or sqe_flags, by opcode
  std::uint8_t resv;
  std::uint32_t resv2[3];
};
struct RsrcUpdate {
  std::uint32_t offset, resv;
  std::uint64_t data;
};
struct BufReg {
  std::uint64_t ring_addr;
  std::uint32_t ring_entries;
  std::uint16_t bgid, pad;
  std::uint64_t resv[3];
};
static_assert(sizeof(FilesUpdate) == 16 && sizeof(Restriction) == 16);
static_assert(sizeof(RsrcUpdate) == 16 && sizeof(BufReg) == 40);

// IORING_RESTRICTION_*.
enum : std::uint16_t { kRegisterOp = 0, kSqeOp = 1, kSqeFlagsAllowed = 2, kSqeFlagsRequired = 3 };

// resv2=[...] of reserved words, when any is nonzero.
template <typename T, std::size_t N>
void reserved_array(TokenList& o, std::string_view name, const T (&v)[N]) {
  bool any = false;
  for (T x : v) any = any || x != 0;
  if (!any) return;
  o.field(name);
  o.begin_array();
  for (T x : v) o.hex(x);
  o.end_array();
}

void restriction(TokenList& o, const Restriction& r) {
  o.begin_struct();
  o.field("opcode");
  afam::xval(o, "io_uring_restriction_op", r.opcode, "IORING_RESTRICTION_???");
  switch (r.opcode) {
    case kRegisterOp:
      o.field("register_op");
      afam::xval(o, "io_uring_register_op", r.op, "IORING_REGISTER_???");
      break;
    case kSqeOp:
      o.field("sqe_op");
      afam::xval(o, "io_uring_ops", r.op, "IORING_OP_???");
      break;
    case kSqeFlagsAllowed:
    case kSqeFlagsRequired:
      o.field("sqe_flags");
      afam::xflags(o, "io_uring_sqe_flags", r.op, "IOSQE_???");
      break;
    default:  // the union's byte, whatever it means
      o.comment(fmt::format("op: {}", hex_text(r.op)));
      break;
  }
  if (r.resv != 0) {
    o.field("resv");
    o.hex(r.resv);
  }
  reserved_array(o, "resv2", r.resv2);
  o.end_struct();
}

}  // namespace

void files_update(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n) {
  FilesUpdate u;
  TokenList& o = ctx.out();
  if (addr == 0 || !ctx.read(addr, u)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("offset");
  o.uint_(u.offset);
  if (u.resv != 0) {
    o.field("resv");
    o.hex(u.resv);
  }
  o.field("fds");
  fd_array(ctx, u.fds, n, true);
  o.end_struct();
}

void restrictions(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n) {
  pfam::print_array(ctx, addr, n, sizeof(Restriction), [&](const unsigned char* p) {
    Restriction r;
    std::memcpy(&r, p, sizeof r);
    restriction(ctx.out(), r);
  });
}

void ring_fds(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n, bool unregister) {
  TokenList& o = ctx.out();
  pfam::print_array(ctx, addr, n, sizeof(RsrcUpdate), [&](const unsigned char* p) {
    RsrcUpdate u;
    std::memcpy(&u, p, sizeof u);
    o.begin_struct();
    o.field("offset");
    // Registering, an offset of -1 asks for any free slot.
    if (!unregister && u.offset == UINT32_MAX) {
      o.int_(-1);
    } else {
      o.uint_(u.offset);
    }
    if (u.resv != 0) {
      o.field("resv");
      o.hex(u.resv);
    }
    if (!unregister) {
      o.field("data");
      ctx.fd(static_cast<std::int32_t>(u.data));
    } else if (u.data != 0) {  // unused when unregistering
      o.field("data");
      o.hex(u.data);
    }
    o.end_struct();
  });
}

void buf_reg(DecodeCtx& ctx, std::uint64_t addr) {
  BufReg b;
  TokenList& o = ctx.out();
  if (addr == 0 || !ctx.read(addr, b)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("ring_addr");
  o.ptr(b.ring_addr);
  o.field("ring_entries");
  o.uint_(b.ring_entries);
  o.field("bgid");
  o.uint_(b.bgid);
  if (b.pad != 0) {
    o.field("pad");
    o.hex(b.pad);
  }
  reserved_array(o, "resv", b.resv);
  o.end_struct();
}

}  // namespace ptk::sys::uring
