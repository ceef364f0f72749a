// BPF_LINK_CREATE, whose tail is a union strace reads by attach type, and BPF_LINK_UPDATE.
#include <cstring>

#include "bpf.h"
#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::bpf {
namespace {

// enum bpf_attach_type values with a union member of their own.
constexpr std::uint32_t kTraceIter = 28, kPerfEvent = 41, kKprobeMulti = 42;
constexpr std::size_t kLinkCreateSize = 48, kUnionOffset = 16;

void hex_u64_array(DecodeCtx& ctx, std::string_view name, std::uint64_t addr, std::uint32_t n) {
  ctx.out().field(name);
  pfam::print_array(ctx, addr, n, sizeof(std::uint64_t), [&](const unsigned char* p) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, sizeof v);
    ctx.out().hex(v);
  });
}

// The union member of the attach type; returns the end of what it printed (strace checks the
// bytes after it for nonzero ones).
std::size_t link_union(DecodeCtx& ctx, const Bytes& a) {
  TokenList& o = ctx.out();
  switch (a.u32(8)) {
    case 0:  // BPF_CGROUP_INET_INGRESS, which also stands for "none": target_btf_id (5.10)
      if (a.u32(16) != 0) {
        o.field("target_btf_id");
        o.uint_(a.u32(16));
      }
      return 20;
    case kTraceIter:  // 5.9
      o.field("iter_info");
      pfam::print_array(ctx, a.u64(16), a.u32(24), sizeof(std::uint32_t),
                        [&](const unsigned char* p) {
                          std::int32_t fd = 0;
                          std::memcpy(&fd, p, sizeof fd);
                          o.begin_struct();
                          o.field("map");
                          o.begin_struct();
                          o.field("map_fd");
                          ctx.fd(fd);
                          o.end_struct();
                          o.end_struct();
                        });
      o.field("iter_info_len");
      o.uint_(a.u32(24));
      return 28;
    case kPerfEvent:  // 5.15
      o.field("perf_event");
      o.begin_struct();
      o.field("bpf_cookie");
      o.hex(a.u64(16));
      o.end_struct();
      return 24;
    case kKprobeMulti: {  // 5.18
      std::uint32_t cnt = a.u32(20);
      auto w = static_cast<std::size_t>(ctx.word_size());
      o.field("kprobe_multi");
      o.begin_struct();
      o.field("flags");
      afam::xflags(o, "bpf_kprobe_multi_flags", a.u32(16), "BPF_F_???");
      o.field("cnt");
      o.uint_(cnt);
      o.field("syms");
      pfam::print_array(ctx, a.u64(24), cnt, w, [&](const unsigned char* p) {
        std::uint64_t s = 0;
        std::memcpy(&s, p, w);  // a pointer of the tracee's size (little-endian)
        ctx.string(s);
      });
      hex_u64_array(ctx, "addrs", a.u64(32), cnt);
      hex_u64_array(ctx, "cookies", a.u64(40), cnt);
      o.end_struct();
      return kLinkCreateSize;
    }
    default:
      return kUnionOffset;
  }
}

}  // namespace

void link_create(DecodeCtx& ctx, const Bytes& a) {
  TokenList& o = ctx.out();
  std::size_t len = std::min<std::size_t>(a.size, kLinkCreateSize);
  o.begin_struct();
  o.field("link_create");
  o.begin_struct();
  o.field("prog_fd");
  ctx.fd(a.s32(0));
  o.field("target_fd");
  ctx.fd(a.s32(4));
  o.field("attach_type");
  afam::xval(o, "bpf_attach_type", a.u32(8), "BPF_???");
  o.field("flags");
  o.hex(a.u32(12));
  std::size_t known = kLinkCreateSize;
  if (len > kUnionOffset) known = link_union(ctx, a);
  o.end_struct();
  o.end_struct(extra_data(ctx, a, known));
}

void link_update(DecodeCtx& ctx, const Bytes& a) {
  constexpr std::size_t kSize = 16;
  constexpr std::uint32_t kReplace = 1u << 2;  // BPF_F_REPLACE: old_prog_fd is set
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("link_update");
  o.begin_struct();
  o.field("link_fd");
  ctx.fd(a.s32(0));
  o.field("new_prog_fd");
  ctx.fd(a.s32(4));
  o.field("flags");
  afam::xflags(o, "bpf_attach_flags", a.u32(8), "BPF_F_???");
  if (a.u32(8) & kReplace) {
    o.field("old_prog_fd");
    ctx.fd(a.s32(12));
  }
  o.end_struct();
  o.end_struct(extra_data(ctx, a, kSize));
}

}  // namespace ptk::sys::bpf
