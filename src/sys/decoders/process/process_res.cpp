// Resource limits, uname, sysinfo, times, personality, priorities and get_robust_list.
#include <fmt/format.h>

#include "decoders/arg_util.h"
#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// A limit as strace shows it: RLIM64_INFINITY (RLIM_INFINITY for the 32-bit struct),
// "8192*1024" for a multiple of 1024 above 1024, else the number.
void rlim_value(TokenList& o, std::uint64_t v, bool is64) {
  if (v == (is64 ? ~0ull : 0xffffffffull)) {
    o.const_expr(is64 ? "RLIM64_INFINITY" : "RLIM_INFINITY", v);
  } else if (v > 1024 && v % 1024 == 0) {
    o.const_expr(fmt::format("{}*1024", v / 1024), v);
  } else {
    o.uint_(v);
  }
}

void rlimit_fields(DecodeCtx& ctx, std::uint64_t addr, bool is64) {
  std::uint64_t cur = 0, max = 0;
  bool ok = false;
  if (is64) {
    std::uint64_t r[2];
    ok = ctx.read(addr, r);
    cur = r[0], max = r[1];
  } else {
    std::uint32_t r[2];
    ok = ctx.read(addr, r);
    cur = r[0], max = r[1];
  }
  TokenList& o = ctx.out();
  if (!ok) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("rlim_cur");
  rlim_value(o, cur, is64);
  o.field("rlim_max");
  rlim_value(o, max, is64);
  o.end_struct();
}

// getrlimit/setrlimit use the ABI's rlimit: 32-bit limits on i386.
std::string_view rlimit_type(DecodeCtx& ctx) {
  return ctx.word_size() == 4 ? "rlimit" : "rlimit64";
}

void resource_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  // The kernel takes an unsigned int: the upper half of the register is ignored.
  afam::xval(ctx.out(), "rlimit_resource", ctx.u(i) & 0xffffffffu, "RLIMIT_???");
}

// A char array of a utsname: the text up to its NUL.
void cstring_field(TokenList& o, std::string_view name, const char* p, std::size_t size) {
  std::size_t n = 0;
  while (n < size && p[n] != '\0') ++n;
  o.field(name);
  o.str(std::string_view(p, n), n == size ? kTruncated : 0);
}

template <std::size_t kLen, std::size_t kFields>
void utsname_fields(DecodeCtx& ctx, std::uint64_t addr) {
  static constexpr std::string_view kNames[] = {"sysname", "nodename", "release",
                                                "version", "machine",  "domainname"};
  static_assert(kFields <= 6);
  char buf[kLen * kFields];
  TokenList& o = ctx.out();
  if (!ctx.read(addr, buf, sizeof buf)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  // Without -v strace shows the system and node names only.
  std::size_t shown = ctx.options().verbose ? kFields : 2;
  for (std::size_t i = 0; i < shown; ++i) cstring_field(o, kNames[i], buf + i * kLen, kLen);
  o.end_struct(shown < kFields);
}

template <typename W, typename SW>
void sysinfo_fields(DecodeCtx& ctx, std::uint64_t addr) {
  struct {
    SW uptime;
    W loads[3];
    W totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    std::uint16_t procs, pad;
    W totalhigh, freehigh;
    std::uint32_t mem_unit;
  } si{};
  TokenList& o = ctx.out();
  if (!ctx.read(addr, si)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("uptime");
  o.int_(si.uptime);
  o.field("loads");
  o.begin_array();
  for (W l : si.loads) o.uint_(l);
  o.end_array();
  const std::pair<std::string_view, W> fields[] = {
      {"totalram", si.totalram},   {"freeram", si.freeram},     {"sharedram", si.sharedram},
      {"bufferram", si.bufferram}, {"totalswap", si.totalswap}, {"freeswap", si.freeswap}};
  for (const auto& [name, v] : fields) {
    o.field(name);
    o.uint_(v);
  }
  o.field("procs");
  o.uint_(si.procs);
  o.field("totalhigh");
  o.uint_(si.totalhigh);
  o.field("freehigh");
  o.uint_(si.freehigh);
  o.field("mem_unit");
  o.uint_(si.mem_unit);
  o.end_struct();
}

template <typename SW>
void tms_fields(DecodeCtx& ctx, std::uint64_t addr) {
  SW t[4];
  TokenList& o = ctx.out();
  if (!ctx.read(addr, t)) {
    o.ptr(addr);
    return;
  }
  static constexpr std::string_view kNames[] = {"tms_utime", "tms_stime", "tms_cutime",
                                                "tms_cstime"};
  o.begin_struct();
  for (std::size_t i = 0; i < 4; ++i) {
    o.field(kNames[i]);
    // clock_t is a signed long; strace widens it as such before printing it unsigned.
    pfam::clock_ticks(o, static_cast<std::uint64_t>(static_cast<std::int64_t>(t[i])));
  }
  o.end_struct();
}

// The execution domain in the low byte, then the flag bits above it, spelled in -X style `st`:
// strace prints the two parts apart, so -X raw gives 0x6|0x7000000, not one number.
std::string personality_text(ConstNames st, std::uint32_t v) {
  std::uint32_t type = v & 0xff;
  std::uint32_t flags = v & ~0xffu;
  auto hex = [](std::uint32_t x) { return x == 0 ? std::string("0") : fmt::format("{:#x}", x); };
  std::string_view type_name = pfam::xlat_lookup("personality_type", type);
  std::string s = hex(type);
  if (st == ConstNames::Abbrev && !type_name.empty()) {
    s = type_name;
  } else if (st != ConstNames::Raw) {
    s += fmt::format(" /* {} */", type_name.empty() ? "PER_???" : type_name);
  }
  if (flags == 0) return s;
  std::string names;
  std::uint32_t rest = flags;
  if (const Xlat* x = find_xlat("personality")) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 || (rest & e.value) != e.value) continue;
      if (!names.empty()) names += '|';
      names += e.name;
      rest &= ~static_cast<std::uint32_t>(e.value);
    }
  }
  if (rest != 0 && !names.empty()) names += fmt::format("|{:#x}", rest);
  s += '|';
  if (names.empty() || st == ConstNames::Raw) {
    s += hex(flags);
  } else if (st == ConstNames::Abbrev) {
    s += names;
  } else {
    s += fmt::format("{} /* {} */", hex(flags), names);
  }
  return s;
}

void personality_value(TokenList& o, std::uint32_t v) {
  o.styled(personality_text(ConstNames::Raw, v), personality_text(ConstNames::Abbrev, v),
           personality_text(ConstNames::Verbose, v));
}

}  // namespace

void print_rlimit_struct(DecodeCtx& ctx, std::uint64_t addr) {
  rlimit_fields(ctx, addr, ctx.word_size() != 4);
}

void print_rlimit64_struct(DecodeCtx& ctx, std::uint64_t addr) { rlimit_fields(ctx, addr, true); }

void print_utsname_struct(DecodeCtx& ctx, std::uint64_t addr) { utsname_fields<65, 6>(ctx, addr); }

void print_sysinfo_struct(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 4) {
    sysinfo_fields<std::uint32_t, std::int32_t>(ctx, addr);
  } else {
    sysinfo_fields<std::uint64_t, std::int64_t>(ctx, addr);
  }
}

void print_tms_struct(DecodeCtx& ctx, std::uint64_t addr) {
  if (ctx.word_size() == 4) {
    tms_fields<std::int32_t>(ctx, addr);
  } else {
    tms_fields<std::int64_t>(ctx, addr);
  }
}

void decode_getrlimit(DecodeCtx& ctx) {
  if (ctx.entering()) {
    resource_arg(ctx, 0);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  ctx.structure(rlimit_type(ctx), ctx.u(1), true);
}

void decode_setrlimit(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  resource_arg(ctx, 0);
  ctx.arg(1);
  ctx.structure(rlimit_type(ctx), ctx.u(1), false);
}

void decode_prlimit64(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    resource_arg(ctx, 1);
    ctx.arg(2);
    ctx.structure("rlimit64", ctx.u(2), false);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(3);
  ctx.structure("rlimit64", ctx.u(3), true);
}

void decode_personality(DecodeCtx& ctx) {
  if (ctx.entering()) {
    auto v = static_cast<std::uint32_t>(ctx.u(0));
    ctx.arg(0);
    if (v == 0xffffffff) {
      ctx.out().hex(v);  // the query form
    } else {
      personality_value(ctx.out(), v);
    }
    return;
  }
  if (ctx.failed()) return;
  ctx.syscall().ret_type = RetType::Hex;
  personality_value(ctx.syscall().ret_aux, static_cast<std::uint32_t>(ctx.ret()));
}

void print_uint_struct(DecodeCtx& ctx, std::uint64_t addr) {
  // A single unsigned int out-parameter (getcpu's cpu and node, mq_timedreceive's priority).
  pfam::uint_in_brackets(ctx, addr, false);
}

void print_aio_context_struct(DecodeCtx& ctx, std::uint64_t addr) {
  // io_setup's context id, an address-like word: [0x7f...].
  pfam::ptr_in_brackets(ctx, addr, false);
}

void decode_getpriority(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  pfam::xval_int(ctx.out(), "priority_which", static_cast<std::int32_t>(ctx.u(0)), "PRIO_???");
  ctx.arg(1);
  // `who` is a process for PRIO_PROCESS, a group for PRIO_PGRP, a user for PRIO_USER.
  auto which = static_cast<std::int32_t>(ctx.u(0));
  if (which == 0) {
    ctx.pid(ctx.u(1), PidKind::Tgid);
  } else if (which == 1) {
    ctx.pid(ctx.u(1), PidKind::Pgid);
  } else {
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(1)));
  }
}

void decode_setpriority(DecodeCtx& ctx) {
  decode_getpriority(ctx);
  if (!ctx.entering()) return;
  ctx.arg(2);
  ctx.out().int_(static_cast<std::int32_t>(ctx.u(2)));
}

void decode_all_at_exit(DecodeCtx& ctx) {
  // uname, sysinfo, times: the only argument is an output, so the line starts at exit.
  if (ctx.entering() || ctx.syscall().spec == nullptr) return;
  for (int i = 0; i < ctx.syscall().spec->nargs; ++i) {
    ctx.arg(i);
    ctx.generic(i);
  }
}

void decode_get_robust_list(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tid);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  pfam::ptr_in_brackets(ctx, ctx.u(1), true);
  ctx.arg(2);
  pfam::ulong_in_brackets(ctx, ctx.u(2), true);
}

}  // namespace ptk::sys
