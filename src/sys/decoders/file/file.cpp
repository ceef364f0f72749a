// Decoders of the file family: paths, the open and stat families, directories, permissions,
// file times and statfs. Struct printers and the larger decoders live in file_*.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "decoders/families.h"
#include "decoders/struct_ext.h"
#include "file_internal.h"
#include "file_util.h"

namespace ptk::sys {
namespace ffam {
namespace {

constexpr std::size_t kPathMax = 4096;

// open(pathname, flags[, mode]) and the tail of openat: the mode shows only when the flags make
// the kernel use it (O_CREAT, O_TMPFILE).
void open_tail(DecodeCtx& ctx, int first) {
  ctx.arg(first);
  ctx.path(ctx.u(first));
  ctx.arg(first + 1);
  std::uint64_t fl = static_cast<std::uint32_t>(ctx.u(first + 1));
  open_flags(ctx, fl);
  if (open_takes_mode(fl)) {
    ctx.arg(first + 2);
    umode(ctx, ctx.u(first + 2));
  }
}

void decode_open(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  open_tail(ctx, 0);
}

void decode_openat(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  ctx.arg(0);
  ctx.dirfd(ctx.s(0));
  open_tail(ctx, 1);
}

// struct open_how (include/uapi/linux/openat2.h): flags, mode, resolve, all u64; the kernel
// accepts larger (extended) structs whose extra bytes are zero, and strace shows nonzero ones.
void print_open_how(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  constexpr std::size_t kMinSize = 24;
  unsigned char b[kMinSize];
  if (addr == 0 || size < kMinSize || !ctx.read(addr, b, kMinSize)) {
    ctx.pointer(addr);
    return;
  }
  auto fl = load<std::uint64_t>(b);
  auto mode = load<std::uint64_t>(b + 8);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("flags");
  open_flags(ctx, fl);
  if (open_takes_mode(fl) || mode != 0) {
    o.field("mode");
    o.oct(mode);
  }
  o.field("resolve");
  flags(ctx, "open_resolve_flags", load<std::uint64_t>(b + 16));
  struct_ext_tail(ctx, addr, kMinSize, size);
  o.end_struct();
}

void decode_openat2(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  ctx.arg(0);
  ctx.dirfd(ctx.s(0));
  ctx.arg(1);
  ctx.path(ctx.u(1));
  ctx.arg(2);
  print_open_how(ctx, ctx.u(2), ctx.u(3));
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
}

// mknod(pathname, mode[, dev]) and mknodat: the device only for character and block nodes.
void mknod_tail(DecodeCtx& ctx, int first) {
  constexpr std::uint32_t kFmt = 0170000, kChr = 0020000, kBlk = 0060000;
  ctx.arg(first);
  ctx.path(ctx.u(first));
  ctx.arg(first + 1);
  auto mode = static_cast<std::uint32_t>(ctx.u(first + 1) & 0xffff);  // umode_t
  symbolic_mode(ctx, mode);
  if ((mode & kFmt) == kChr || (mode & kFmt) == kBlk) {
    ctx.arg(first + 2);
    device(ctx, static_cast<std::uint32_t>(ctx.u(first + 2)));  // the kernel's unsigned dev
  }
}

void decode_mknod(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  mknod_tail(ctx, 0);
}

void decode_mknodat(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  ctx.arg(0);
  ctx.dirfd(ctx.s(0));
  mknod_tail(ctx, 1);
}

// getcwd(buf, size): the returned length counts the NUL; strace shows the path without it,
// uncut by -s like any path.
void decode_getcwd(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(0);
  std::uint64_t addr = ctx.u(0);
  if (ctx.failed() || addr == 0 || ctx.ret() <= 0) {
    ctx.pointer(addr);
  } else {
    std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(ctx.ret()) - 1, kPathMax - 1);
    auto s = ctx.memory().read_string(RemoteAddr(addr), n + 1);
    if (!s.ok()) {
      ctx.pointer(addr);
    } else {
      ctx.out().str(s->bytes, s->terminated ? 0 : kTruncated);
    }
  }
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
}

// struct file_handle: handle_bytes, handle_type, then handle_bytes opaque bytes (at most
// MAX_HANDLE_SZ of which strace shows, always in \x form).
void file_handle_tail(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t bytes, std::int32_t type) {
  constexpr std::uint32_t kMaxHandle = 128;
  TokenList& o = ctx.out();
  o.field("handle_type");
  o.int_(type);
  o.field("f_handle");
  std::uint32_t n = std::min(bytes, kMaxHandle);
  std::string raw(n, '\0');
  if (n != 0 && !ctx.read(addr + 8, raw.data(), n)) {
    o.raw("???");
  } else {
    o.raw(hex_string(raw, bytes > n));
  }
}

// name_to_handle_at: the kernel rewrites handle_bytes (and says how many it needs on
// EOVERFLOW): strace shows "handle_bytes=128 => 8". The entry value waits in priv.
void decode_name_to_handle_at(DecodeCtx& ctx) {
  constexpr std::uint64_t kUnread = ~std::uint64_t{0};
  constexpr std::int64_t kEoverflow = 75;
  std::uint64_t addr = ctx.u(2);
  std::uint32_t hdr[2];
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.dirfd(ctx.s(0));
    ctx.arg(1);
    ctx.path(ctx.u(1));
    if (!ctx.read(addr, hdr)) {
      // Nothing to show at exit: the whole call now.
      ctx.syscall().priv = kUnread;
      ctx.syscall().more_at_exit = false;
      ctx.arg(2);
      ctx.pointer(addr);
      ctx.arg(3);
      ctx.pointer(ctx.u(3));
      ctx.arg(4);
      flags(ctx, "at_flags", static_cast<std::uint32_t>(ctx.u(4)));
      return;
    }
    ctx.syscall().priv = hdr[0];
    ctx.syscall().more_at_exit = true;
    return;
  }
  if (ctx.syscall().priv == kUnread) return;
  auto before = static_cast<std::uint32_t>(ctx.syscall().priv);
  TokenList& o = ctx.out();
  ctx.arg(2);
  o.begin_struct();
  o.field("handle_bytes");
  bool ok = !ctx.failed() || ctx.ret() == -kEoverflow;
  if (ok && ctx.read(addr, hdr)) {
    if (hdr[0] != before) {
      o.raw_number(fmt::format("{} => {}", before, hdr[0]), hdr[0]);
    } else {
      o.uint_(before);
    }
    if (!ctx.failed()) file_handle_tail(ctx, addr, hdr[0], static_cast<std::int32_t>(hdr[1]));
  } else {
    o.uint_(before);
  }
  o.end_struct();
  ctx.arg(3);
  std::int32_t mount_id = 0;
  if (ctx.failed() || ctx.u(3) == 0 || !ctx.read(ctx.u(3), mount_id)) {
    ctx.pointer(ctx.u(3));
  } else {
    o.begin_array();
    o.int_(mount_id);
    o.end_array();
  }
  ctx.arg(4);
  flags(ctx, "at_flags", static_cast<std::uint32_t>(ctx.u(4)));
}

void decode_open_by_handle_at(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.syscall().more_at_exit = false;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  std::uint64_t addr = ctx.u(1);
  std::uint32_t hdr[2];
  if (!ctx.read(addr, hdr)) {
    ctx.pointer(addr);
  } else {
    TokenList& o = ctx.out();
    o.begin_struct();
    o.field("handle_bytes");
    o.uint_(hdr[0]);
    file_handle_tail(ctx, addr, hdr[0], static_cast<std::int32_t>(hdr[1]));
    o.end_struct();
  }
  ctx.arg(2);
  open_flags(ctx, static_cast<std::uint32_t>(ctx.u(2)));
}

constexpr DecoderEntry kDecoders[] = {
    {"access", decode_table_args},
    {"chmod", decode_table_args},
    {"creat", decode_table_args},
    {"faccessat", decode_table_args},
    {"faccessat2", decode_table_args},
    {"fchmod", decode_table_args},
    {"fchmodat", decode_table_args},
    {"fchownat", decode_table_args},
    {"fgetxattr", decode_getxattr},
    {"flistxattr", decode_listxattr},
    {"fsetxattr", decode_setxattr},
    {"fstatat64", decode_table_args},
    {"fstatfs64", decode_statfs64},
    {"getcwd", decode_getcwd},
    {"getdents", decode_getdents},
    {"getdents64", decode_getdents64},
    {"getxattr", decode_getxattr},
    {"lgetxattr", decode_getxattr},
    {"linkat", decode_table_args},
    {"listxattr", decode_listxattr},
    {"llistxattr", decode_listxattr},
    {"lsetxattr", decode_setxattr},
    {"mkdir", decode_table_args},
    {"mkdirat", decode_table_args},
    {"mknod", decode_mknod},
    {"mknodat", decode_mknodat},
    {"mq_open", decode_mq_open},
    {"swapon", decode_swapon},
    {"ustat", decode_ustat},
    {"name_to_handle_at", decode_name_to_handle_at},
    {"newfstatat", decode_table_args},
    {"open", decode_open},
    {"openat", decode_openat},
    {"openat2", decode_openat2},
    {"open_by_handle_at", decode_open_by_handle_at},
    {"renameat2", decode_table_args},
    {"setxattr", decode_setxattr},
    {"statfs64", decode_statfs64},
    {"statx", decode_statx},
    {"unlinkat", decode_table_args},
    {"utimensat", decode_table_args},
    {"utimensat_time64", decode_table_args},
};

constexpr StructEntry kStructs[] = {
    {"__old_kernel_stat", print_old_stat},
    {"mq_attr", print_mq_attr},
    {"mq_attr_open", print_mq_attr_open},
    {"stat", print_stat},
    {"stat64", print_stat64},
    {"statfs", print_statfs},
    {"statx", print_statx},
    {"timespec64_pair", print_timespec64_pair},
    {"timespec_pair", print_timespec_pair},
    {"timeval_pair", print_timeval_pair},
    {"utimbuf", print_utimbuf},
};

}  // namespace
}  // namespace ffam

Family file_family() { return {ffam::kDecoders, ffam::kStructs}; }

}  // namespace ptk::sys
