// ptrace: the request decides which of pid, addr and data follow and how they read; what the
// kernel writes back (PEEK*, GETSIGINFO, GET_SYSCALL_INFO, ...) is shown at exit.
#include <cstring>

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
  kGetfpregs = 14,
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
  o.name_note(unknown);
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
    o.name_note("PTRACE_O_???");
    return;
  }
  pfam::xflags(o, "ptrace_setoptions_flags", v, "PTRACE_O_???");
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
  ctx.arg(2);
  switch (req) {
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
  if (req == kGetregs || req == kGetfpregs) {
    ctx.syscall().more_at_exit = true;  // strace shows the buffer at exit
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
