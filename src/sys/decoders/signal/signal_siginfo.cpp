// siginfo and signal masks as strace prints them (include/ptk/sys/siginfo.h).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "decoders/process/process_util.h"
#include "ptk/arch/syscalls.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "ptk/sys/siginfo.h"
#include "signal_decoders.h"

namespace ptk::sys {
namespace {

// Every field strace may show, whatever union member the kernel filled; the printer picks
// the ones that si_signo/si_code make meaningful.
struct SigFields {
  std::int32_t signo = 0, errno_ = 0, code = 0;
  std::int32_t pid = 0;
  std::uint32_t uid = 0;
  std::int32_t status = 0;
  std::int64_t utime = 0, stime = 0;  // clock_t, sign-extended from the ABI's long
  std::int32_t sival_int = 0;
  std::uint64_t sival_ptr = 0;
  std::int32_t timerid = 0, overrun = 0;
  std::uint64_t addr = 0;
  std::uint16_t addr_lsb = 0;
  std::uint64_t lower = 0, upper = 0;
  std::uint32_t pkey = 0;
  std::int64_t band = 0;
  std::int32_t fd = 0;
  std::uint64_t call_addr = 0;
  std::int32_t syscall = 0;
  std::uint32_t arch = 0;
};

template <typename T>
T at(const unsigned char* raw, std::size_t off) {
  T v;
  std::memcpy(&v, raw + off, sizeof v);
  return v;
}

// The kernel's siginfo layout for a word size W: the union starts after the three ints,
// aligned to the word (offset 16 on x86_64, 12 on i386).
template <typename W, typename SW>
SigFields extract(const unsigned char* raw) {
  constexpr std::size_t w = sizeof(W);
  constexpr std::size_t u = w == 8 ? 16 : 12;
  // Pad before the bounds/pkey members of _sigfault: max(alignof(pointer), sizeof(short)).
  constexpr std::size_t bnd_pad = w;
  SigFields f;
  f.signo = at<std::int32_t>(raw, 0);
  f.errno_ = at<std::int32_t>(raw, 4);
  f.code = at<std::int32_t>(raw, 8);
  // _kill / _rt / _sigchld share pid and uid.
  f.pid = at<std::int32_t>(raw, u);
  f.uid = at<std::uint32_t>(raw, u + 4);
  // _timer: tid, overrun, sigval; _rt: pid, uid, sigval (the sigval at the same offset).
  f.timerid = at<std::int32_t>(raw, u);
  f.overrun = at<std::int32_t>(raw, u + 4);
  f.sival_int = at<std::int32_t>(raw, u + 8);
  f.sival_ptr = at<W>(raw, u + 8);
  // _sigchld: status, utime, stime.
  f.status = at<std::int32_t>(raw, u + 8);
  constexpr std::size_t clk = (u + 12 + w - 1) / w * w;
  f.utime = at<SW>(raw, clk);
  f.stime = at<SW>(raw, clk + w);
  // _sigfault: addr, then addr_lsb / bounds / pkey.
  f.addr = at<W>(raw, u);
  f.addr_lsb = at<std::uint16_t>(raw, u + w);
  f.lower = at<W>(raw, u + w + bnd_pad);
  f.upper = at<W>(raw, u + w + bnd_pad + w);
  f.pkey = at<std::uint32_t>(raw, u + w + bnd_pad);
  // _sigpoll: band (a long), fd.
  f.band = at<SW>(raw, u);
  f.fd = at<std::int32_t>(raw, u + w);
  // _sigsys: call_addr, syscall, arch.
  f.call_addr = at<W>(raw, u);
  f.syscall = at<std::int32_t>(raw, u + w);
  f.arch = at<std::uint32_t>(raw, u + w + 4);
  return f;
}

// si_code: the codes any signal may carry first, then the signal's own table.
void print_code(TokenList& o, const SigFields& f) {
  std::uint64_t key = static_cast<std::uint64_t>(static_cast<std::int64_t>(f.code));
  std::string_view n = pfam::xlat_lookup("siginfo_code", key);
  if (n.empty()) {
    std::string_view table;
    switch (f.signo) {
      case SIGTRAP:
        table = "sigtrap_code";
        break;
      case SIGCHLD:
        table = "sigchld_code";
        break;
      case SIGIO:
        table = "sigpoll_code";
        break;
      case SIGILL:
        table = "sigill_code";
        break;
      case SIGFPE:
        table = "sigfpe_code";
        break;
      case SIGSEGV:
        table = "sigsegv_code";
        break;
      case SIGBUS:
        table = "sigbus_code";
        break;
      case SIGSYS:
        table = "sigsys_code";
        break;
      default:
        break;
    }
    if (!table.empty()) n = pfam::xlat_lookup(table, key);
  }
  if (!n.empty()) {
    // -X raw shows the code in hex as the 32-bit int it is (0xfffffffa for SI_TKILL).
    o.name_hex(n, static_cast<std::uint32_t>(f.code));
  } else {
    o.hex(static_cast<std::uint32_t>(f.code));
  }
}

void source(TokenList& o, const SigFields& f, const SiginfoEnv& env) {
  o.field("si_pid");
  if (env.ctx != nullptr) {
    env.ctx->pid(f.pid, PidKind::Tgid);  // appends to o, with -Y's name (see fd_field)
  } else {
    o.int_(f.pid);
    pid_note(o, env.pidns, f.pid, PidKind::Tgid);
  }
  o.field("si_uid");
  pfam::id_value(o, f.uid, 32);
}

void fd_field(TokenList& o, const SigFields& f, const SiginfoEnv& env) {
  if (env.ctx != nullptr) {
    env.ctx->fd(f.fd);  // appends to o: env.ctx is set only when o is its output
  } else {
    o.fd(f.fd);
  }
}

void sigval(TokenList& o, const SigFields& f) {
  o.field("si_int");
  o.int_(f.sival_int);
  o.field("si_ptr");
  o.ptr(f.sival_ptr);
}

void syscall_name(TokenList& o, const SigFields& f, Arch tracee) {
  // The number means a syscall of si_arch: of an arch ptk does not know it is a bare number,
  // unsigned as strace prints it (si_syscall=4294967295).
  (void)tracee;
  std::optional<Arch> a = arch_from_audit(f.arch);
  const SyscallSpec* spec = a ? find_syscall(*a, f.syscall) : nullptr;
  if (spec == nullptr) {
    o.uint_(static_cast<std::uint32_t>(f.syscall));
    return;
  }
  o.name(fmt::format("__NR_{}", spec->name), static_cast<std::uint32_t>(f.syscall));
}

void kernel_info(TokenList& o, const SigFields& f, Arch arch, const SiginfoEnv& env) {
  switch (f.signo) {
    case SIGCHLD:
      source(o, f, env);
      o.field("si_status");
      if (f.code == CLD_EXITED) {
        o.int_(f.status);
      } else {
        pfam::signal_value(o, f.status);
      }
      o.field("si_utime");
      pfam::clock_ticks(o, static_cast<std::uint64_t>(f.utime));
      o.field("si_stime");
      pfam::clock_ticks(o, static_cast<std::uint64_t>(f.stime));
      break;
    case SIGILL:
    case SIGFPE:
    case SIGTRAP:
      o.field("si_addr");
      o.ptr(f.addr);
      break;
    case SIGBUS:
      o.field("si_addr");
      o.ptr(f.addr);
      if (f.code == BUS_MCEERR_AR || f.code == BUS_MCEERR_AO) {
        o.field("si_addr_lsb");
        o.hex(f.addr_lsb);
      }
      break;
    case SIGSEGV:
      o.field("si_addr");
      o.ptr(f.addr);
      if (f.code == SEGV_BNDERR) {
        o.field("si_lower");
        o.ptr(f.lower);
        o.field("si_upper");
        o.ptr(f.upper);
      } else if (f.code == SEGV_PKUERR) {
        o.field("si_pkey");
        o.uint_(f.pkey);
      }
      break;
    case SIGIO:
      if (f.code == POLL_IN || f.code == POLL_OUT || f.code == POLL_MSG) {
        o.field("si_band");
        o.int_(f.band);
        o.field("si_fd");
        fd_field(o, f, env);
      }
      break;
    case SIGSYS:
      o.field("si_call_addr");
      o.ptr(f.call_addr);
      o.field("si_syscall");
      syscall_name(o, f, arch);
      o.field("si_arch");
      if (std::string_view n = pfam::xlat_lookup("audit_arch", f.arch); !n.empty()) {
        o.name_hex(n, f.arch);
      } else {
        o.hex(f.arch);
        o.xlat_note("AUDIT_ARCH_???");
      }
      break;
    default:
      if (f.pid != 0 || f.uid != 0) source(o, f, env);
      if (f.sival_ptr != 0) sigval(o, f);
      break;
  }
}

void print_fields(TokenList& o, const SigFields& f, Arch arch, const SiginfoEnv& env) {
  o.begin_struct();
  if (f.signo != 0) {
    o.field("si_signo");
    pfam::signal_value(o, f.signo);
    o.field("si_code");
    print_code(o, f);
    if (f.errno_ != 0) {
      o.field("si_errno");
      std::string_view e = errno_name(f.errno_);
      if (e.empty()) {
        o.uint_(static_cast<std::uint32_t>(f.errno_));
      } else {
        o.name(e, static_cast<std::uint64_t>(f.errno_));
      }
    }
    if (f.code <= 0) {
      // Sent by a process (kill, sigqueue, tgkill, a POSIX timer, SIGIO).
      switch (f.code) {
        case SI_USER:
        case SI_TKILL:
          source(o, f, env);
          break;
        case SI_TIMER:
          o.field("si_timerid");
          o.hex(static_cast<std::uint32_t>(f.timerid));
          o.field("si_overrun");
          o.int_(f.overrun);
          sigval(o, f);
          break;
        case SI_SIGIO:
          o.field("si_band");
          o.int_(f.band);
          o.field("si_fd");
          fd_field(o, f, env);
          break;
        default:
          source(o, f, env);
          if (f.sival_ptr != 0) sigval(o, f);
          break;
      }
    } else {
      kernel_info(o, f, arch, env);
    }
  }
  o.end_struct();
}

}  // namespace

void decode_siginfo(TokenList& out, const siginfo_t& si, Arch arch, const SiginfoEnv& env) {
  static_assert(sizeof(siginfo_t) == 128);
  unsigned char raw[128];
  std::memcpy(raw, &si, sizeof raw);
  // The host is x86_64: PTRACE_GETSIGINFO gives the 64-bit layout for tracees of both ABIs.
  print_fields(out, extract<std::uint64_t, std::int64_t>(raw), arch, env);
}

void decode_siginfo_abi(TokenList& out, const unsigned char (&raw)[128], Arch arch,
                        const SiginfoEnv& env) {
  if (abi(arch).word_size == 4) {
    print_fields(out, extract<std::uint32_t, std::int32_t>(raw), arch, env);
  } else {
    print_fields(out, extract<std::uint64_t, std::int64_t>(raw), arch, env);
  }
}

void sigmask_tokens(TokenList& out, std::uint64_t mask, unsigned bytes) {
  // strace looks at whole 32-bit words: 4 bytes of an old sigset, 8 of the kernel's.
  unsigned words = (std::min(bytes, 8u) + 3) / 4;
  unsigned bits = words * 32;
  std::uint64_t valid = bits >= 64 ? ~0ull : (1ull << bits) - 1;
  mask &= valid;
  bool negate = static_cast<unsigned>(std::popcount(mask)) >= bits * 2 / 3;
  std::uint64_t shown = negate ? ~mask & valid : mask;
  out.begin_set(negate);
  for (unsigned sig = 1; sig <= bits; ++sig) {
    if ((shown & (1ull << (sig - 1))) == 0) continue;
    // Inside sets strace drops the SIG prefix: [INT TERM], [RTMIN RT_1].
    std::string n = signal_name(static_cast<int>(sig));
    std::string_view v = n;
    if (v.starts_with("SIG")) v.remove_prefix(3);
    out.name(v, sig);
  }
  out.end_set();
}

// The "siginfo" struct of the syscall table (waitid, rt_sigtimedwait, rt_sigqueueinfo, ...).
void print_siginfo_struct(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char raw[128];
  if (!ctx.read(addr, raw, sizeof raw)) {
    ctx.out().ptr(addr);
    return;
  }
  decode_siginfo_abi(ctx.out(), raw, ctx.arch(), {ctx.pidns(), &ctx});
}

}  // namespace ptk::sys
