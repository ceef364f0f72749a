// fcntl and i386's fcntl64: the argument and the return value as each command means them.
#include <cstring>
#include <string>

#include "desc_util.h"
#include "ptk/core/wait_status.h"

namespace ptk::sys::desc {
namespace {

// Commands (the kernel's numbers; the 64-bit lock commands exist only for 32-bit callers).
enum : std::uint32_t {
  kDupfd = 0,
  kGetfd = 1,
  kSetfd = 2,
  kGetfl = 3,
  kSetfl = 4,
  kGetlk = 5,
  kSetlk = 6,
  kSetlkw = 7,
  kSetown = 8,
  kGetown = 9,
  kSetsig = 10,
  kGetsig = 11,
  kGetlk64 = 12,
  kSetlk64 = 13,
  kSetlkw64 = 14,
  kSetownEx = 15,
  kGetownEx = 16,
  kOfdGetlk = 36,
  kOfdSetlk = 37,
  kOfdSetlkw = 38,
  kSetlease = 1024,
  kGetlease = 1025,
  kNotify = 1026,
  kDupfdCloexec = 1030,
  kSetpipeSz = 1031,
  kGetpipeSz = 1032,
  kAddSeals = 1033,
  kGetSeals = 1034,
};

// struct flock of the tracee's ABI (32-bit offsets on i386), or struct flock64 (64-bit offsets;
// on i386 packed to 4 bytes, so l_start sits at offset 4).
void print_flock(DecodeCtx& ctx, std::uint64_t addr, bool wide, bool getlk) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  unsigned char b[32] = {};
  bool i386 = ctx.word_size() == 4;
  std::size_t size = !i386 ? 32 : wide ? 24 : 16;
  if (failed_exit(ctx) || !ctx.read(addr, b, size)) {
    ctx.out().ptr(addr);
    return;
  }
  std::int16_t type = 0;
  std::int16_t whence = 0;
  std::int64_t start = 0;
  std::int64_t len = 0;
  std::int32_t pid = 0;
  std::memcpy(&type, b, 2);
  std::memcpy(&whence, b + 2, 2);
  if (!i386) {
    std::memcpy(&start, b + 8, 8);
    std::memcpy(&len, b + 16, 8);
    std::memcpy(&pid, b + 24, 4);
  } else if (wide) {
    std::memcpy(&start, b + 4, 8);
    std::memcpy(&len, b + 12, 8);
    std::memcpy(&pid, b + 20, 4);
  } else {
    std::int32_t s32 = 0;
    std::int32_t l32 = 0;
    std::memcpy(&s32, b + 4, 4);
    std::memcpy(&l32, b + 8, 4);
    std::memcpy(&pid, b + 12, 4);
    start = s32;
    len = l32;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("l_type");
  xval(o, "lock_type", static_cast<std::uint16_t>(type));
  o.field("l_whence");
  xval(o, "whence", static_cast<std::uint16_t>(whence));
  o.field("l_start");
  o.int_(start);
  o.field("l_len");
  o.int_(len);
  if (getlk) {
    o.field("l_pid");
    o.int_(pid);
  }
  o.end_struct();
}

// struct f_owner_ex {int type; pid_t pid;}.
void print_owner_ex(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t v[2];
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  if (failed_exit(ctx) || !ctx.read(addr, v)) {
    ctx.out().ptr(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("type");
  xval(o, "owner_type", static_cast<std::uint32_t>(v[0]));
  o.field("pid");
  // F_OWNER_TID names a thread, F_OWNER_PID a process, F_OWNER_PGRP a group.
  ctx.pid(v[1], v[0] == 0 ? PidKind::Tid : v[0] == 2 ? PidKind::Pgid : PidKind::Tgid);
  o.end_struct();
}

// The return value as hex with "(prefix FLAGS)" after it, as strace's F_GETFD/F_GET_SEALS
// (a string strace builds without the placeholder comment of unknown bits).
void flags_result(DecodeCtx& ctx, std::string_view prefix, std::string_view table) {
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.failed() || ctx.ret() == 0) return;
  sc.ret_type = RetType::Hex;
  std::string text(prefix);
  text += flags_text(table, static_cast<std::uint64_t>(ctx.ret()));
  sc.ret_aux.raw(text);
}

// The third argument as the command means it, and what strace shows after the return value.
void decode_cmd(DecodeCtx& ctx, std::uint32_t cmd, bool is64) {
  DecodedSyscall& sc = ctx.syscall();
  std::uint64_t arg = ctx.u(2);
  TokenList& o = ctx.out();
  bool entering = ctx.entering();
  // Commands whose argument is an output: shown at exit, where strace also prints the ", ".
  bool at_exit = cmd == kGetlk || cmd == kOfdGetlk || cmd == kGetownEx || (is64 && cmd == kGetlk64);
  if (at_exit) {
    if (entering) return;
    ctx.arg(2);
    if (cmd == kGetownEx) {
      print_owner_ex(ctx, arg);
    } else {
      print_flock(ctx, arg, cmd != kGetlk, true);
    }
    return;
  }
  // The rest decide the return value at exit and print any argument at entry.
  if (!entering) {
    switch (cmd) {
      case kGetfd:
        flags_result(ctx, "flags ", "fd_flags");
        break;
      case kGetSeals:
        flags_result(ctx, "seals ", "seal_flags");
        break;
      case kGetfl:
        if (!ctx.failed()) {
          sc.ret_type = RetType::Hex;
          sc.ret_aux.raw("flags ");
          open_modes(sc.ret_aux, static_cast<std::uint64_t>(ctx.ret()));
        }
        break;
      case kGetlease:
        if (!ctx.failed()) {
          sc.ret_type = RetType::Hex;
          const Xlat* x = find_xlat("lock_type");
          std::string_view n =
              x != nullptr ? xlat_name(*x, static_cast<std::uint64_t>(ctx.ret())) : "";
          if (!n.empty()) sc.ret_aux.name(n, static_cast<std::uint64_t>(ctx.ret()));
        }
        break;
      case kGetown:
        // A process, or a group as its negated id: pidns translates the former (strace too).
        if (!ctx.failed()) sc.ret_type = RetType::Pid;
        break;
      case kGetsig:
        if (!ctx.failed() && ctx.ret() != 0) {
          sc.ret_aux.name(signal_name(static_cast<int>(ctx.ret())),
                          static_cast<std::uint64_t>(ctx.ret()));
        }
        break;
      default:
        break;
    }
    return;
  }
  switch (cmd) {
    case kGetfd:
    case kGetfl:
    case kGetown:
    case kGetsig:
    case kGetlease:
    case kGetpipeSz:
    case kGetSeals:
      return;  // no argument
    default:
      break;
  }
  ctx.arg(2);
  switch (cmd) {
    case kSetfd:
      xflags(o, "fd_flags", arg);
      break;
    case kDupfd:
    case kDupfdCloexec:
      sc.ret_type = RetType::Fd;
      o.int_(static_cast<std::int64_t>(arg));
      break;
    case kSetown:
      ctx.pid_or_pgid(static_cast<std::int32_t>(arg));
      break;
    case kSetpipeSz:
      // strace prints the register as a signed long: a 32-bit -1 reads 4294967295.
      o.int_(static_cast<std::int64_t>(arg));
      break;
    case kSetfl:
      open_modes(o, static_cast<std::uint32_t>(arg));
      break;
    case kSetlk:
    case kSetlkw:
      print_flock(ctx, arg, false, false);
      break;
    case kOfdSetlk:
    case kOfdSetlkw:
      print_flock(ctx, arg, true, false);
      break;
    case kSetlk64:
    case kSetlkw64:
      if (is64) {
        print_flock(ctx, arg, true, false);
      } else {
        o.hex(arg);
      }
      break;
    case kSetownEx:
      print_owner_ex(ctx, arg);
      break;
    case kNotify:
      xflags(o, "dnotify_flags", arg);
      break;
    case kSetlease:
      xval(o, "lock_type", arg);
      break;
    case kAddSeals:
      xflags(o, "seal_flags", arg);
      break;
    case kSetsig:
      ctx.signal(static_cast<std::int64_t>(arg));
      break;
    default:
      o.hex(arg);
      break;
  }
}

void fcntl_common(DecodeCtx& ctx, bool is64) {
  auto cmd = static_cast<std::uint32_t>(ctx.u(1));
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.arg(1);
    xval(ctx.out(), "fcntl_cmd", cmd);
    ctx.syscall().more_at_exit = false;
  }
  decode_cmd(ctx, cmd, is64);
}

}  // namespace

void decode_fcntl(DecodeCtx& ctx) { fcntl_common(ctx, false); }
void decode_fcntl64(DecodeCtx& ctx) { fcntl_common(ctx, true); }

}  // namespace ptk::sys::desc
