// BPF_OBJ_GET_INFO_BY_FD: struct bpf_map_info and bpf_prog_info (linux/bpf.h) as the kernel
// wrote them, with the counts and addresses the caller passed where the kernel changed them.
#include <fmt/format.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "bpf.h"
#include "decoders/arg_util.h"
#include "decoders/file/file_util.h"
#include "decoders/process/process_util.h"

namespace ptk::sys::bpf {
namespace {

constexpr std::uint32_t kPage = 4096;
enum InfoKind : int { kNone = 0, kMap = 1, kProg = 2 };

constexpr std::size_t kMapInfoSize = 88;
constexpr Field kMapInfo[] = {
    {"type", 0, Kind::XVal32, false, "bpf_map_types", "BPF_MAP_TYPE_???"},
    {"id", 4, Kind::U32},
    {"key_size", 8, Kind::U32},
    {"value_size", 12, Kind::U32},
    {"max_entries", 16, Kind::U32},
    {"map_flags", 20, Kind::Flags32, false, "bpf_map_flags", "BPF_F_???"},
    {"name", 24, Kind::Name, true, {}, {}, 16},  // Linux 4.15
    {"ifindex", 40, Kind::Ifindex, true},        // 4.16
    {"btf_vmlinux_value_type_id", 44, Kind::U32},
    {"netns_dev", 48, Kind::Dev},
    {"netns_ino", 56, Kind::U64},
    {"btf_id", 64, Kind::U32, true},  // 4.18
    {"btf_key_type_id", 68, Kind::U32},
    {"btf_value_type_id", 72, Kind::U32},
};

constexpr std::size_t kProgInfoSize = 220;

// The path of the tracee's descriptor: -y's resolver, else /proc.
std::string fd_link(DecodeCtx& ctx, int fd) {
  std::string path = ctx.fd_path(fd);
  if (!path.empty() || fd < 0) return path;
  char buf[256];
  std::string link = fmt::format("/proc/{}/fd/{}", ctx.syscall().pid, fd);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// The wall-clock second of a CLOCK_BOOTTIME time, as strace estimates it (its offset from
// CLOCK_REALTIME, taken once).
std::int64_t boot_to_real(std::uint64_t boot_ns) {
  static const std::int64_t offset_ns = []() -> std::int64_t {
    timespec boot{}, real{};
    if (::clock_gettime(CLOCK_BOOTTIME, &boot) != 0 || ::clock_gettime(CLOCK_REALTIME, &real) != 0)
      return 0;
    return (real.tv_sec - boot.tv_sec) * std::int64_t{1000000000} + (real.tv_nsec - boot.tv_nsec);
  }();
  return (static_cast<std::int64_t>(boot_ns) + offset_ns) / 1000000000LL;
}

void map_info(DecodeCtx& ctx, const Bytes& info) {
  std::size_t len = std::min<std::size_t>(info.size, kMapInfoSize);
  TokenList& o = ctx.out();
  o.begin_struct();
  bool whole = print_fields(ctx, info, kMapInfo, len);
  o.end_struct(whole && extra_data(ctx, info, kMapInfoSize));
}

void prog_info(DecodeCtx& ctx, const Bytes& before, const Bytes& info) {
  std::size_t len = std::min<std::size_t>(info.size, kProgInfoSize);
  TokenList& o = ctx.out();
  auto u32 = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.uint_(info.u32(off));
  };
  auto u64 = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.uint_(info.u64(off));
  };
  auto addr = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.ptr(info.u64(off));
  };
  auto count = [&](std::string_view name, std::size_t off) {
    changed_u32(o, name, before.u32(off), info.u32(off));
  };
  auto changed_ptr = [&](std::string_view name, std::size_t off) {
    changed_addr(o, name, before.u64(off), info.u64(off));
  };
  auto field = [&](const Field& f) { print_field(ctx, info, f, len); };
  auto done = [&]() { o.end_struct(); };

  o.begin_struct();
  field({"type", 0, Kind::XVal32, false, "bpf_prog_types", "BPF_PROG_TYPE_???"});
  u32("id", 4);
  o.field("tag");
  o.raw(ffam::hex_string(std::string_view(reinterpret_cast<const char*>(info.data.data() + 8), 8),
                         false));
  count("jited_prog_len", 16);
  o.field("jited_prog_insns");
  afam::hex_buffer(ctx, info.u64(24), info.u32(16));
  count("xlated_prog_len", 20);
  o.field("xlated_prog_insns");
  insns(ctx, info.u64(32), std::min(before.u32(20), info.u32(20)) / 8);
  if (len <= 40) return done();  // load_time ... name: Linux 4.15
  u64("load_time", 40);
  if (ctx.options().const_names != ConstNames::Raw) {
    std::string date = ffam::date_comment(boot_to_real(info.u64(40)), 0, 0);
    if (!date.empty()) o.xlat_note(date);
  }
  field({"created_by_uid", 48, Kind::Id});
  count("nr_map_ids", 52);
  o.field("map_ids");
  exit_array(ctx, info.u64(56), std::min(before.u32(52), info.u32(52)), sizeof(std::uint32_t),
             [&](const unsigned char* p) {
               std::uint32_t id = 0;
               std::memcpy(&id, p, sizeof id);
               o.uint_(id);
             });
  field({"name", 64, Kind::Name, false, {}, {}, 16});
  if (len <= 80) return done();  // ifindex ... netns_ino: 4.16, gpl_compatible: 4.18
  field({"ifindex", 80, Kind::Ifindex});
  o.field("gpl_compatible");
  o.uint_(info.u32(84) & 1);
  field({"netns_dev", 88, Kind::Dev});
  u64("netns_ino", 96);
  if (len <= 104) return done();  // jited symbols: 4.18
  count("nr_jited_ksyms", 104);
  count("nr_jited_func_lens", 108);
  changed_ptr("jited_ksyms", 112);
  changed_ptr("jited_func_lens", 120);
  if (len <= 128) return done();  // BTF, func and line info: 5.0
  u32("btf_id", 128);
  count("func_info_rec_size", 132);
  addr("func_info", 136);
  count("nr_func_info", 144);
  count("nr_line_info", 148);
  addr("line_info", 152);
  changed_ptr("jited_line_info", 160);
  count("nr_jited_line_info", 168);
  count("line_info_rec_size", 172);
  count("jited_line_info_rec_size", 176);
  count("nr_prog_tags", 180);
  addr("prog_tags", 184);
  if (len <= 192) return done();  // run_time_ns, run_cnt: 5.1
  u64("run_time_ns", 192);
  u64("run_cnt", 200);
  if (len <= 208) return done();  // 5.12
  u64("recursion_misses", 208);
  if (len <= 216) return done();  // 5.16
  u32("verified_insns", 216);
  o.end_struct(extra_data(ctx, info, kProgInfoSize));
}

}  // namespace

int obj_info_entry(DecodeCtx& ctx, const Bytes& attr, Bytes& info) {
  if (!ctx.options().verbose) return kNone;
  std::string path = fd_link(ctx, attr.s32(0));
  int kind = path == "anon_inode:bpf-map" ? kMap : path == "anon_inode:bpf-prog" ? kProg : kNone;
  std::uint32_t size = attr.u32(4);
  // What the caller passed; zeros when it cannot be read.
  if (size == 0 || size > kPage || !read_bytes(ctx, attr.u64(8), size, kPage, info))
    info.data.assign(kPage, 0);
  return kind;
}

void obj_info_exit(DecodeCtx& ctx, int kind, const Bytes& entry, const Bytes& exit,
                   const Bytes& info) {
  constexpr std::size_t kSize = 16;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("info");
  o.begin_struct();
  o.field("bpf_fd");
  ctx.fd(entry.s32(0));
  changed_u32(o, "info_len", entry.u32(4), exit.u32(4));
  o.field("info");
  std::uint64_t addr = exit.u64(8);
  std::uint32_t size = exit.u32(4);
  Bytes now;
  if (kind == kNone || size == 0 || size > kPage || !read_bytes(ctx, addr, size, kPage, now)) {
    o.ptr(addr);
  } else if (kind == kMap) {
    map_info(ctx, now);
  } else {
    prog_info(ctx, info, now);
  }
  o.end_struct();
  o.end_struct(extra_data(ctx, exit, kSize));
}

}  // namespace ptk::sys::bpf
