// mount(2), umount2(2) and the new mount API: fsopen, fsconfig, fsmount, fspick, open_tree,
// move_mount, mount_setattr.
#include <limits>

#include "arg_util.h"
#include "decoders/process/process_util.h"
#include "families.h"
#include "struct_ext.h"

namespace ptk::sys {
namespace {

using afam::dirfd_arg;
using afam::fd_arg;
using afam::flags32_arg;
using afam::path_arg;
using afam::u32;

constexpr std::uint64_t kMsRemount = 0x20;
constexpr std::uint64_t kMsBind = 0x1000;
constexpr std::uint64_t kMsMove = 0x2000;
constexpr std::uint64_t kMsPropagation = 0x20000 | 0x40000 | 0x80000 | 0x100000;
constexpr std::uint64_t kMsMgcMask = 0xffff0000;
constexpr std::uint64_t kMsMgcVal = 0xc0ed0000;

void decode_mount(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  std::uint64_t fl = ctx.u(3);
  // Before Linux 2.4 the upper half had to be a magic number; the kernel still drops it.
  bool magic = (fl & kMsMgcMask) == kMsMgcVal;
  if (magic) fl &= ~kMsMgcMask;
  // The kernel ignores the type of a remount, and the type and data of bind, move and
  // propagation changes: strace shows those as addresses.
  bool skip_type = (fl & (kMsRemount | kMsBind | kMsMove | kMsPropagation)) != 0;
  bool skip_data = (fl & kMsRemount) == 0 && skip_type;
  path_arg(ctx, 0);
  path_arg(ctx, 1);
  ctx.arg(2);
  if (skip_type) {
    ctx.out().ptr(ctx.u(2));
  } else {
    ctx.string(ctx.u(2));
  }
  ctx.arg(3);
  TokenList& o = ctx.out();
  if (magic) {
    // strace: MS_MGC_VAL, then the flags as their own group when any are left.
    o.name("MS_MGC_VAL", kMsMgcVal, kHexValue);
    if (fl != 0) {
      o.raw("|");
      afam::xflags(o, "mount_flags", fl, "MS_???");
    }
  } else {
    afam::xflags(o, "mount_flags", fl, "MS_???");
  }
  ctx.arg(4);
  if (skip_data) {
    o.ptr(ctx.u(4));
  } else {
    ctx.string(ctx.u(4));
  }
}

void decode_umount2(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  path_arg(ctx, 0);
  flags32_arg(ctx, 1, "umount_flags", "MNT_???");
}

void decode_fsopen(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.string(ctx.u(0));
  flags32_arg(ctx, 1, "fsopen_flags", "FSOPEN_???");
}

void decode_fsmount(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  fd_arg(ctx, 0);
  flags32_arg(ctx, 1, "fsmount_flags", "FSMOUNT_???");
  flags32_arg(ctx, 2, "mount_attr_flags", "MOUNT_ATTR_???");
}

void decode_fspick(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  dirfd_arg(ctx, 0);
  path_arg(ctx, 1);
  flags32_arg(ctx, 2, "fspick_flags", "FSPICK_???");
}

void decode_open_tree(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  dirfd_arg(ctx, 0);
  path_arg(ctx, 1);
  flags32_arg(ctx, 2, "open_tree_flags", "OPEN_TREE_???");
}

void decode_move_mount(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  dirfd_arg(ctx, 0);
  path_arg(ctx, 1);
  dirfd_arg(ctx, 2);
  path_arg(ctx, 3);
  flags32_arg(ctx, 4, "move_mount_flags", "MOVE_MOUNT_???");
}

enum FsconfigCmd : std::uint32_t {
  kSetFlag = 0,
  kSetString,
  kSetBinary,
  kSetPath,
  kSetPathEmpty,
  kSetFd,
};

void decode_fsconfig(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  // The kernel copies keys and string values of at most 256 bytes, the NUL included.
  constexpr std::uint64_t kMaxParam = 256;
  constexpr std::int32_t kMaxBinary = 1024 * 1024;
  std::uint32_t cmd = u32(ctx, 1);
  std::uint64_t key = ctx.u(2), value = ctx.u(3);
  auto aux = static_cast<std::int32_t>(ctx.u(4));
  TokenList& o = ctx.out();
  fd_arg(ctx, 0);
  afam::xval32_arg(ctx, 1, "fsconfig_cmd", "FSCONFIG_???");
  ctx.arg(2);
  if (cmd <= kSetFd) {
    afam::bounded_string(ctx, key, kMaxParam);
  } else {
    o.ptr(key);
  }
  ctx.arg(3);
  if (cmd == kSetString) {
    afam::bounded_string(ctx, value, kMaxParam);
  } else if (cmd == kSetPath || cmd == kSetPathEmpty) {
    ctx.path(value);
  } else if (cmd == kSetBinary && aux >= 0 && aux <= kMaxBinary) {
    afam::hex_buffer(ctx, value, static_cast<std::uint64_t>(aux));
  } else {
    o.ptr(value);
  }
  ctx.arg(4);
  if (cmd == kSetPath || cmd == kSetPathEmpty) {
    ctx.dirfd(aux);
  } else if (cmd == kSetFd) {
    afam::plain_fd(ctx, aux);
  } else {
    o.int_(aux);
  }
}

// struct mount_attr (linux/mount.h): u64 attr_set, attr_clr, propagation, userns_fd.
void print_mount_attr(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  constexpr std::uint64_t kSizeVer0 = 32;
  constexpr std::uint64_t kAttrIdmap = 0x100000;
  std::uint64_t a[4];
  if (addr == 0 || size < kSizeVer0 || !ctx.read(addr, a)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("attr_set");
  afam::xflags(o, "mount_attr_attr", a[0], "MOUNT_ATTR_???");
  o.field("attr_clr");
  afam::xflags(o, "mount_attr_attr", a[1], "MOUNT_ATTR_???");
  o.field("propagation");
  afam::xval(o, "mount_attr_propagation", a[2], "MS_???");
  o.field("userns_fd");
  // A descriptor only when an idmapping asks the kernel to look at it.
  if (a[3] <= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max()) &&
      ((a[0] | a[1]) & kAttrIdmap) != 0) {
    ctx.fd(static_cast<std::int64_t>(a[3]));
  } else {
    o.uint_(a[3]);
  }
  struct_ext_tail(ctx, addr, kSizeVer0, size);
  o.end_struct();
}

void decode_mount_setattr(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  dirfd_arg(ctx, 0);
  path_arg(ctx, 1);
  flags32_arg(ctx, 2, "mount_setattr_flags", "AT_???");
  ctx.arg(3);
  print_mount_attr(ctx, ctx.u(3), ctx.u(4));
  ctx.arg(4);
  ctx.out().uint_(ctx.u(4));
}

template <DecoderFn F>
void entry_only(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = false;
    ctx.syscall().priv = 0;
  }
  F(ctx);
}

constexpr DecoderEntry kDecoders[] = {
    {"fsconfig", entry_only<decode_fsconfig>},
    {"fsmount", entry_only<decode_fsmount>},
    {"fsopen", entry_only<decode_fsopen>},
    {"fspick", entry_only<decode_fspick>},
    {"mount", entry_only<decode_mount>},
    {"mount_setattr", entry_only<decode_mount_setattr>},
    {"move_mount", entry_only<decode_move_mount>},
    {"open_tree", entry_only<decode_open_tree>},
    {"umount2", entry_only<decode_umount2>},
};

}  // namespace

Family mount_family() { return {kDecoders, {}}; }

}  // namespace ptk::sys
