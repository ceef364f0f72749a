// wait4, waitpid, waitid and getrusage, with the wait status shown as strace's macro
// expressions ([{WIFEXITED(s) && WEXITSTATUS(s) == 0}]) and struct rusage.
#include <sys/wait.h>

#include <fmt/format.h>

#include "process_decoders.h"
#include "process_util.h"
#include "ptk/core/wait_status.h"

namespace ptk::sys {
namespace {

std::string sig_text(int sig) {
  return sig > 0 && sig <= 64 ? signal_name(sig) : fmt::format("{}", sig);
}

// strace's printstatus: the macros that describe the status, then any bits they leave over
// (a PTRACE_EVENT_* in bits 16..23, then the rest in hex).
std::string status_text(int status) {
  std::string s;
  if (WIFSTOPPED(status)) {
    int sig = WSTOPSIG(status);
    s = fmt::format("{{WIFSTOPPED(s) && WSTOPSIG(s) == {}{}}}", sig_text(sig & 0x7f),
                    (sig & 0x80) ? " | 0x80" : "");
    status &= ~((sig << 8) | 0x7f);
  } else if (WIFSIGNALED(status)) {
    s = fmt::format("{{WIFSIGNALED(s) && WTERMSIG(s) == {}{}}}", sig_text(WTERMSIG(status)),
                    WCOREDUMP(status) ? " && WCOREDUMP(s)" : "");
    status &= ~(WTERMSIG(status) | 0x80);
  } else if (WIFEXITED(status)) {
    s = fmt::format("{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}", WEXITSTATUS(status));
    status &= ~(WEXITSTATUS(status) << 8);
  } else if (WIFCONTINUED(status)) {
    s = "{WIFCONTINUED(s)}";
    status &= ~0xffff;
  } else {
    return status == 0 ? "0" : fmt::format("{:#x}", static_cast<unsigned>(status));
  }
  if (status != 0) {
    unsigned event = static_cast<unsigned>(status) >> 16;
    if (event != 0) {
      std::string_view n = pfam::xlat_lookup("ptrace_event", event);
      if (n.empty()) {
        s += fmt::format(" | {:#x} /* PTRACE_EVENT_??? */ << 16", event);
      } else {
        s += fmt::format(" | {} << 16", n);
      }
      status &= 0xffff;
    }
    if (status != 0) s += fmt::format(" | {:#x}", static_cast<unsigned>(status));
  }
  return s;
}

void wait_status(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t status = 0;
  // With WNOHANG and no child ready the kernel writes nothing: strace shows the address.
  if (ctx.ret() == 0 || addr == 0 || ctx.failed() || !ctx.read(addr, status)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  ctx.out().raw(status_text(status));
  ctx.out().end_array();
}

// The pid argument of the wait calls and kill: a pid, -1, or a negated process group.
void pid_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.out().int_(static_cast<std::int32_t>(ctx.u(i)));
}

void wait_common(DecodeCtx& ctx, bool with_rusage) {
  if (ctx.entering()) {
    pid_arg(ctx, 0);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  wait_status(ctx, ctx.u(1));
  ctx.arg(2);
  pfam::xflags(ctx.out(), "wait_options", static_cast<std::uint32_t>(ctx.u(2)), "W???");
  if (!with_rusage) return;
  ctx.arg(3);
  if (ctx.ret() > 0) {
    ctx.structure("rusage", ctx.u(3), true);
  } else {
    ctx.out().ptr(ctx.u(3));
  }
}

template <typename W, typename SW>
void rusage_fields(DecodeCtx& ctx, std::uint64_t addr) {
  struct {
    SW utime_sec, utime_usec, stime_sec, stime_usec;
    W rest[14];
  } ru{};
  TokenList& o = ctx.out();
  if (!ctx.read(addr, ru)) {
    o.ptr(addr);
    return;
  }
  auto timeval = [&](std::string_view name, SW sec, SW usec) {
    o.field(name);
    o.begin_struct();
    o.field("tv_sec");
    o.int_(sec);
    o.field("tv_usec");
    o.uint_(static_cast<std::uint64_t>(static_cast<std::int64_t>(usec)));  // strace: unsigned
    o.end_struct();
  };
  o.begin_struct();
  timeval("ru_utime", ru.utime_sec, ru.utime_usec);
  timeval("ru_stime", ru.stime_sec, ru.stime_usec);
  if (!ctx.options().verbose) {
    o.end_struct(true);
    return;
  }
  static constexpr std::string_view kNames[14] = {
      "ru_maxrss", "ru_ixrss",    "ru_idrss",   "ru_isrss",   "ru_minflt",
      "ru_majflt", "ru_nswap",    "ru_inblock", "ru_oublock", "ru_msgsnd",
      "ru_msgrcv", "ru_nsignals", "ru_nvcsw",   "ru_nivcsw"};
  for (std::size_t i = 0; i < 14; ++i) {
    o.field(kNames[i]);
    o.uint_(ru.rest[i]);
  }
  o.end_struct();
}

}  // namespace

void print_rusage_struct(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 4) {
    rusage_fields<std::uint32_t, std::int32_t>(ctx, addr);
  } else {
    rusage_fields<std::uint64_t, std::int64_t>(ctx, addr);
  }
}

void decode_wait4(DecodeCtx& ctx) { wait_common(ctx, true); }

void decode_waitpid(DecodeCtx& ctx) { wait_common(ctx, false); }

void decode_waitid(DecodeCtx& ctx) {
  if (ctx.entering()) {
    auto idtype = static_cast<std::uint32_t>(ctx.u(0));
    ctx.arg(0);
    pfam::xval(ctx.out(), "idtype", idtype, "P_???");
    ctx.arg(1);
    auto id = static_cast<std::int32_t>(ctx.u(1));
    if (idtype == 3) {  // P_PIDFD
      ctx.fd(id);
    } else if (idtype == 1) {  // P_PID
      ctx.pid(id, PidKind::Tgid);
    } else if (idtype == 2) {  // P_PGID
      ctx.pid(id, PidKind::Pgid);
    } else {
      ctx.out().int_(id);
    }
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  ctx.structure("siginfo", ctx.u(2), true);
  ctx.arg(3);
  pfam::xflags(ctx.out(), "wait_options", static_cast<std::uint32_t>(ctx.u(3)), "W???");
  ctx.arg(4);
  ctx.structure("rusage", ctx.u(4), true);
}

void decode_getrusage(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::xval_int(ctx.out(), "rusage_who", static_cast<std::int32_t>(ctx.u(0)), "RUSAGE_???");
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  ctx.structure("rusage", ctx.u(1), true);
}

}  // namespace ptk::sys
