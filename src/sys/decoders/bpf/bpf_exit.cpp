// The bpf(2) commands whose attr the kernel writes back: *_GET_NEXT_ID, BPF_PROG_QUERY,
// BPF_TASK_FD_QUERY and the map batch commands.
#include <fmt/format.h>

#include "bpf.h"
#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::bpf {

void changed_u32(TokenList& o, std::string_view name, std::uint32_t before, std::uint32_t after) {
  o.field(name);
  if (before == after) {
    o.uint_(after);
  } else {
    o.raw_number(fmt::format("{} => {}", before, after), after);
  }
}

void changed_addr(TokenList& o, std::string_view name, std::uint64_t before, std::uint64_t after) {
  auto text = [](std::uint64_t v) {
    return v == 0 ? std::string("NULL") : fmt::format("{:#x}", v);
  };
  o.field(name);
  if (before == after) {
    o.ptr(after);
  } else {
    o.raw(fmt::format("{} => {}", text(before), text(after)));
  }
}

void exit_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                const std::function<void(const unsigned char*)>& print) {
  if (addr != 0 && n != 0 && ctx.failed()) {
    ctx.out().ptr(addr);
    return;
  }
  pfam::print_array(ctx, addr, n, elem_size, print);
}

void get_next_id(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit) {
  constexpr std::size_t kSize = 12, kOpenFlags = 8;
  TokenList& o = ctx.out();
  std::size_t len = std::min<std::size_t>(exit.size, kSize);
  o.begin_struct();
  o.field("start_id");
  o.uint_(entry.u32(0));
  changed_u32(o, "next_id", entry.u32(4), exit.u32(4));
  bool extra = false;
  if (len > kOpenFlags) {  // open_flags: Linux 4.15
    o.field("open_flags");
    afam::xflags(o, "bpf_file_mode_flags", exit.u32(kOpenFlags), "BPF_F_???");
    extra = extra_data(ctx, exit, kSize);
  }
  o.end_struct(extra);
}

void prog_query(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit) {
  constexpr std::size_t kSize = 28;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("query");
  o.begin_struct();
  o.field("target_fd");
  ctx.fd(entry.s32(0));
  o.field("attach_type");
  afam::xval(o, "bpf_attach_type", entry.u32(4), "BPF_???");
  o.field("query_flags");
  afam::xflags(o, "bpf_query_flags", entry.u32(8), "BPF_F_QUERY_???");
  o.field("attach_flags");
  afam::xflags(o, "bpf_attach_flags", entry.u32(12), "BPF_F_???");
  o.field("prog_ids");
  exit_array(ctx, exit.u64(16), exit.u32(24), sizeof(std::uint32_t), [&](const unsigned char* p) {
    std::uint32_t id = 0;
    std::memcpy(&id, p, sizeof id);
    o.uint_(id);
  });
  changed_u32(o, "prog_cnt", entry.u32(24), exit.u32(24));
  o.end_struct();
  o.end_struct(extra_data(ctx, exit, kSize));
}

void task_fd_query(DecodeCtx& ctx, const Bytes& entry, const Bytes& exit) {
  constexpr std::size_t kSize = 48;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("task_fd_query");
  o.begin_struct();
  o.field("pid");
  ctx.pid(entry.s32(0), PidKind::Tgid);
  o.field("fd");
  ctx.fd(entry.s32(4));
  o.field("flags");
  o.uint_(entry.u32(8));
  std::uint32_t before = entry.u32(12), after = exit.u32(12);
  changed_u32(o, "buf_len", before, after);
  o.field("buf");
  afam::bounded_string(ctx, exit.u64(16), std::min(before, after));
  o.field("prog_id");
  o.uint_(exit.u32(24));
  o.field("fd_type");
  afam::xval(o, "bpf_task_fd_type", exit.u32(28), "BPF_FD_TYPE_???");
  o.field("probe_offset");
  o.hex(exit.u64(32));
  o.field("probe_addr");
  o.hex(exit.u64(40));
  o.end_struct();
  o.end_struct(extra_data(ctx, exit, kSize));
}

void batch_entry(DecodeCtx& ctx, std::uint32_t cmd, const Bytes& a) {
  constexpr std::size_t kSize = 56;
  constexpr std::uint32_t kUpdateBatch = 26, kDeleteBatch = 27;
  TokenList& o = ctx.out();
  auto addr = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.ptr(a.u64(off));
  };
  o.begin_struct();
  o.field("batch");
  o.begin_struct();
  if (cmd != kUpdateBatch && cmd != kDeleteBatch) {  // the lookups walk the map in batches
    addr("in_batch", 0);
    addr("out_batch", 8);
  }
  addr("keys", 16);
  if (cmd != kDeleteBatch) addr("values", 24);
  o.field("count");
  o.uint_(a.u32(32));
  o.field("map_fd");
  ctx.fd(a.s32(36));
  o.field("elem_flags");
  afam::xflags(o, "bpf_map_lookup_elem_flags", a.u64(40), "BPF_???");
  o.field("flags");
  o.hex(a.u64(48));
  o.end_struct();
  o.end_struct(extra_data(ctx, a, kSize));
}

void batch_exit(DecodeCtx& ctx, std::uint32_t entry_count, const Bytes& exit) {
  std::uint32_t count = exit.u32(32);
  if (count == entry_count) return;
  TokenList& o = ctx.out();
  o.raw(" => ");
  o.begin_struct();
  o.field("batch");
  o.begin_struct();
  o.field("count");
  o.uint_(count);
  o.end_struct();
  o.end_struct();
}

}  // namespace ptk::sys::bpf
