// io_uring_register(2)'s resource tables: struct io_uring_rsrc_register (IORING_REGISTER_FILES2,
// IORING_REGISTER_BUFFERS2) and io_uring_rsrc_update2 (IORING_REGISTER_FILES_UPDATE2,
// IORING_REGISTER_BUFFERS_UPDATE), each with its data array and its tags.
#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "decoders/struct_ext.h"
#include "io_uring_register.h"

namespace ptk::sys::uring {
namespace {

// linux/io_uring.h, 32 bytes each; nr_args is the caller's size of them.
struct RsrcRegister {
  std::uint32_t nr, flags;
  std::uint64_t resv2, data, tags;
};
struct RsrcUpdate2 {
  std::uint32_t offset, resv;
  std::uint64_t data, tags;
  std::uint32_t nr, resv2;
};
static_assert(sizeof(RsrcRegister) == 32 && sizeof(RsrcUpdate2) == 32);

constexpr std::uint32_t kRegisterFiles2 = 13;
constexpr std::uint32_t kRegisterFilesUpdate2 = 14;

// data=: descriptors for the files opcodes (an update may skip a slot), iovecs for buffers.
void rsrc_data(DecodeCtx& ctx, std::uint64_t data, std::uint32_t nr, std::uint32_t opcode) {
  ctx.out().field("data");
  if (opcode == kRegisterFiles2 || opcode == kRegisterFilesUpdate2) {
    fd_array(ctx, data, nr, opcode == kRegisterFilesUpdate2);
  } else {
    iovec_addresses(ctx, data, nr);
  }
}

void rsrc_tags(DecodeCtx& ctx, std::uint64_t tags, std::uint32_t nr) {
  ctx.out().field("tags");
  pfam::print_array(ctx, tags, nr, sizeof(std::uint64_t), [&](const unsigned char* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    ctx.out().hex(v);
  });
}

// Reads the 32-byte struct when the caller says it is that large; else prints the address.
template <typename T>
bool read_rsrc(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, T& out) {
  if (size < sizeof(T) || addr == 0 || !ctx.read(addr, out)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

}  // namespace

void rsrc_register(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::uint32_t opcode) {
  RsrcRegister r;
  if (!read_rsrc(ctx, addr, size, r)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("nr");
  o.uint_(r.nr);
  o.field("flags");
  afam::xflags(o, "io_uring_rsrc_flags", r.flags, "IORING_RSRC_REGISTER_???");
  if (r.resv2 != 0) {
    o.field("resv2");
    o.hex(r.resv2);
  }
  rsrc_data(ctx, r.data, r.nr, opcode);
  rsrc_tags(ctx, r.tags, r.nr);
  struct_ext_tail(ctx, addr, sizeof r, size);
  o.end_struct();
}

void rsrc_update(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::uint32_t opcode) {
  RsrcUpdate2 u;
  if (!read_rsrc(ctx, addr, size, u)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("offset");
  o.uint_(u.offset);
  if (u.resv != 0) {
    o.field("resv");
    o.hex(u.resv);
  }
  rsrc_data(ctx, u.data, u.nr, opcode);
  rsrc_tags(ctx, u.tags, u.nr);
  o.field("nr");
  o.uint_(u.nr);
  if (u.resv2 != 0) {
    o.field("resv2");
    o.hex(u.resv2);
  }
  struct_ext_tail(ctx, addr, sizeof u, size);
  o.end_struct();
}

}  // namespace ptk::sys::uring
