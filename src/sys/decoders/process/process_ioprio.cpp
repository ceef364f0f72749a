// ioprio_get/ioprio_set (an I/O priority is a class and a level packed in one int) and kcmp
// (whose last two arguments mean descriptors, a struct or nothing depending on the type).
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// The kernel's IOPRIO_PRIO_VALUE(class, data): the class above bit 13, the level below.
constexpr unsigned kIoprioClassShift = 13;

// The class inside the IOPRIO_PRIO_VALUE(...) expression: its name, or with -X verbose its
// number (0 as "0", else hex) and the name in a comment; an unknown class is hex with a note.
std::string ioprio_class_text(unsigned cls, ConstNames style) {
  std::string_view n = pfam::xlat_lookup("ioprio_class", cls);
  std::string number = cls == 0 ? std::string("0") : fmt::format("{:#x}", cls);
  if (n.empty()) return number + " /* IOPRIO_CLASS_??? */";
  if (style == ConstNames::Verbose) return fmt::format("{} /* {} */", number, n);
  return std::string(n);
}

std::string ioprio_text(std::uint32_t v, ConstNames style) {
  return fmt::format("IOPRIO_PRIO_VALUE({}, {})", ioprio_class_text(v >> kIoprioClassShift, style),
                     v & ((1U << kIoprioClassShift) - 1));
}

void ioprio_who(DecodeCtx& ctx) {
  ctx.arg(0);
  auto which = static_cast<std::int32_t>(ctx.u(0));
  pfam::xval_int(ctx.out(), "ioprio_which", which, "IOPRIO_WHO_???");
  ctx.arg(1);
  if (which == 1) {  // IOPRIO_WHO_PROCESS
    ctx.pid(ctx.u(1), PidKind::Tgid);
  } else if (which == 2) {  // IOPRIO_WHO_PGRP
    ctx.pid(ctx.u(1), PidKind::Pgid);
  } else {
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(1)));
  }
}

// The tracee's pid as its own namespace sees it (kcmp's pids are in that namespace), from the
// innermost NStgid of its status file; its pid in ours when that cannot be read.
std::int32_t own_tgid(DecodeCtx& ctx) {
  pid_t pid = ctx.syscall().pid;
  // /proc may be an outer namespace's (the suite's `unshare -p` without a remount).
  if (ctx.options().pidns != nullptr) pid = ctx.options().pidns->proc_pid(pid);
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::stringstream text;
  text << "\n" << in.rdbuf();
  auto ids = pidns_detail::status_ids(text.str(), PidKind::Tgid);
  return ids && !ids->empty() ? ids->back() : ctx.syscall().pid;
}

// A descriptor of process `pid`: with -y its path only when it is the tracee's own.
void fd_of(DecodeCtx& ctx, std::int64_t pid, std::uint64_t fd) {
  auto p = static_cast<std::int32_t>(pid);
  if (ctx.options().fd_paths && (p == ctx.syscall().pid || p == own_tgid(ctx))) {
    ctx.fd(static_cast<std::int32_t>(fd));
  } else {
    ctx.out().fd(static_cast<std::int32_t>(fd));
  }
}

}  // namespace

void decode_ioprio_get(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ioprio_who(ctx);
    return;
  }
  if (ctx.failed() || ctx.options().const_names == ConstNames::Raw) return;
  ctx.syscall().ret_aux.raw(
      ioprio_text(static_cast<std::uint32_t>(ctx.ret()), ctx.options().const_names));
}

void decode_ioprio_set(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ioprio_who(ctx);
  ctx.arg(2);
  print_ioprio(ctx, static_cast<std::uint32_t>(ctx.u(2)));
}

void print_ioprio(DecodeCtx& ctx, std::uint32_t v) {
  ConstNames style = ctx.options().const_names;
  if (style == ConstNames::Abbrev) {
    ctx.out().raw(ioprio_text(v, style));
    return;
  }
  ctx.out().int_(static_cast<std::int32_t>(v));
  if (style == ConstNames::Verbose) ctx.out().comment(ioprio_text(v, style));
}

void decode_kcmp(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  ctx.arg(1);
  ctx.pid(ctx.u(1), PidKind::Tgid);
  ctx.arg(2);
  auto type = static_cast<std::int32_t>(ctx.u(2));
  pfam::xval_int(ctx.out(), "kcmp_type", type, "KCMP_???");
  switch (type) {
    case 0:  // KCMP_FILE: a descriptor of each process
      ctx.arg(3);
      fd_of(ctx, ctx.u(0), ctx.u(3));
      ctx.arg(4);
      fd_of(ctx, ctx.u(1), ctx.u(4));
      return;
    case 7: {  // KCMP_EPOLL_TFD: a descriptor of pid1, an epoll target slot of pid2
      ctx.arg(3);
      fd_of(ctx, ctx.u(0), ctx.u(3));
      ctx.arg(4);
      struct {
        std::uint32_t efd, tfd, toff;
      } slot{};
      if (!ctx.read(ctx.u(4), slot)) {
        ctx.pointer(ctx.u(4));
        return;
      }
      TokenList& o = ctx.out();
      o.begin_struct();
      o.field("efd");
      fd_of(ctx, ctx.u(1), slot.efd);
      o.field("tfd");
      fd_of(ctx, ctx.u(1), slot.tfd);
      o.field("toff");
      o.uint_(slot.toff);
      o.end_struct();
      return;
    }
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return;  // the types that compare whole objects take no indexes
    default:
      ctx.arg(3);
      ctx.out().hex(ctx.u(3));
      ctx.arg(4);
      ctx.out().hex(ctx.u(4));
      return;
  }
}

}  // namespace ptk::sys
