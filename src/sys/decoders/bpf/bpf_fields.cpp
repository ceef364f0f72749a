// Printing bpf(2) attr fields from their table (bpf.h), the trailing bytes strace checks, and
// eBPF instructions.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "bpf.h"
#include "bpf_filter.h"
#include "decoders/arg_util.h"
#include "decoders/file/file_util.h"
#include "decoders/ioctl/ioctl.h"
#include "decoders/network/network_sockaddr.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::bpf {
namespace {

constexpr std::size_t kNameLen = 16;       // BPF_OBJ_NAME_LEN
constexpr std::uint64_t kTpNameMax = 128;  // the kernel reads at most this much of a name

void reg(TokenList& o, unsigned r) { afam::xval(o, "ebpf_regs", r, "BPF_REG_???"); }

}  // namespace

void insns(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count) {
  TokenList& o = ctx.out();
  if (!ctx.options().verbose) {
    o.ptr(addr);
    return;
  }
  insn_array(ctx, addr, count, 8, [&](const unsigned char* p) {
    std::int16_t off = 0;
    std::int32_t imm = 0;
    std::memcpy(&off, p + 2, sizeof off);
    std::memcpy(&imm, p + 4, sizeof imm);
    o.begin_struct();
    o.field("code");
    ebpf_code(o, p[0]);
    o.field("dst_reg");
    reg(o, p[1] & 0x0f);
    o.field("src_reg");
    reg(o, p[1] >> 4);
    o.field("off");
    o.int_(off);
    o.field("imm");
    o.hex(static_cast<std::uint32_t>(imm));
    o.end_struct();
  });
}

void print_field(DecodeCtx& ctx, const Bytes& a, const Field& f, std::size_t len) {
  TokenList& o = ctx.out();
  constexpr std::uint32_t kNumaNodeFlag = 1u << 2;  // BPF_F_NUMA_NODE in map_flags
  if (f.kind == Kind::NumaNode && (a.u32(16) & kNumaNodeFlag) == 0) return;
  o.field(f.name);
  switch (f.kind) {
    case Kind::U32:
      o.uint_(a.u32(f.off));
      break;
    case Kind::U64:
      o.uint_(a.u64(f.off));
      break;
    case Kind::X32:
      o.hex(a.u32(f.off));
      break;
    case Kind::X64:
      o.hex(a.u64(f.off));
      break;
    case Kind::Fd:
      ctx.fd(a.s32(f.off));
      break;
    case Kind::Addr:
      o.ptr(a.u64(f.off));
      break;
    case Kind::XVal32:
      afam::xval(o, f.table, a.u32(f.off), f.unknown);
      break;
    case Kind::XVal64:
      afam::xval(o, f.table, a.u64(f.off), f.unknown);
      break;
    case Kind::Flags32:
      afam::xflags(o, f.table, a.u32(f.off), f.unknown);
      break;
    case Kind::Flags64:
      afam::xflags(o, f.table, a.u64(f.off), f.unknown);
      break;
    case Kind::Name: {
      // A name the caller's size cuts short shows as far as it goes.
      char name[kNameLen] = {};
      // (aux 16: the whole array whatever the size, as strace's PRINT_FIELD_CSTRING.)
      std::size_t n =
          f.aux == kNameLen ? kNameLen : std::min(kNameLen, len > f.off ? len - f.off : 0);
      std::memcpy(name, a.data.data() + f.off, n);
      ioctl::cstring(o, name, n);
      break;
    }
    case Kind::Ifindex:
      dec::print_ifindex(o, a.u32(f.off));
      break;
    case Kind::Str:
      ctx.string(a.u64(f.off));
      break;
    case Kind::Path:
      ctx.path(a.u64(f.off));
      break;
    case Kind::StrN:
      afam::bounded_string(ctx, a.u64(f.off), f.aux == 0xffff ? kTpNameMax : a.u32(f.aux));
      break;
    case Kind::Buf:
      ctx.buffer(a.u64(f.off), a.u32(f.aux));
      break;
    case Kind::Insns:
      insns(ctx, a.u64(f.off), a.u32(f.aux));
      break;
    case Kind::KVersion: {
      std::uint32_t v = a.u32(f.off);
      o.styled(v == 0 ? "0" : fmt::format("{:#x}", v),
               fmt::format("KERNEL_VERSION({}, {}, {})", v >> 16, (v >> 8) & 0xff, v & 0xff));
      break;
    }
    case Kind::Id:
      pfam::id_value(o, a.u32(f.off), 32);
      break;
    case Kind::Dev:
      ffam::device(ctx, a.u64(f.off));
      break;
    case Kind::NumaNode:
      // NUMA_NO_NODE is no UAPI constant: strace names it in a comment whatever -X says.
      o.uint_(a.u32(f.off));
      if (a.u32(f.off) == UINT32_MAX) o.comment("NUMA_NO_NODE");
      break;
  }
}

bool print_fields(DecodeCtx& ctx, const Bytes& a, std::span<const Field> fields, std::size_t len) {
  for (const Field& f : fields) {
    if (f.cut && len <= f.off) return false;
    print_field(ctx, a, f, len);
  }
  return true;
}

bool extra_data(DecodeCtx& ctx, const Bytes& a, std::size_t known) {
  if (a.size <= known || a.data.size() < a.size) return false;
  auto first = a.data.begin() + static_cast<std::ptrdiff_t>(known);
  auto last = a.data.begin() + a.size;
  if (std::all_of(first, last, [](unsigned char c) { return c == 0; })) return false;
  if (!ctx.options().verbose) return true;
  TokenList& o = ctx.out();
  o.field("extra_data");
  o.raw(ffam::hex_string(std::string_view(reinterpret_cast<const char*>(&*first),
                                          static_cast<std::size_t>(last - first)),
                         false));
  o.comment(fmt::format("bytes {}..{}", known, a.size - 1));
  return false;
}

bool read_bytes(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t size, std::size_t min_size,
                Bytes& out) {
  out.size = size;
  out.data.assign(std::max<std::size_t>(size, min_size), 0);
  return addr != 0 && ctx.read(addr, out.data.data(), size);
}

}  // namespace ptk::sys::bpf
