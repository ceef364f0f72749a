// landlock_create_ruleset, landlock_add_rule, landlock_restrict_self.
#include "decoders/arg_util.h"
#include "misc_decoders.h"

namespace ptk::sys {

void decode_landlock_create_ruleset(DecodeCtx& ctx) {
  constexpr std::uint64_t kAttrSize = 8;  // struct landlock_ruleset_attr: u64 handled_access_fs
  constexpr std::uint32_t kVersion = 1;   // LANDLOCK_CREATE_RULESET_VERSION
  std::uint64_t addr = ctx.u(0), size = ctx.u(1);
  TokenList& o = ctx.out();
  ctx.arg(0);
  std::uint64_t access = 0;
  if (addr == 0 || size < kAttrSize || !ctx.read(addr, access)) {
    o.ptr(addr);
  } else {
    o.begin_struct();
    o.field("handled_access_fs");
    afam::xflags(o, "landlock_access_fs", access, "LANDLOCK_ACCESS_FS_???");
    o.end_struct(size > kAttrSize);  // fields this decoder does not know
  }
  ctx.arg(1);
  o.uint_(size);
  afam::flags32_arg(ctx, 2, "landlock_create_ruleset_flags", "LANDLOCK_CREATE_RULESET_???");
  // Asking for the ABI version returns a number, not a descriptor.
  if (afam::u32(ctx, 2) & kVersion) ctx.syscall().ret_type = RetType::Int;
}

void decode_landlock_add_rule(DecodeCtx& ctx) {
  constexpr std::uint32_t kPathBeneath = 1;
  afam::fd_arg(ctx, 0);
  afam::xval32_arg(ctx, 1, "landlock_rule_type", "LANDLOCK_RULE_???");
  ctx.arg(2);
  std::uint64_t addr = ctx.u(2);
  TokenList& o = ctx.out();
  // struct landlock_path_beneath_attr (packed): u64 allowed_access; s32 parent_fd.
  unsigned char b[12];
  if (afam::u32(ctx, 1) != kPathBeneath || addr == 0 || !ctx.read(addr, b, sizeof b)) {
    o.ptr(addr);
  } else {
    std::uint64_t access;
    std::int32_t fd;
    __builtin_memcpy(&access, b, sizeof access);
    __builtin_memcpy(&fd, b + 8, sizeof fd);
    o.begin_struct();
    o.field("allowed_access");
    afam::xflags(o, "landlock_access_fs", access, "LANDLOCK_ACCESS_FS_???");
    o.field("parent_fd");
    afam::plain_fd(ctx, fd);
    o.end_struct();
  }
  ctx.arg(3);
  o.hex(afam::u32(ctx, 3));
}

void decode_landlock_restrict_self(DecodeCtx& ctx) {
  afam::fd_arg(ctx, 0);
  ctx.arg(1);
  ctx.out().hex(afam::u32(ctx, 1));
}

void decode_userfaultfd(DecodeCtx& ctx) { afam::flags32_arg(ctx, 0, "uffd_flags", "UFFD_???"); }

void decode_memfd_secret(DecodeCtx& ctx) { afam::flags32_arg(ctx, 0, "memfd_secret_flags", ""); }

}  // namespace ptk::sys
