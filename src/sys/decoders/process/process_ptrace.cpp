// ptrace: the request decides which of pid, addr and data follow and how they read; what the
// kernel writes back (PEEK*, GETSIGINFO, GET_SYSCALL_INFO, ...) is shown at exit.
#include <fmt/format.h>

#include <cstring>

#include "ptk/sys/siginfo.h"

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// The requests the decoder treats apart (linux/ptrace.h, asm/ptrace-abi.h of x86).
enum : std::uint64_t {
  kTraceme = 0,
  kPeektext = 1,
  kPeekdata = 2,
  kPeekuser = 3,
  kCont = 7,
  kKill = 8,
  kSinglestep = 9,
  kGetregs = 12,
  kSetregs = 13,
  kGetfpregs = 14,
  kSetfpregs = 15,
  kAttach = 0x10,
  kDetach = 0x11,
  kOldSetoptions = 0x15,
  kSyscall = 0x18,
  kSysemu = 0x1f,
  kSysemuSinglestep = 0x20,
  kSingleblock = 0x21,
  kSetoptions = 0x4200,
  kGeteventmsg = 0x4201,
  kGetsiginfo = 0x4202,
  kSetsiginfo = 0x4203,
  kGetregset = 0x4204,
  kSetregset = 0x4205,
  kSeize = 0x4206,
  kInterrupt = 0x4207,
  kListen = 0x4208,
  kPeeksiginfo = 0x4209,
  kGetsigmask = 0x420a,
  kSetsigmask = 0x420b,
  kSeccompGetFilter = 0x420c,
  kSeccompGetMetadata = 0x420d,
  kGetSyscallInfo = 0x420e,
};

// struct ptrace_syscall_info (Linux 5.3): the sizes at which each part is complete.
struct SyscallInfo {
  std::uint8_t op;
  std::uint8_t pad[3];
  std::uint32_t arch;
  std::uint64_t instruction_pointer;
  std::uint64_t stack_pointer;
  std::uint64_t nr_or_rval;  // entry.nr, seccomp.nr, exit.rval
  std::uint64_t args[6];     // exit.is_error is the first byte of args[0]
  std::uint32_t ret_data;    // seccomp only
};
constexpr std::size_t kInfoArgs = 32;     // offsetof(entry.args)
constexpr std::size_t kExitSize = 33;     // offsetofend(exit.is_error)
constexpr std::size_t kSeccompSize = 84;  // offsetofend(seccomp.ret_data)
enum : std::uint8_t { kOpEntry = 1, kOpExit = 2, kOpSeccomp = 3 };

// strace's printxval64: the name, or the number with its unknown placeholder, both in hex
// under -X raw.
void xval_hex(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  std::string_view n = pfam::xlat_lookup(table, v);
  if (!n.empty()) {
    o.name_hex(n, v);
    return;
  }
  o.hex(v);
  o.xlat_note(unknown);
}

// A syscall number of the given audit arch: __NR_name (-X verbose: the number and the name).
void syscall_nr(TokenList& o, std::uint64_t nr, std::uint32_t audit_arch) {
  std::optional<Arch> arch = arch_from_audit(audit_arch);
  const SyscallSpec* spec =
      arch && nr <= 0xffff ? find_syscall(*arch, static_cast<std::int64_t>(nr)) : nullptr;
  if (spec == nullptr) {
    o.uint_(nr);
    return;
  }
  std::string name = "__NR_";
  name += spec->name;
  o.name(name, nr);
}

void syscall_info(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t user_len) {
  TokenList& o = ctx.out();
  // What the kernel wrote: the smaller of its size (the return value) and the buffer's.
  std::uint64_t kernel_len = ctx.failed() ? ~0ull : static_cast<std::uint64_t>(ctx.ret());
  std::size_t size = static_cast<std::size_t>(
      std::min<std::uint64_t>({user_len, kernel_len, std::uint64_t{kSeccompSize}}));
  SyscallInfo info{};
  if (size == 0 || !ctx.read(addr, &info, size)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("op");
  xval_hex(o, "ptrace_syscall_info_op", info.op, "PTRACE_SYSCALL_INFO_???");
  if (size >= 8) {
    o.field("arch");
    xval_hex(o, "audit_arch", info.arch, "AUDIT_ARCH_???");
  }
  if (size >= 16) {
    o.field("instruction_pointer");
    o.ptr(info.instruction_pointer);
  }
  if (size >= 24) {
    o.field("stack_pointer");
    o.ptr(info.stack_pointer);
  }
  if (size >= kInfoArgs) {
    if (info.op == kOpEntry || info.op == kOpSeccomp) {
      o.field(info.op == kOpEntry ? "entry" : "seccomp");
      o.begin_struct();
      o.field("nr");
      syscall_nr(o, info.nr_or_rval, info.arch);
      std::size_t nargs = std::min<std::size_t>((size - kInfoArgs) / 8, 6);
      if (nargs != 0) {
        o.field("args");
        o.begin_array();
        for (std::size_t i = 0; i < nargs; ++i) o.hex(info.args[i]);
        o.end_array();
      }
      if (info.op == kOpSeccomp && size >= kSeccompSize) {
        o.field("ret_data");
        o.uint_(info.ret_data);
      }
      o.end_struct();
    } else if (info.op == kOpExit) {
      o.field("exit");
      o.begin_struct();
      o.field("rval");
      auto rval = static_cast<std::int64_t>(info.nr_or_rval);
      bool is_error = size >= kExitSize && (info.args[0] & 0xff) != 0;
      std::string_view e = is_error && rval < 0 && rval > -4096
                               ? errno_name(static_cast<int>(-rval))
                               : std::string_view();
      if (!e.empty()) {
        o.name("-" + std::string(e), static_cast<std::uint64_t>(rval));
      } else {
        o.int_(rval);
      }
      if (size >= kExitSize) {
        o.field("is_error");
        o.uint_(info.args[0] & 0xff);
      }
      o.end_struct();
    }
  }
  o.end_struct();
}

// PTRACE_SETOPTIONS's and PTRACE_SEIZE's options; bits no name takes alone are a number with
// a placeholder -X raw leaves out.
void options(TokenList& o, std::uint64_t v) {
  TokenList probe;
  probe.begin_flags();
  if (v != 0 && pfam::xflags_names(probe, "ptrace_setoptions_flags", v) == v) {
    o.hex(v);
    o.xlat_note("PTRACE_O_???");
    return;
  }
  pfam::xflags(o, "ptrace_setoptions_flags", v, "PTRACE_O_???");
}

constexpr std::uint64_t kNtPrstatus = 1, kNtFpregset = 2;
constexpr std::uint64_t kUserRegsSize = 27 * 8, kUserFpregsSize = 512;

void regset(DecodeCtx& ctx, std::uint64_t nt, std::uint64_t addr, std::uint64_t size) {
  if (nt == kNtPrstatus) {
    print_prstatus_regset(ctx, addr, size);
  } else if (nt == kNtFpregset) {
    print_fpregset(ctx, addr, size);
  } else {
    ctx.out().ptr(addr);
  }
}

struct Iovec {
  std::uint64_t base = 0, len = 0;
};

bool read_iovec(DecodeCtx& ctx, std::uint64_t addr, Iovec& iov) {
  if (ctx.word_size() == 8) return ctx.read(addr, &iov, sizeof iov);
  std::uint32_t v[2];
  if (!ctx.read(addr, v)) return false;
  iov = {v[0], v[1]};
  return true;
}

// GETREGSET and SETREGSET at exit: {iov_base=the registers, iov_len=the length, "N => M"
// when the kernel cut it}; the caller's length was kept in priv at entry.
void regset_iovec(DecodeCtx& ctx, std::uint64_t nt, std::uint64_t addr, bool get) {
  TokenList& o = ctx.out();
  Iovec iov;
  if (!read_iovec(ctx, addr, iov)) {
    o.ptr(addr);
    return;
  }
  std::uint64_t old_len = ctx.syscall().priv;
  o.begin_struct();
  o.field("iov_base");
  if (get && ctx.failed()) {
    o.ptr(iov.base);
  } else {
    regset(ctx, nt, iov.base, get ? iov.len : old_len);
  }
  o.field("iov_len");
  if (old_len == iov.len) {
    o.uint_(iov.len);
  } else {
    o.raw_number(fmt::format("{} => {}", old_len, iov.len), static_cast<std::int64_t>(iov.len));
  }
  o.end_struct();
}

// PTRACE_PEEKSIGINFO's arguments: which signals to copy.
void peeksiginfo_args(DecodeCtx& ctx, std::uint64_t addr) {
  struct {
    std::uint64_t off;
    std::uint32_t flags, nr;
  } a;
  TokenList& o = ctx.out();
  if (!ctx.read(addr, a)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("off");
  o.uint_(a.off);
  o.field("flags");
  pfam::xflags(o, "ptrace_peeksiginfo_flags", a.flags, "PTRACE_PEEKSIGINFO_???");
  o.field("nr");
  o.uint_(a.nr);
  o.end_struct();
}

// The signals PTRACE_PEEKSIGINFO copied: as many siginfos as it returned.
void siginfo_array(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  unsigned char raw[128];
  if (ctx.failed() || !ctx.read(addr, raw, sizeof raw)) {
    o.ptr(addr);
    return;
  }
  auto n = static_cast<std::uint64_t>(ctx.ret());
  o.begin_array();
  std::uint64_t shown = std::min<std::uint64_t>(n, ctx.options().max_array);
  for (std::uint64_t i = 0; i < shown; ++i) {
    if (i > 0 && !ctx.read(addr + i * sizeof raw, raw, sizeof raw)) break;
    decode_siginfo_abi(o, raw, ctx.arch(), {ctx.pidns(), &ctx});
  }
  o.end_array(shown < n);
}

// PTRACE_SECCOMP_GET_METADATA's struct: the filter's index in, its flags out.
void seccomp_metadata(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  TokenList& o = ctx.out();
  std::uint64_t md[2] = {};
  if (size < 8 || !ctx.read(addr, &md[0], 8)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("filter_off");
  o.uint_(md[0]);
  if (!ctx.failed() && size > 8) {
    o.field("flags");
    if (size < sizeof md || !ctx.read(addr + 8, &md[1], 8)) {
      o.raw("???");
    } else {
      o.hex(md[1]);
    }
  }
  o.end_struct(!ctx.failed() && size > sizeof md);
}

bool resumes(std::uint64_t req) {
  return req == kCont || req == kDetach || req == kSyscall || req == kSinglestep ||
         req == kSingleblock || req == kSysemu || req == kSysemuSinglestep;
}

// The requests whose data the kernel fills in: shown at exit (with -e verbose=, as strace).
bool output_data(std::uint64_t req) {
  return req == kPeektext || req == kPeekdata || req == kPeekuser || req == kGeteventmsg ||
         req == kGetsiginfo || req == kGetsigmask || req == kPeeksiginfo ||
         req == kSeccompGetFilter || req == kGetSyscallInfo;
}

void ptrace_entry(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  std::uint64_t req = ctx.u(0);
  std::uint64_t addr = ctx.u(2);
  std::uint64_t data = ctx.u(3);
  ctx.arg(0);
  xval_hex(o, "ptrace_request", req, "PTRACE_???");
  if (req == kTraceme) return;  // pid, addr and data are ignored
  ctx.arg(1);
  ctx.pid(static_cast<std::int32_t>(ctx.u(1)), PidKind::Tgid);
  if (req == kAttach || req == kInterrupt || req == kKill || req == kListen) return;
  if (req == kGetregs || req == kGetfpregs) {
    ctx.syscall().more_at_exit = true;  // data, the registers, at exit; no addr
    return;
  }
  if (req == kSetregs || req == kSetfpregs) {
    ctx.arg(3);
    if (req == kSetregs) {
      print_prstatus_regset(ctx, data, kUserRegsSize);
    } else {
      print_fpregset(ctx, data, kUserFpregsSize);
    }
    return;
  }
  ctx.arg(2);
  switch (req) {
    case kGetregset:
    case kSetregset:
      xval_hex(o, "nt_descriptor_types", addr, "NT_???");
      break;
    case kPeeksiginfo:
      peeksiginfo_args(ctx, addr);
      break;
    case kGetsigmask:
    case kSetsigmask:
    case kSeccompGetFilter:
    case kSeccompGetMetadata:
    case kGetSyscallInfo:
      o.uint_(addr);  // a size or an index, not an address
      break;
    default:
      o.ptr(addr);
      break;
  }
  if (req == kGetregset || req == kSetregset) {
    Iovec iov;
    if (!read_iovec(ctx, data, iov)) {
      ctx.arg(3);
      o.ptr(data);
      return;
    }
    ctx.syscall().priv = iov.len;
    ctx.syscall().more_at_exit = true;
    return;
  }
  if (req == kSeccompGetMetadata) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  if (output_data(req) && ctx.options().dereference) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(3);
  if (resumes(req)) {
    pfam::signal_value(o, static_cast<std::int64_t>(data));
  } else if (req == kSeize || req == kSetoptions || req == kOldSetoptions) {
    options(o, data);
  } else if (req == kSetsiginfo) {
    ctx.structure("siginfo", data, false);
  } else if (req == kSetsigmask) {
    ctx.sigset(data, addr);
  } else {
    o.ptr(data);
  }
}

void ptrace_exit(DecodeCtx& ctx) {
  std::uint64_t req = ctx.u(0);
  std::uint64_t addr = ctx.u(2);
  std::uint64_t data = ctx.u(3);
  if (!ctx.syscall().more_at_exit) return;
  ctx.arg(3);
  switch (req) {
    case kPeektext:
    case kPeekdata:
    case kPeekuser:
      pfam::ptr_in_brackets(ctx, data, true);
      break;
    case kGeteventmsg:
      pfam::ulong_in_brackets(ctx, data, true);
      break;
    case kGetsiginfo:
      ctx.structure("siginfo", data, true);
      break;
    case kGetsigmask:
      if (ctx.failed()) {
        ctx.out().ptr(data);
      } else {
        ctx.sigset(data, addr);
      }
      break;
    case kGetSyscallInfo:
      syscall_info(ctx, data, addr);
      break;
    case kGetregs:
    case kGetfpregs:
      if (ctx.failed()) {
        ctx.out().ptr(data);
      } else if (req == kGetregs) {
        print_prstatus_regset(ctx, data, kUserRegsSize);
      } else {
        print_fpregset(ctx, data, kUserFpregsSize);
      }
      break;
    case kGetregset:
    case kSetregset:
      regset_iovec(ctx, addr, data, req == kGetregset);
      break;
    case kPeeksiginfo:
      siginfo_array(ctx, data);
      break;
    case kSeccompGetMetadata:
      seccomp_metadata(ctx, data, addr);
      break;
    default:
      ctx.out().ptr(data);
      break;
  }
}

}  // namespace

void decode_ptrace(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ptrace_entry(ctx);
  } else {
    ptrace_exit(ctx);
  }
}

}  // namespace ptk::sys
