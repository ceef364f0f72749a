// '!' requests: seccomp user notification descriptors (linux/seccomp.h).
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "decoders/ioctl/ioctl.h"
#include "ptk/arch/arch.h"
#include "ptk/arch/syscalls.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kRecv = 0xc0502100;
constexpr std::uint32_t kSend = 0xc0182101;
constexpr std::uint32_t kIdValid = 0x40082102;
// The number 5.0-5.7 headers gave SECCOMP_IOCTL_NOTIF_ID_VALID (_IOR instead of _IOW).
constexpr std::uint32_t kIdValidWrongDir = 0x80082102;
constexpr std::uint32_t kAddFd = 0x40182103;

struct Notif {  // struct seccomp_notif with its struct seccomp_data
  std::uint64_t id;
  std::uint32_t pid;
  std::uint32_t flags;
  std::int32_t nr;
  std::uint32_t arch;
  std::uint64_t instruction_pointer;
  std::uint64_t args[6];
};
struct Resp {
  std::uint64_t id;
  std::int64_t val;
  std::int32_t error;
  std::uint32_t flags;
};
struct AddFd {
  std::uint64_t id;
  std::uint32_t flags;
  std::uint32_t srcfd;
  std::uint32_t newfd;
  std::uint32_t newfd_flags;
};
static_assert(sizeof(Notif) == 80 && sizeof(Resp) == 24 && sizeof(AddFd) == 24);

void notif(DecodeCtx& ctx, const Notif& n) {
  TokenList& o = ctx.out();
  o.begin_struct();
  field_x(o, "id", n.id);
  o.field("pid");
  ctx.pid(static_cast<std::int32_t>(n.pid), PidKind::Tgid);  // -Y names it, pidns translates
  field_x(o, "flags", n.flags);
  o.field("data");
  o.begin_struct();
  o.field("nr");
  // Named only on an architecture ptk knows (strace: the number for any other).
  std::optional<Arch> arch = arch_from_audit(n.arch);
  const SyscallSpec* spec = arch ? find_syscall(*arch, n.nr) : nullptr;
  if (spec != nullptr) {
    o.name(fmt::format("__NR_{}", spec->name), static_cast<std::uint32_t>(n.nr));
  } else {
    o.uint_(static_cast<std::uint32_t>(n.nr));
  }
  o.field("arch");
  val(o, "audit_arch", n.arch, "AUDIT_ARCH_???");
  o.field("instruction_pointer");
  o.ptr(n.instruction_pointer);
  o.field("args");
  o.begin_array();
  for (std::uint64_t a : n.args) o.hex(a);
  o.end_array();
  o.end_struct();
  o.end_struct();
}

// RECV: the kernel fills the struct, which the caller must zero; a struct that is not all
// zeros at entry is shown then too.
Res recv(DecodeCtx& ctx, std::uint64_t arg) {
  if (ctx.entering()) ctx.arg(2);
  Notif n;
  if (!fetch(ctx, arg, n)) return Res::Done;
  if (ctx.entering()) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&n);
    if (std::all_of(bytes, bytes + sizeof n, [](unsigned char b) { return b == 0; }))
      return Res::Exit;
    notif(ctx, n);
    ctx.out().raw(" => ");
    return Res::Exit;
  }
  notif(ctx, n);
  return Res::Done;
}

}  // namespace

Res seccomp(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  if (code == kRecv) return recv(ctx, arg);
  TokenList& o = ctx.out();
  switch (code) {
    case kSend: {
      ctx.arg(2);
      Resp r;
      if (!fetch(ctx, arg, r)) return Res::Done;
      o.begin_struct();
      field_x(o, "id", r.id);
      field_i(o, "val", r.val);
      o.field("error");
      std::string_view e = r.error < 0 ? errno_name(-r.error) : std::string_view();
      if (e.empty()) {
        o.int_(r.error);
      } else {
        o.name(fmt::format("-{}", e), static_cast<std::uint64_t>(std::int64_t{r.error}));
      }
      o.field("flags");
      flags(o, "seccomp_resp_flags", r.flags, "SECCOMP_USER_NOTIF_FLAG_???");
      o.end_struct();
      return Res::Done;
    }
    case kIdValid:
    case kIdValidWrongDir: {
      ctx.arg(2);
      std::uint64_t id = 0;
      if (fetch(ctx, arg, id)) {
        o.begin_array();
        o.hex(id);
        o.end_array();
      }
      return Res::Done;
    }
    case kAddFd: {
      ctx.arg(2);
      AddFd a;
      if (!fetch(ctx, arg, a)) return Res::Done;
      o.begin_struct();
      field_x(o, "id", a.id);
      o.field("flags");
      flags(o, "seccomp_addfd_flags", a.flags, "SECCOMP_ADDFD_FLAG_???");
      o.field("srcfd");
      ctx.fd(static_cast<std::int32_t>(a.srcfd));
      field_i(o, "newfd", static_cast<std::int32_t>(a.newfd));
      o.field("newfd_flags");
      flags(o, "open_flags", a.newfd_flags, "O_???");
      o.end_struct();
      return Res::Done;
    }
    default:
      return Res::Hex;
  }
}

}  // namespace ptk::sys::ioctl
