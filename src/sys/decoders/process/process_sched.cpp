// Scheduling (sched_*), capabilities (capget/capset) and the id calls that return arrays or
// write through pointers (getresuid, getgroups).
#include <sched.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// The smallest cpu set size the kernel accepts, found as strace does: sched_getaffinity
// with a NULL mask fails with EINVAL while the size is too small (and EFAULT once it is not).
std::uint64_t kernel_cpuset_size() {
  static const std::uint64_t size = [] {
    std::uint64_t s = 128;
    while (s != 0 && s < (1u << 20) && ::sched_getaffinity(0, s, nullptr) == -1 &&
           errno == EINVAL) {
      s <<= 1;
    }
    return s == 0 || s >= (1u << 20) ? 128 : s;
  }();
  return size;
}

struct SchedAttr {
  std::uint32_t size, sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime, sched_deadline, sched_period;
  std::uint32_t sched_util_min, sched_util_max;
};
constexpr std::uint32_t kSchedAttrVer0 = 48;
constexpr std::uint32_t kSchedAttrVer1 = 56;
constexpr std::uint64_t kKeepPolicy = 0x08, kKeepParams = 0x10;

// strace's print_sched_attr; usize is sched_getattr's size, 0 for sched_setattr.
void sched_attr(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t usize) {
  SchedAttr a{};
  TokenList& o = ctx.out();
  bool is_set = usize == 0;
  std::uint32_t size = 0;
  if (!is_set) {
    size = std::min<std::uint32_t>(usize, sizeof a);
    if (addr == 0 || ctx.failed() || !ctx.read(addr, &a, size)) {
      o.ptr(addr);
      return;
    }
    size = a.size;  // what the kernel wrote
  } else {
    if (addr == 0 || !ctx.read(addr, a.size)) {
      o.ptr(addr);
      return;
    }
    usize = a.size != 0 ? a.size : kSchedAttrVer0;
    size = std::min<std::uint32_t>(usize, sizeof a);
    if (size >= kSchedAttrVer0 && !ctx.read(addr, &a, size)) {
      o.ptr(addr);
      return;
    }
  }
  o.begin_struct();
  o.field("size");
  o.uint_(a.size);
  if (size >= kSchedAttrVer0) {
    if (!is_set || static_cast<std::int32_t>(a.sched_policy) < 0 ||
        (a.sched_flags & (kKeepPolicy | kKeepParams)) == 0) {
      o.field("sched_policy");
      pfam::xval(o, "sched_policy", a.sched_policy, "SCHED_???");
    }
    o.field("sched_flags");
    pfam::xflags(o, "sched_attr_flags", a.sched_flags, "SCHED_FLAG_???");
    if (!is_set || (a.sched_flags & kKeepParams) == 0) {
      o.field("sched_nice");
      o.int_(a.sched_nice);
      o.field("sched_priority");
      o.uint_(a.sched_priority);
      o.field("sched_runtime");
      o.uint_(a.sched_runtime);
      o.field("sched_deadline");
      o.uint_(a.sched_deadline);
      o.field("sched_period");
      o.uint_(a.sched_period);
    }
    if (size >= kSchedAttrVer1) {
      o.field("sched_util_min");
      o.uint_(a.sched_util_min);
      o.field("sched_util_max");
      o.uint_(a.sched_util_max);
    }
  }
  o.end_struct((is_set ? usize : a.size) > size);
}

// Capability sets: 1<<CAP_CHOWN|1<<CAP_KILL, over the low and (version 2 and 3) high words.
void cap_bits(TokenList& o, std::uint32_t lo, std::uint32_t hi) {
  o.begin_flags();
  if (lo == 0 && hi == 0) {
    o.hex(0);
    o.end_flags();
    return;
  }
  for (unsigned b = 0; b < 32; ++b) {
    if (lo & (1u << b)) {
      std::string_view n = pfam::xlat_lookup("capability", b);
      o.name(fmt::format("1<<{}", n), b);
    }
  }
  std::uint32_t rest = hi;
  bool named = false;
  for (unsigned b = 0; b < 32; ++b) {
    if ((hi & (1u << b)) == 0) continue;
    std::string_view n = pfam::xlat_lookup("capability", 32 + b);
    if (n.empty()) continue;
    o.name(fmt::format("1<<{}", n), 32 + b);
    rest &= ~(1u << b);
    named = true;
  }
  if (rest != 0) {
    o.hex(rest);
    if (!named) o.comment("CAP_???");
  }
  o.end_flags();
}

struct CapHeader {
  std::uint32_t version;
  std::int32_t pid;
};

bool cap_header(DecodeCtx& ctx, std::uint64_t addr, CapHeader& h) {
  return addr != 0 && ctx.read(addr, h);
}

void print_cap_header(DecodeCtx& ctx, std::uint64_t addr) {
  CapHeader h{};
  TokenList& o = ctx.out();
  // -e verbose=!capget,capset: both structures as addresses (strace's caps-abbrev.test).
  if (!ctx.options().dereference || !cap_header(ctx, addr, h)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("version");
  pfam::xval(o, "cap_version", h.version, "_LINUX_CAPABILITY_VERSION_???");
  o.field("pid");
  o.int_(h.pid);
  o.end_struct();
}

void print_cap_data(DecodeCtx& ctx, std::uint64_t addr, const CapHeader* h) {
  TokenList& o = ctx.out();
  if (addr == 0 || h == nullptr || !ctx.options().dereference) {
    o.ptr(addr);
    return;
  }
  // Versions 2 and 3 take two 32-bit halves of each set; version 1 (and unknown ones) one.
  std::size_t len = h->version == 0x20071026 || h->version == 0x20080522 ? 2 : 1;
  std::uint32_t d[2][3] = {};
  if (!ctx.read(addr, d, len * sizeof d[0])) {
    o.ptr(addr);
    return;
  }
  static constexpr std::string_view kNames[] = {"effective", "permitted", "inheritable"};
  o.begin_struct();
  for (std::size_t i = 0; i < 3; ++i) {
    o.field(kNames[i]);
    cap_bits(o, d[0][i], len > 1 ? d[1][i] : 0);
  }
  o.end_struct();
}

// The id width of argument i: 16 for the legacy i386 calls (uid16/gid16 types).
int id_bits(DecodeCtx& ctx, int i) {
  const SyscallSpec* spec = ctx.syscall().spec;
  if (spec == nullptr || i >= spec->nargs) return 32;
  std::string_view p = spec->args[static_cast<std::size_t>(i)].param;
  return p.find("16") != std::string_view::npos ? 16 : 32;
}

void id_in_brackets(DecodeCtx& ctx, std::uint64_t addr, int bits) {
  std::uint32_t v = 0;
  if (addr == 0 || (ctx.exiting() && ctx.failed()) ||
      !ctx.read(addr, &v, static_cast<std::size_t>(bits / 8))) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  pfam::id_value(ctx.out(), v, bits);
  ctx.out().end_array();
}

// strace's print_groups: at most NGROUPS_MAX ids, else the address.
void groups(DecodeCtx& ctx, std::uint64_t len, std::uint64_t addr, int bits) {
  constexpr std::uint64_t kNgroupsMax = 65536;
  if (len > kNgroupsMax) {
    ctx.out().ptr(addr);
    return;
  }
  pfam::print_array(ctx, addr, len, static_cast<std::size_t>(bits / 8),
                    [&](const unsigned char* p) {
                      std::uint32_t v = 0;
                      std::memcpy(&v, p, static_cast<std::size_t>(bits / 8));
                      pfam::id_value(ctx.out(), v, bits);
                    });
}

}  // namespace

// strace's print_affinitylist: the CPUs of a mask of `len` bytes, "..." when the mask is
// longer than the kernel's.
void print_affinitylist(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  TokenList& o = ctx.out();
  if (addr == 0 || (ctx.exiting() && ctx.failed())) {
    o.ptr(addr);
    return;
  }
  if (len == 0) {
    o.begin_array();
    o.end_array();
    return;
  }
  std::uint64_t want = std::min(len, kernel_cpuset_size());
  auto ws = static_cast<std::uint64_t>(ctx.word_size());
  std::uint64_t size = (want + ws - 1) / ws * ws;
  std::vector<unsigned char> bits(static_cast<std::size_t>(size), 0);
  if (!ctx.read(addr, bits.data(), static_cast<std::size_t>(want))) {
    o.ptr(addr);
    return;
  }
  o.begin_set();
  for (std::size_t i = 0; i < bits.size() * 8; ++i) {
    if (bits[i / 8] & (1u << (i % 8))) o.int_(static_cast<std::int64_t>(i));
  }
  if (size < len) o.raw("...");
  o.end_set();
}

void decode_sched_getaffinity(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    ctx.arg(1);
    ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(1)));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  print_affinitylist(ctx, ctx.u(2), ctx.failed() ? 0 : static_cast<std::uint64_t>(ctx.ret()));
}

void decode_sched_setaffinity(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto len = static_cast<std::uint32_t>(ctx.u(1));
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  ctx.arg(1);
  ctx.out().uint_(len);
  ctx.arg(2);
  print_affinitylist(ctx, ctx.u(2), len);
}

void decode_sched_getscheduler(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    return;
  }
  if (ctx.failed()) return;
  std::string_view n = pfam::xlat_lookup("sched_policy", static_cast<std::uint64_t>(ctx.ret()));
  if (!n.empty()) ctx.syscall().ret_aux.name(n, static_cast<std::uint64_t>(ctx.ret()));
}

void decode_sched_setscheduler(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.pid(ctx.u(0), PidKind::Tgid);
  ctx.arg(1);
  pfam::xval(ctx.out(), "sched_policy", ctx.u(1), "SCHED_???");
  ctx.arg(2);
  pfam::int_in_brackets(ctx, ctx.u(2), false);
}

void decode_sched_priority_limit(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  pfam::xval(ctx.out(), "sched_policy", ctx.u(0), "SCHED_???");
}

void decode_sched_getattr(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    ctx.syscall().more_at_exit = true;
    return;
  }
  auto size = static_cast<std::uint32_t>(ctx.u(2));
  ctx.arg(1);
  if (size != 0) {
    sched_attr(ctx, ctx.u(1), size);
  } else {
    ctx.out().ptr(ctx.u(1));
  }
  ctx.arg(2);
  ctx.out().uint_(size);
  ctx.arg(3);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(3)));
}

void decode_sched_setattr(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    ctx.arg(1);
    sched_attr(ctx, ctx.u(1), 0);
    return;
  }
  // E2BIG: the kernel wrote back the size it supports.
  std::uint32_t size = 0;
  if (ctx.failed() && ctx.ret() == -E2BIG && ctx.read(ctx.u(1), size)) {
    TokenList& o = ctx.out();
    o.raw(" => ");
    o.begin_struct();
    o.field("size");
    o.uint_(size);
    o.end_struct();
  }
  ctx.arg(2);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(2)));
}

void decode_capget(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    print_cap_header(ctx, ctx.u(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  CapHeader h{};
  bool have = !ctx.failed() && cap_header(ctx, ctx.u(0), h);
  ctx.arg(1);
  print_cap_data(ctx, ctx.u(1), have ? &h : nullptr);
}

void decode_capset(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  CapHeader h{};
  bool have = cap_header(ctx, ctx.u(0), h);
  ctx.arg(0);
  print_cap_header(ctx, ctx.u(0));
  ctx.arg(1);
  print_cap_data(ctx, ctx.u(1), have ? &h : nullptr);
}

void decode_getresid(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  for (int i = 0; i < 3; ++i) {
    ctx.arg(i);
    id_in_brackets(ctx, ctx.u(i), id_bits(ctx, i));
  }
}

void decode_getgroups(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.pid(ctx.u(0), PidKind::Tgid);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  // The kernel returns how many ids it stored; a failure (-1) is beyond NGROUPS_MAX.
  std::uint64_t n = ctx.failed() ? ~0ull : static_cast<std::uint64_t>(ctx.ret());
  groups(ctx, n, ctx.u(1), id_bits(ctx, 1));
}

void decode_setgroups(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto len = static_cast<std::int32_t>(ctx.u(0));
  ctx.arg(0);
  ctx.out().int_(len);
  ctx.arg(1);
  groups(ctx, static_cast<std::uint32_t>(len), ctx.u(1), id_bits(ctx, 1));
}

void print_sched_param_struct(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t prio = 0;
  if (!ctx.read(addr, prio)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  ctx.out().int_(prio);
  ctx.out().end_array();
}

void print_uid_struct(DecodeCtx& ctx, std::uint64_t addr) { id_in_brackets(ctx, addr, 32); }

void print_uid16_struct(DecodeCtx& ctx, std::uint64_t addr) { id_in_brackets(ctx, addr, 16); }

}  // namespace ptk::sys
