// The stat family's structs: struct stat of each ABI, i386's stat64, statx, statfs and
// statfs64, as strace prints them (abbreviated without -v).
#include <cstring>

#include "file_internal.h"
#include "file_util.h"
#include "ptk/arch/struct_layouts.h"

namespace ptk::sys::ffam {
namespace {

// One struct stat of any layout, widened.
struct StatInfo {
  std::uint64_t dev = 0, ino = 0, mode = 0, nlink = 0, uid = 0, gid = 0, rdev = 0;
  std::uint64_t size = 0, blksize = 0, blocks = 0;
  std::int64_t atime = 0, mtime = 0, ctime = 0;
  std::uint64_t atime_nsec = 0, mtime_nsec = 0, ctime_nsec = 0;
  bool has_nsec = true;  // false for i386's oldest struct, which has whole seconds only
};

// Both 64-bit layouts below end with the same three {seconds, nanoseconds} pairs of longs at 72.
void read_times_at_72(const unsigned char* b, StatInfo& s) {
  s.atime = load<std::int64_t>(b + 72);
  s.atime_nsec = load<std::uint64_t>(b + 80);
  s.mtime = load<std::int64_t>(b + 88);
  s.mtime_nsec = load<std::uint64_t>(b + 96);
  s.ctime = load<std::int64_t>(b + 104);
  s.ctime_nsec = load<std::uint64_t>(b + 112);
}

// x86_64's struct stat (arch/x86/include/uapi/asm/stat.h): 144 bytes.
StatInfo parse_stat_x86_64(const unsigned char* b) {
  StatInfo s;
  s.dev = load<std::uint64_t>(b + 0);
  s.ino = load<std::uint64_t>(b + 8);
  s.nlink = load<std::uint64_t>(b + 16);
  s.mode = load<std::uint32_t>(b + 24);
  s.uid = load<std::uint32_t>(b + 28);
  s.gid = load<std::uint32_t>(b + 32);
  s.rdev = load<std::uint64_t>(b + 40);
  s.size = load<std::uint64_t>(b + 48);
  s.blksize = load<std::uint64_t>(b + 56);
  s.blocks = load<std::uint64_t>(b + 64);
  read_times_at_72(b, s);
  return s;
}

// The generic 64-bit struct stat (include/uapi/asm-generic/stat.h; aarch64): 128 bytes, mode and
// nlink 32 bits before the ids, a pad after st_rdev, st_blksize an int.
StatInfo parse_stat_generic64(const unsigned char* b) {
  StatInfo s;
  s.dev = load<std::uint64_t>(b + 0);
  s.ino = load<std::uint64_t>(b + 8);
  s.mode = load<std::uint32_t>(b + 16);
  s.nlink = load<std::uint32_t>(b + 20);
  s.uid = load<std::uint32_t>(b + 24);
  s.gid = load<std::uint32_t>(b + 28);
  s.rdev = load<std::uint64_t>(b + 32);
  s.size = load<std::uint64_t>(b + 48);
  s.blksize = load<std::uint32_t>(b + 56);
  s.blocks = load<std::uint64_t>(b + 64);
  read_times_at_72(b, s);
  return s;
}

// i386's struct stat (the kernel's compat_stat): 64 bytes, 16-bit mode, nlink and ids.
StatInfo parse_stat_i386(const unsigned char* b) {
  StatInfo s;
  s.dev = load<std::uint32_t>(b + 0);
  s.ino = load<std::uint32_t>(b + 4);
  s.mode = load<std::uint16_t>(b + 8);
  s.nlink = load<std::uint16_t>(b + 10);
  s.uid = load<std::uint16_t>(b + 12);
  s.gid = load<std::uint16_t>(b + 14);
  s.rdev = load<std::uint32_t>(b + 16);
  s.size = load<std::uint32_t>(b + 20);
  s.blksize = load<std::uint32_t>(b + 24);
  s.blocks = load<std::uint32_t>(b + 28);
  // The times are unsigned longs of 32 bits: strace shows them zero-extended.
  s.atime = load<std::uint32_t>(b + 32);
  s.atime_nsec = load<std::uint32_t>(b + 36);
  s.mtime = load<std::uint32_t>(b + 40);
  s.mtime_nsec = load<std::uint32_t>(b + 44);
  s.ctime = load<std::uint32_t>(b + 48);
  s.ctime_nsec = load<std::uint32_t>(b + 52);
  return s;
}

// i386's struct __old_kernel_stat (oldstat, oldlstat, oldfstat): 32 bytes, 16-bit numbers
// up to st_rdev, then the size and the three times as 32-bit values.
StatInfo parse_old_stat_i386(const unsigned char* b) {
  StatInfo s;
  s.dev = load<std::uint16_t>(b + 0);
  s.ino = load<std::uint16_t>(b + 2);
  s.mode = load<std::uint16_t>(b + 4);
  s.nlink = load<std::uint16_t>(b + 6);
  s.uid = load<std::uint16_t>(b + 8);
  s.gid = load<std::uint16_t>(b + 10);
  s.rdev = load<std::uint16_t>(b + 12);
  s.size = load<std::uint32_t>(b + 16);
  s.atime = load<std::uint32_t>(b + 20);
  s.mtime = load<std::uint32_t>(b + 24);
  s.ctime = load<std::uint32_t>(b + 28);
  s.has_nsec = false;
  return s;
}

// i386's struct stat64: 96 bytes, 64-bit fields aligned to 4, the real inode number last.
StatInfo parse_stat64_i386(const unsigned char* b) {
  StatInfo s;
  s.dev = load<std::uint64_t>(b + 0);
  s.mode = load<std::uint32_t>(b + 16);
  s.nlink = load<std::uint32_t>(b + 20);
  s.uid = load<std::uint32_t>(b + 24);
  s.gid = load<std::uint32_t>(b + 28);
  s.rdev = load<std::uint64_t>(b + 32);
  s.size = load<std::uint64_t>(b + 44);
  s.blksize = load<std::uint32_t>(b + 52);
  s.blocks = load<std::uint64_t>(b + 56);
  s.atime = load<std::uint32_t>(b + 64);
  s.atime_nsec = load<std::uint32_t>(b + 68);
  s.mtime = load<std::uint32_t>(b + 72);
  s.mtime_nsec = load<std::uint32_t>(b + 76);
  s.ctime = load<std::uint32_t>(b + 80);
  s.ctime_nsec = load<std::uint32_t>(b + 84);
  s.ino = load<std::uint64_t>(b + 88);
  return s;
}

void time_field(DecodeCtx& ctx, std::string_view name, std::string_view nsec_name, std::int64_t sec,
                std::uint64_t nsec, bool has_nsec) {
  TokenList& o = ctx.out();
  o.field(name);
  o.int_(sec);
  time_note(ctx, sec, nsec, 9);
  if (!has_nsec) return;
  o.field(nsec_name);
  o.uint_(nsec);
}

void emit_stat(DecodeCtx& ctx, const StatInfo& s) {
  constexpr std::uint64_t kFmt = 0170000, kChr = 0020000, kBlk = 0060000;
  bool verbose = ctx.options().verbose;
  TokenList& o = ctx.out();
  o.begin_struct();
  if (verbose) {
    o.field("st_dev");
    device(ctx, s.dev);
    o.field("st_ino");
    o.uint_(s.ino);
  }
  o.field("st_mode");
  symbolic_mode(ctx, static_cast<std::uint32_t>(s.mode));
  if (verbose) {
    o.field("st_nlink");
    o.uint_(s.nlink);
    o.field("st_uid");
    o.uint_(s.uid);
    o.field("st_gid");
    o.uint_(s.gid);
    o.field("st_blksize");
    o.uint_(s.blksize);
    o.field("st_blocks");
    o.uint_(s.blocks);
  }
  // Devices show the number they stand for instead of a size.
  if ((s.mode & kFmt) == kChr || (s.mode & kFmt) == kBlk) {
    o.field("st_rdev");
    device(ctx, s.rdev);
  } else {
    o.field("st_size");
    o.uint_(s.size);
  }
  if (verbose) {
    time_field(ctx, "st_atime", "st_atime_nsec", s.atime, s.atime_nsec, s.has_nsec);
    time_field(ctx, "st_mtime", "st_mtime_nsec", s.mtime, s.mtime_nsec, s.has_nsec);
    time_field(ctx, "st_ctime", "st_ctime_nsec", s.ctime, s.ctime_nsec, s.has_nsec);
  }
  o.end_struct(!verbose);
}

// struct statx_timestamp: {tv_sec=..., tv_nsec=...} and the date.
void statx_time(DecodeCtx& ctx, std::string_view name, const unsigned char* p) {
  TokenList& o = ctx.out();
  auto sec = load<std::int64_t>(p);
  auto nsec = load<std::uint32_t>(p + 8);
  o.field(name);
  o.begin_struct();
  o.field("tv_sec");
  o.int_(sec);
  o.field("tv_nsec");
  o.uint_(nsec);
  o.end_struct();
  time_note(ctx, sec, nsec, 9);
}

// statfs fields, widened from either layout.
struct StatfsInfo {
  std::uint64_t type, bsize, blocks, bfree, bavail, files, ffree, fsid0, fsid1, namelen, frsize;
  std::uint64_t flags;
};

void emit_statfs(DecodeCtx& ctx, const StatfsInfo& f) {
  constexpr std::uint64_t kStValid = 0x20;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("f_type");
  const Xlat* magic = find_xlat("fsmagic");
  std::string_view name = magic != nullptr ? xlat_name(*magic, f.type) : "";
  if (name.empty()) {
    o.hex(f.type);
  } else {
    o.name(name, f.type);
  }
  const std::pair<std::string_view, std::uint64_t> counts[] = {
      {"f_bsize", f.bsize},   {"f_blocks", f.blocks}, {"f_bfree", f.bfree},
      {"f_bavail", f.bavail}, {"f_files", f.files},   {"f_ffree", f.ffree}};
  for (const auto& [field, v] : counts) {
    o.field(field);
    o.uint_(v);
  }
  o.field("f_fsid");
  o.begin_struct();
  o.field("val");
  o.begin_array();
  o.hex(f.fsid0);
  o.hex(f.fsid1);
  o.end_array();
  o.end_struct();
  o.field("f_namelen");
  o.uint_(f.namelen);
  o.field("f_frsize");
  o.uint_(f.frsize);
  // f_flags means something only when the file system filled it in (ST_VALID).
  if (f.flags & kStValid) {
    o.field("f_flags");
    flags(ctx, "statfs_flags", f.flags);
  }
  o.end_struct();
}

}  // namespace

void print_stat(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[144];
  StatLayout layout = struct_layouts(ctx.arch()).stat;
  std::size_t len = layout == StatLayout::X86_64 ? 144 : layout == StatLayout::I386 ? 64 : 128;
  if (!ctx.read(addr, b, len)) {
    ctx.pointer(addr);
    return;
  }
  switch (layout) {
    case StatLayout::X86_64:
      emit_stat(ctx, parse_stat_x86_64(b));
      break;
    case StatLayout::I386:
      emit_stat(ctx, parse_stat_i386(b));
      break;
    case StatLayout::Generic64:
      emit_stat(ctx, parse_stat_generic64(b));
      break;
  }
}

void print_stat64(DecodeCtx& ctx, std::uint64_t addr) {
  // Only i386 has stat64; on x86_64 the name would mean struct stat, and the call is absent.
  if (ctx.word_size() == 8) {
    print_stat(ctx, addr);
    return;
  }
  unsigned char b[96];
  if (!ctx.read(addr, b, sizeof b)) {
    ctx.pointer(addr);
    return;
  }
  emit_stat(ctx, parse_stat64_i386(b));
}

void print_old_stat(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[32];
  if (!ctx.read(addr, b, sizeof b)) {
    ctx.pointer(addr);
    return;
  }
  emit_stat(ctx, parse_old_stat_i386(b));
}

void print_statx(DecodeCtx& ctx, std::uint64_t addr) {
  // struct statx (include/uapi/linux/stat.h): 256 bytes, the same on both ABIs.
  constexpr std::uint32_t kNlink = 0x4, kUid = 0x8, kGid = 0x10, kTypeMode = 0x3, kAtime = 0x20,
                          kMtime = 0x40, kCtime = 0x80, kIno = 0x100, kSize = 0x200,
                          kBlocks = 0x400, kBtime = 0x800, kMntId = 0x1000, kDioAlign = 0x2000;
  unsigned char b[256];
  if (!ctx.read(addr, b, sizeof b)) {
    ctx.pointer(addr);
    return;
  }
  bool verbose = ctx.options().verbose;
  TokenList& o = ctx.out();
  auto mask = load<std::uint32_t>(b + 0);
  auto u32 = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.uint_(load<std::uint32_t>(b + off));
  };
  auto u64 = [&](std::string_view name, std::size_t off) {
    o.field(name);
    o.uint_(load<std::uint64_t>(b + off));
  };
  auto id = [&](std::string_view name, std::size_t off) {
    auto v = load<std::uint32_t>(b + off);
    o.field(name);
    if (v == 0xffffffffu) {
      o.int_(-1);
    } else {
      o.uint_(v);
    }
  };
  o.begin_struct();
  o.field("stx_mask");
  flags(ctx, "statx_mask", mask);
  if (verbose) u32("stx_blksize", 4);
  o.field("stx_attributes");
  flags(ctx, "statx_attrs", load<std::uint64_t>(b + 8));
  if (verbose) {
    if (mask & kNlink) u32("stx_nlink", 16);
    if (mask & kUid) id("stx_uid", 20);
    if (mask & kGid) id("stx_gid", 24);
  }
  if (mask & kTypeMode) {
    o.field("stx_mode");
    symbolic_mode(ctx, load<std::uint16_t>(b + 28));
  }
  if (verbose && (mask & kIno)) u64("stx_ino", 32);
  if (mask & kSize) u64("stx_size", 40);
  if (verbose) {
    if (mask & kBlocks) u64("stx_blocks", 48);
    o.field("stx_attributes_mask");
    flags(ctx, "statx_attrs", load<std::uint64_t>(b + 56));
    if (mask & kAtime) statx_time(ctx, "stx_atime", b + 64);
    if (mask & kBtime) statx_time(ctx, "stx_btime", b + 80);
    if (mask & kCtime) statx_time(ctx, "stx_ctime", b + 96);
    if (mask & kMtime) statx_time(ctx, "stx_mtime", b + 112);
    u32("stx_rdev_major", 128);
    u32("stx_rdev_minor", 132);
    u32("stx_dev_major", 136);
    u32("stx_dev_minor", 140);
    if (mask & kMntId) {
      o.field("stx_mnt_id");
      o.hex(load<std::uint64_t>(b + 144));
    }
    if (mask & kDioAlign) {
      u32("stx_dio_mem_align", 152);
      u32("stx_dio_offset_align", 156);
    }
  }
  o.end_struct(!verbose);
}

void print_statfs(DecodeCtx& ctx, std::uint64_t addr) {
  StatfsInfo f{};
  if (ctx.word_size() == 8) {
    // x86_64: every field a long; the fsid two ints.
    unsigned char b[120];
    if (!ctx.read(addr, b, sizeof b)) {
      ctx.pointer(addr);
      return;
    }
    auto w = [&](std::size_t i) { return load<std::uint64_t>(b + 8 * i); };
    f = {w(0),
         w(1),
         w(2),
         w(3),
         w(4),
         w(5),
         w(6),
         load<std::uint32_t>(b + 56),
         load<std::uint32_t>(b + 60),
         w(8),
         w(9),
         w(10)};
  } else {
    unsigned char b[64];  // i386: every field 32 bits
    if (!ctx.read(addr, b, sizeof b)) {
      ctx.pointer(addr);
      return;
    }
    auto w = [&](std::size_t i) { return std::uint64_t{load<std::uint32_t>(b + 4 * i)}; };
    f = {w(0), w(1), w(2), w(3), w(4), w(5), w(6), w(7), w(8), w(9), w(10), w(11)};
  }
  emit_statfs(ctx, f);
}

void print_statfs64(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  // struct statfs64: 84 bytes on i386 (packed to 4), 120 on x86_64 (where statfs64 is absent).
  std::size_t expect = ctx.word_size() == 8 ? 120 : 84;
  if (size != expect) {
    ctx.pointer(addr);
    return;
  }
  if (ctx.word_size() == 8) {
    print_statfs(ctx, addr);
    return;
  }
  unsigned char b[84];
  if (!ctx.read(addr, b, sizeof b)) {
    ctx.pointer(addr);
    return;
  }
  auto w32 = [&](std::size_t off) { return std::uint64_t{load<std::uint32_t>(b + off)}; };
  auto w64 = [&](std::size_t off) { return load<std::uint64_t>(b + off); };
  StatfsInfo f{w32(0),  w32(4),  w64(8),  w64(16), w64(24), w64(32),
               w64(40), w32(48), w32(52), w32(56), w32(60), w32(64)};
  emit_statfs(ctx, f);
}

void decode_statx(DecodeCtx& ctx) {
  constexpr std::uint64_t kSyncType = 0x6000;  // AT_STATX_SYNC_TYPE
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    ctx.arg(0);
    ctx.dirfd(ctx.s(0));
    ctx.arg(1);
    ctx.path(ctx.u(1));
    // The sync type is a two-bit field: strace prints it (AT_STATX_SYNC_AS_STAT when 0) before
    // the AT_* flags, all in one group.
    ctx.arg(2);
    auto fl = static_cast<std::uint32_t>(ctx.u(2));
    TokenList& o = ctx.out();
    o.begin_flags();
    // Names the bits of `part` that `table` knows and drops them from `rest`.
    std::uint64_t rest = fl;
    auto name_bits = [&](std::string_view table, std::uint64_t part) {
      const Xlat* x = find_xlat(table);
      if (x == nullptr) return;
      for (const XlatEntry& e : x->entries) {
        if (e.value != 0 && (part & e.value) == e.value) {
          o.name(e.name, e.value);
          part &= ~e.value;
          rest &= ~e.value;
        }
      }
    };
    if ((fl & kSyncType) == 0) {
      o.name("AT_STATX_SYNC_AS_STAT", 0);
    } else {
      name_bits("at_statx_sync", fl & kSyncType);
    }
    name_bits("at_flags", rest & ~kSyncType);
    if (rest != 0) o.hex(rest);
    o.end_flags();
    ctx.arg(3);
    flags(ctx, "statx_mask", static_cast<std::uint32_t>(ctx.u(3)));
    return;
  }
  ctx.arg(4);
  ctx.structure("statx", ctx.u(4), true);
}

void decode_statfs64(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    ctx.arg(0);
    ctx.generic(0);  // the path of statfs64, the fd of fstatfs64
    ctx.arg(1);
    ctx.out().uint_(ctx.u(1));
    return;
  }
  ctx.arg(2);
  std::uint64_t addr = ctx.u(2);
  if (addr == 0 || ctx.failed()) {
    ctx.pointer(addr);
    return;
  }
  print_statfs64(ctx, addr, ctx.u(1));
}

}  // namespace ptk::sys::ffam

namespace ptk::sys::ffam {

// ustat(dev, ubuf): dev is the kernel's 32-bit device encoding; the struct is an output.
void decode_ustat(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    device(ctx, static_cast<std::uint32_t>(ctx.u(0)));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  ctx.structure("ustat", ctx.u(1), true);
}

}  // namespace ptk::sys::ffam
