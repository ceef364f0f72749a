// The generic decoder: every argument shown as its ArgType in the syscall table says, inputs
// at entry and outputs at exit, unless a per-syscall decoder (registry.cpp) takes over.
#include "ptk/sys/decode.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace ptk::sys {
namespace {

// find_decoder by name is a binary search of strings; a trace asks it twice per syscall, so
// each ABI's decoders are looked up once, by number.
DecoderFn decoder_of(Arch arch, const SyscallSpec& spec) {
  static const auto kTables = [] {
    std::array<std::vector<DecoderFn>, kArchCount> tables;  // indexed by Arch
    for (Arch a : kAllArches) {
      auto& t = tables[static_cast<std::size_t>(a)];
      for (const SyscallSpec& each : syscall_table(a)) {
        if (each.nr < 0) continue;
        if (static_cast<std::size_t>(each.nr) >= t.size()) t.resize(each.nr + 1, nullptr);
        t[static_cast<std::size_t>(each.nr)] = find_decoder(each.name);
      }
    }
    return tables;
  }();
  const auto& t = kTables[static_cast<std::size_t>(arch)];
  // A spec not of this ABI's table (a multiplexer's sub-call) is looked up by name.
  if (spec.nr >= 0 && static_cast<std::size_t>(spec.nr) < t.size() &&
      find_syscall(arch, spec.nr) == &spec) {
    return t[static_cast<std::size_t>(spec.nr)];
  }
  return find_decoder(spec.name);
}

bool is_output(ArgType t) { return t == ArgType::OutBuf || t == ArgType::StructOut; }

// The index of the argument named `name` (for buffer lengths), or -1.
int arg_index(const SyscallSpec& spec, std::string_view name) {
  for (int i = 0; i < spec.nargs; ++i) {
    if (spec.args[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

// The first argument the generic decoder leaves for the exit: the first output.
int first_output(const SyscallSpec& spec) {
  for (int i = 0; i < spec.nargs; ++i) {
    if (is_output(spec.args[static_cast<std::size_t>(i)].type)) return i;
  }
  return spec.nargs;
}

void generic_range(DecodeCtx& ctx, int from, int to) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  for (int i = from; i < to; ++i) {
    if (is_high_half(spec, static_cast<std::size_t>(i))) continue;
    ctx.arg(i);
    ctx.generic(i);
  }
}

void decode_unknown(DecodeCtx& ctx) {
  // A number the table does not know: every register in hex, as strace's syscall_0x...().
  if (!ctx.entering()) return;
  for (int i = 0; i < 6; ++i) {
    ctx.arg_named({});
    ctx.out().hex(ctx.u(i));
  }
}

void decode_generic(DecodeCtx& ctx) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  int split = first_output(spec);
  if (ctx.entering()) {
    generic_range(ctx, 0, split);
  } else {
    generic_range(ctx, split, spec.nargs);
  }
}

// -e raw=: the arguments as the registers hold them, all at entry (strace prints them in hex).
void decode_raw(DecodeCtx& ctx) {
  if (!ctx.entering()) {
    ctx.syscall().ret_type = RetType::Hex;  // the result too, as the register holds it
    return;
  }
  for (int i = 0; i < ctx.syscall().spec->nargs; ++i) {
    ctx.arg(i);
    ctx.out().hex(ctx.u(i));
  }
}

void run(DecodedSyscall& sc, Memory& mem, const DecodeOptions& opts, const FdPathFn* fd_path,
         bool exiting) {
  if (opts.verbose_set != nullptr && !opts.verbose_set->selects(sc.arch, sc.nr)) {
    DecodeOptions plain = opts;
    plain.dereference = false;
    plain.verbose_set = nullptr;
    run(sc, mem, plain, fd_path, exiting);
    return;
  }
  if (opts.abbrev_set != nullptr) {
    DecodeOptions per_call = opts;
    per_call.verbose = !opts.abbrev_set->selects(sc.arch, sc.nr);
    per_call.abbrev_set = nullptr;
    run(sc, mem, per_call, fd_path, exiting);
    return;
  }
  DecodeCtx ctx(sc, mem, opts, exiting, fd_path);
  if (sc.spec != nullptr && opts.raw_set != nullptr && opts.raw_set->selects(sc.arch, sc.nr)) {
    decode_raw(ctx);
  } else if (sc.spec == nullptr) {
    decode_unknown(ctx);
  } else if (DecoderFn fn = decoder_of(sc.arch, *sc.spec)) {
    fn(ctx);
  } else {
    decode_generic(ctx);
  }
}

}  // namespace

namespace {

// The kind of id a generic pid argument is, as strace prints it (kill's is a pid or a group).
void pid_arg(DecodeCtx& ctx, int i) {
  std::string_view name = ctx.syscall().spec->name;
  std::int64_t v = static_cast<std::int32_t>(ctx.u(i));
  if (name == "kill" || name == "wait4" || name == "waitpid") {
    ctx.pid_or_pgid(v);
  } else if (name == "tkill" || name == "get_robust_list" ||
             (i == 1 && (name == "tgkill" || name == "rt_tgsigqueueinfo"))) {
    ctx.pid(v, PidKind::Tid);
  } else if (name == "setpgid" && i == 1) {
    ctx.pid(v, PidKind::Pgid);
  } else if (name == "waitid" && ctx.u(0) == 2) {  // P_PGID
    ctx.pid(v, PidKind::Pgid);
  } else {
    ctx.pid(v, PidKind::Tgid);
  }
}

// What a syscall returning a pid returns: getpgrp a group, getsid a session, fork a thread.
PidKind returned_pid_kind(std::string_view name) {
  if (name == "getpgrp" || name == "getpgid") return PidKind::Pgid;
  if (name == "getsid") return PidKind::Sid;
  if (name == "gettid" || name == "set_tid_address" || name == "clone" || name == "clone3" ||
      name == "fork" || name == "vfork")
    return PidKind::Tid;
  return PidKind::Tgid;
}

}  // namespace

std::string process_comm(std::int64_t pid) {
  // /proc/PID/comm ends in a newline; a process that is gone has none.
  char path[48];
  std::snprintf(path, sizeof path, "/proc/%lld/comm", static_cast<long long>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[64];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return {};
  std::string comm(buf, static_cast<std::size_t>(n));
  if (comm.ends_with('\n')) comm.pop_back();
  return comm;
}

std::uint64_t DecodeCtx::value(int i) const {
  const SyscallSpec& spec = *sc_.spec;
  const ArgSpec& a = spec.args[static_cast<std::size_t>(i)];
  if (i + 1 < spec.nargs && is_high_half(spec, static_cast<std::size_t>(i + 1))) return u64_pair(i);
  bool int_sized = (a.type == ArgType::Flags || a.type == ArgType::Enum) && !a.word;
  return int_sized ? static_cast<std::uint32_t>(u(i)) : u(i);
}

void DecodeCtx::generic(int i) {
  const SyscallSpec& spec = *sc_.spec;
  const ArgSpec& a = spec.args[static_cast<std::size_t>(i)];
  bool pair = i + 1 < spec.nargs && is_high_half(spec, static_cast<std::size_t>(i + 1));
  TokenList& o = out();
  switch (a.type) {
    case ArgType::Int:
      o.int_(static_cast<std::int32_t>(u(i)));
      break;
    case ArgType::Uint:
      o.uint_(static_cast<std::uint32_t>(u(i)));
      break;
    case ArgType::Long:
      if (pair) {
        o.int_(static_cast<std::int64_t>(u64_pair(i)));
      } else {
        o.int_(s(i));
      }
      break;
    case ArgType::Ulong:
      o.uint_(pair ? u64_pair(i) : u(i));
      break;
    case ArgType::Hex:
      o.hex(pair ? u64_pair(i) : u(i));
      break;
    case ArgType::Ptr:
      o.ptr(u(i));
      break;
    case ArgType::Fd:
      fd(s(i));
      break;
    case ArgType::DirFd:
      dirfd(s(i));
      break;
    case ArgType::Path:
      path(u(i));
      break;
    case ArgType::Str:
      string(u(i));
      break;
    case ArgType::InBuf:
    case ArgType::OutBuf: {
      int len_i = arg_index(spec, a.param);
      std::uint64_t cap = len_i >= 0 ? u(len_i) : 0;
      if (a.type == ArgType::OutBuf) {
        // An output buffer holds what the kernel returned: show the returned length of it.
        if (failed() || !exiting_) {
          o.ptr(u(i));
          break;
        }
        cap = ret() >= 0 ? std::min<std::uint64_t>(cap, static_cast<std::uint64_t>(ret())) : 0;
      }
      buffer(u(i), cap);
      break;
    }
    case ArgType::Flags:
      flags(a.param, value(i));
      break;
    case ArgType::Enum:
      symbol(a.param, value(i));
      break;
    case ArgType::Mode:
      o.oct(u(i) & 0177777);  // the kernel's umode_t is 16 bits, and strace cuts it there
      break;
    case ArgType::Pid:
      pid_arg(*this, i);
      break;
    case ArgType::Uid:
    case ArgType::Gid: {
      // (uid_t)-1 means "unchanged" and strace shows it as -1; i386's legacy calls take 16 bits.
      std::uint64_t mask = a.param == "16" ? 0xffff : 0xffffffff;
      std::uint64_t v = u(i) & mask;
      if (v == mask) {
        o.int_(-1);
      } else {
        o.uint_(v);
      }
      break;
    }
    case ArgType::Signal:
      signal(static_cast<std::int32_t>(u(i)));
      break;
    case ArgType::Off:
      o.int_(static_cast<std::int64_t>(pair ? u64_pair(i) : u(i)));
      break;
    case ArgType::StructIn:
    case ArgType::StructInOut:
      structure(a.param, u(i), false);
      break;
    case ArgType::StructOut:
      structure(a.param, u(i), true);
      break;
    case ArgType::StrArray:
      str_array(u(i), false);
      break;
    case ArgType::EnvArray:
      str_array(u(i), true);
      break;
  }
}

void DecodeCtx::structure(std::string_view type, std::uint64_t addr, bool output) {
  if (addr == 0) {
    out().ptr(0);
    return;
  }
  // An output struct of a failed call holds nothing the kernel wrote; strace shows the address.
  StructFn fn = find_struct(type);
  if (fn == nullptr || !opts_.dereference || (output && (failed() || entering()))) {
    out().ptr(addr);
    return;
  }
  fn(*this, addr);
}

void decode_entry(DecodedSyscall& out, Memory& mem, const DecodeOptions& opts,
                  const FdPathFn* fd_path) {
  out.args.clear();
  out.ret_aux.clear();
  out.note.clear();
  out.exited = false;
  out.more_at_exit = false;
  out.priv = 0;
  out.priv_list.clear();
  out.ret_type = out.spec != nullptr ? out.spec->ret : RetType::Hex;
  run(out, mem, opts, fd_path, false);
  out.entry_tokens = out.args.size();
  bool raw = opts.raw_set != nullptr && opts.raw_set->selects(out.arch, out.nr);
  if (out.spec != nullptr && !raw && decoder_of(out.arch, *out.spec) == nullptr) {
    // An entry that printed nothing ("uname(") is followed by the first argument itself.
    int split = first_output(*out.spec);
    out.more_at_exit = split > 0 && split < out.spec->nargs;
  }
}

void decode_exit(DecodedSyscall& out, Memory& mem, const DecodeOptions& opts,
                 const FdPathFn* fd_path) {
  out.exited = true;
  run(out, mem, opts, fd_path, true);
  if (opts.pidns != nullptr && out.ret_type == RetType::Pid && !out.is_error && out.spec)
    out.ret_pidns = PidNsView{opts.pidns, out.tid}.ours(static_cast<std::int32_t>(out.ret),
                                                        returned_pid_kind(out.spec->name));
}

}  // namespace ptk::sys
