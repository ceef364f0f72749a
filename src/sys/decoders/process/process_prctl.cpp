// prctl and arch_prctl: each option decides how many arguments follow and how they read.
#include <fmt/format.h>

#include "process_decoders.h"
#include "process_prctl_values.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

using namespace prctl_values;

// The options whose numbers the switch below needs (linux/prctl.h).
enum : std::uint32_t {
  kSetPdeathsig = 1,
  kGetPdeathsig = 2,
  kGetDumpable = 3,
  kSetDumpable = 4,
  kGetUnalign = 5,
  kSetUnalign = 6,
  kGetKeepcaps = 7,
  kSetKeepcaps = 8,
  kGetFpemu = 9,
  kSetFpemu = 10,
  kGetFpexc = 11,
  kSetFpexc = 12,
  kGetTiming = 13,
  kSetTiming = 14,
  kSetName = 15,
  kGetName = 16,
  kGetEndian = 19,
  kSetEndian = 20,
  kGetSeccomp = 21,
  kSetSeccomp = 22,
  kCapbsetRead = 23,
  kCapbsetDrop = 24,
  kGetTsc = 25,
  kSetTsc = 26,
  kGetSecurebits = 27,
  kSetSecurebits = 28,
  kSetTimerslack = 29,
  kGetTimerslack = 30,
  kPerfDisable = 31,
  kPerfEnable = 32,
  kMceKill = 33,
  kMceKillGet = 34,
  kSetMm = 35,
  kSetChildSubreaper = 36,
  kGetChildSubreaper = 37,
  kSetNoNewPrivs = 38,
  kGetTidAddress = 40,
  kSetThpDisable = 41,
  kSetFpMode = 45,
  kGetFpMode = 46,
  kCapAmbient = 47,
  kSmeSetVl = 63,
  kSmeGetVl = 64,
  kSveSetVl = 50,
  kSveGetVl = 51,
  kGetSpeculationCtrl = 52,
  kSetSpeculationCtrl = 53,
  kSetTaggedAddrCtrl = 55,
  kGetTaggedAddrCtrl = 56,
  kSetIoFlusher = 57,
  kPacResetKeys = 54,
  kPacSetEnabledKeys = 60,
  kPacGetEnabledKeys = 61,
  kSetSyscallUserDispatch = 59,
  kSchedCore = 62,
  kSetVma = 0x53564d41,
  kSetPtracer = 0x59616d61,
};
constexpr std::uint64_t kTaskCommLen = 16;

// strace's print_prctl_args: arguments first..4 in hex.
void hex_args(DecodeCtx& ctx, int first) {
  for (int i = first; i < 5; ++i) {
    ctx.arg(i);
    ctx.out().hex(ctx.u(i));
  }
}

// A task name: at most `len` bytes up to a NUL, "..." when no NUL came first.
void comm(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  auto s = ctx.memory().read_string(RemoteAddr(addr), static_cast<std::size_t>(len));
  if (addr == 0 || !s.ok()) {
    ctx.out().ptr(addr);
    return;
  }
  // Unreadable before its NUL or the limit: the kernel faults on it too, and strace shows
  // the address.
  if (!s->terminated && s->bytes.size() < len) {
    ctx.out().ptr(addr);
    return;
  }
  std::uint64_t limit = ctx.options().string_limit;
  bool more = !s->terminated;
  if (s->bytes.size() > limit) {
    s->bytes.resize(static_cast<std::size_t>(limit));
    more = true;
  }
  ctx.out().str(s->bytes, more ? kTruncated : 0);
}

void prctl_entry(DecodeCtx& ctx, std::uint32_t option) {
  TokenList& o = ctx.out();
  std::uint64_t arg2 = ctx.u(1);
  switch (option) {
    case kGetKeepcaps:
    case kGetSeccomp:
    case kGetTimerslack:
    case kGetTiming:
    case kGetDumpable:
    case kGetSecurebits:
    case kGetFpMode:
    case kSveGetVl:
    case kPerfDisable:
    case kPerfEnable:
      return;
    case kGetChildSubreaper:
    case kGetEndian:
    case kGetFpemu:
    case kGetFpexc:
    case kGetName:
    case kGetPdeathsig:
    case kGetTidAddress:
    case kGetTsc:
    case kGetUnalign:
      ctx.syscall().more_at_exit = true;
      return;
    case kSveSetVl:
      ctx.arg(1);
      vl_arg(o, "pr_sve_vl_flags", arg2);
      return;
    case kSmeSetVl:
      ctx.arg(1);
      vl_arg(o, "pr_sme_vl_flags", arg2);
      return;
    case kSmeGetVl:
      return;
    case kGetSpeculationCtrl:
      ctx.arg(1);
      pfam::xval(o, "pr_spec_cmd", arg2, "PR_SPEC_???");
      return;
    case kSetTaggedAddrCtrl:
      ctx.arg(1);
      o.name_hex(tagged_addr_text(arg2), arg2);
      hex_args(ctx, 2);
      return;
    case kPacResetKeys:
      ctx.arg(1);
      pr_xflags(o, "pr_pac_keys", arg2, "PR_PAC_???");
      hex_args(ctx, 2);
      return;
    case kPacSetEnabledKeys:
      ctx.arg(1);
      pr_xflags(o, "pr_pac_enabled_keys", arg2, "PR_PAC_???");
      ctx.arg(2);
      pr_xflags(o, "pr_pac_enabled_keys", ctx.u(2), "PR_PAC_???");
      hex_args(ctx, 3);
      return;
    case kPacGetEnabledKeys:
    case kGetTaggedAddrCtrl:
    case kMceKillGet:
      hex_args(ctx, 1);
      return;
    case kSetChildSubreaper:
    case kSetEndian:
    case kSetFpemu:
    case kSetFpexc:
    case kSetKeepcaps:
    case kSetTiming:
      ctx.arg(1);
      o.uint_(arg2);
      return;
    case kSetDumpable:
      ctx.arg(1);
      pfam::xval(o, "pr_dumpable", arg2, "SUID_DUMP_???");
      return;
    case kCapbsetDrop:
    case kCapbsetRead:
      ctx.arg(1);
      pfam::xval(o, "capability", arg2, "CAP_???");
      return;
    case kCapAmbient:
      ctx.arg(1);
      pfam::xval(o, "pr_cap_ambient", arg2, "PR_CAP_AMBIENT_???");
      if (arg2 >= 1 && arg2 <= 3) {  // IS_SET, RAISE, LOWER take a capability
        ctx.arg(2);
        pfam::xval(o, "capability", ctx.u(2), "CAP_???");
        hex_args(ctx, 3);
      } else {
        hex_args(ctx, 2);
      }
      return;
    case kMceKill:
      ctx.arg(1);
      pfam::xval(o, "pr_mce_kill", arg2, "PR_MCE_KILL_???");
      ctx.arg(2);
      if (arg2 == 1) {  // PR_MCE_KILL_SET
        pfam::xval(o, "pr_mce_kill_policy", ctx.u(2), "PR_MCE_KILL_???");
      } else {
        o.hex(ctx.u(2));
      }
      hex_args(ctx, 3);
      return;
    case kSetName:
      ctx.arg(1);
      comm(ctx, arg2, kTaskCommLen - 1);
      return;
    case kSetVma:
      ctx.arg(1);
      pfam::xval(o, "pr_set_vma", arg2, "PR_SET_VMA_???");
      if (arg2 == 0) {  // PR_SET_VMA_ANON_NAME: start, size, name
        ctx.arg(2);
        o.ptr(ctx.u(2));
        ctx.arg(3);
        o.uint_(ctx.u(3));
        ctx.arg(4);
        ctx.string(ctx.u(4));
      } else {
        hex_args(ctx, 2);
      }
      return;
    case kSetMm:
      ctx.arg(1);
      pfam::xval(o, "pr_set_mm", static_cast<std::uint32_t>(arg2), "PR_SET_MM_???");
      hex_args(ctx, 2);
      return;
    case kSetPdeathsig:
      ctx.arg(1);
      if (arg2 > 128) {
        o.uint_(arg2);
      } else {
        pfam::signal_value(o, static_cast<std::int64_t>(arg2));
      }
      return;
    case kSetPtracer:
      ctx.arg(1);
      if (static_cast<std::int32_t>(arg2) == -1) {
        o.name("PR_SET_PTRACER_ANY", static_cast<std::uint64_t>(-1));
      } else {
        ctx.pid(static_cast<std::int32_t>(arg2), PidKind::Tgid);
      }
      return;
    case kSetSeccomp:
      ctx.arg(1);
      pfam::xval(o, "seccomp_mode", arg2, "SECCOMP_MODE_???");
      if (arg2 == 1) return;  // SECCOMP_MODE_STRICT
      if (arg2 == 2) {        // SECCOMP_MODE_FILTER
        ctx.arg(2);
        print_seccomp_fprog(ctx, ctx.u(2));
        return;
      }
      hex_args(ctx, 2);
      return;
    case kSetSecurebits:
      ctx.arg(1);
      pr_xflags(o, "secbits", arg2, "SECBIT_???");
      return;
    case kSetTimerslack:
      // strace prints the register as a signed long: an i386 -1 is 4294967295.
      ctx.arg(1);
      o.int_(static_cast<std::int64_t>(arg2));
      return;
    case kSetTsc:
      ctx.arg(1);
      pfam::xval(o, "pr_tsc", static_cast<std::uint32_t>(arg2), "PR_TSC_???");
      return;
    case kSetUnalign:
      ctx.arg(1);
      pfam::xflags(o, "pr_unalign_flags", arg2, "PR_UNALIGN_???");
      return;
    case kSetNoNewPrivs:
    case kSetThpDisable:
    case kSetIoFlusher:
      ctx.arg(1);
      o.uint_(arg2);
      hex_args(ctx, 2);
      return;
    case kSetFpMode:
      ctx.arg(1);
      pfam::xflags(o, "pr_fp_mode", arg2, "PR_FP_MODE_???");
      return;
    case kSetSpeculationCtrl:
      ctx.arg(1);
      pfam::xval(o, "pr_spec_cmd", arg2, "PR_SPEC_???");
      ctx.arg(2);
      if (arg2 <= 2) {
        pfam::xval(o, "pr_spec_set_flags", ctx.u(2), "PR_SPEC_???");
      } else {
        o.hex(ctx.u(2));
      }
      return;
    case kSetSyscallUserDispatch:
      ctx.arg(1);
      pfam::xval(o, "pr_sud_cmd", arg2, "PR_SYS_DISPATCH_???");
      ctx.arg(2);
      o.hex(ctx.u(2));
      ctx.arg(3);
      o.hex(ctx.u(3));
      ctx.arg(4);
      o.ptr(ctx.u(4));
      return;
    case kSchedCore: {
      // The command and the pid type are C ints: the upper halves of the registers are noise.
      auto cmd = static_cast<std::uint32_t>(arg2);
      auto type = static_cast<std::uint32_t>(ctx.u(3));
      ctx.arg(1);
      pr_xval(o, "pr_sched_core_cmd", cmd, "PR_SCHED_CORE_???");
      ctx.arg(2);
      // PIDTYPE_PID, _TGID, _PGID, _SID: which id the pid is.
      static constexpr PidKind kKinds[] = {PidKind::Tid, PidKind::Tgid, PidKind::Pgid,
                                           PidKind::Sid};
      if (type < 4) {
        ctx.pid(static_cast<std::int32_t>(ctx.u(2)), kKinds[type]);
      } else {
        o.int_(static_cast<std::int32_t>(ctx.u(2)));
      }
      ctx.arg(3);
      // strace shows the pid type as the number with its name in a comment.
      o.hex(type);
      std::string_view n = pfam::xlat_lookup("pidtype", type);
      o.xlat_note(n.empty() ? "PIDTYPE_???" : n);
      if (cmd == 0) {  // PR_SCHED_CORE_GET writes the cookie through arg5
        ctx.syscall().more_at_exit = true;
        return;
      }
      ctx.arg(4);
      o.ptr(ctx.u(4));
      return;
    }
    default:
      hex_args(ctx, 1);
      return;
  }
}

void prctl_exit(DecodeCtx& ctx, std::uint32_t option) {
  TokenList& o = ctx.out();
  std::uint64_t arg2 = ctx.u(1);
  TokenList& aux = ctx.syscall().ret_aux;
  switch (option) {
    case kGetChildSubreaper:
    case kGetEndian:
    case kGetFpemu:
    case kGetFpexc:
      ctx.arg(1);
      pfam::uint_in_brackets(ctx, arg2, true);
      return;
    case kGetDumpable:
      if (!ctx.failed()) {
        std::string_view n =
            pfam::xlat_lookup("pr_dumpable", static_cast<std::uint64_t>(ctx.ret()));
        if (!n.empty()) aux.name(n, static_cast<std::uint64_t>(ctx.ret()));
      }
      return;
    case kGetName:
      ctx.arg(1);
      if (ctx.failed()) {
        o.ptr(arg2);
      } else {
        comm(ctx, arg2, kTaskCommLen);
      }
      return;
    case kGetPdeathsig:
    case kGetTsc:
    case kGetUnalign: {
      ctx.arg(1);
      std::uint32_t v = 0;
      if (arg2 == 0 || ctx.failed() || !ctx.read(arg2, v)) {
        o.ptr(arg2);
        return;
      }
      o.begin_array();
      if (option == kGetPdeathsig) {
        pfam::signal_value(o, static_cast<std::int32_t>(v));
      } else if (option == kGetTsc) {
        pfam::xval(o, "pr_tsc", v, "PR_TSC_???");
      } else {
        pfam::xflags(o, "pr_unalign_flags", v, "PR_UNALIGN_???");
      }
      o.end_array();
      return;
    }
    case kGetSecurebits:
      ret_flags(ctx, "secbits");
      return;
    case kGetFpMode:
      ret_flags(ctx, "pr_fp_mode");
      return;
    case kGetTidAddress:
      ctx.arg(1);
      pfam::ptr_in_brackets(ctx, arg2, true);
      return;
    case kGetSpeculationCtrl:
      if (ctx.failed() || arg2 > 2) return;
      ctx.syscall().ret_type = RetType::Hex;
      if (std::string t = flag_names("pr_spec_get_flags", static_cast<std::uint64_t>(ctx.ret()));
          !t.empty()) {
        aux.raw_note(t);
      }
      return;
    case kPacGetEnabledKeys:
      if (ctx.failed()) return;
      ctx.syscall().ret_type = RetType::Hex;
      if (std::string t = flag_names("pr_pac_enabled_keys", static_cast<std::uint64_t>(ctx.ret()));
          !t.empty()) {
        aux.raw_note(t);
      }
      return;
    case kGetTaggedAddrCtrl:
      if (ctx.failed()) return;
      ctx.syscall().ret_type = RetType::Hex;
      aux.raw_note(tagged_addr_text(static_cast<std::uint64_t>(ctx.ret())));
      return;
    case kSveSetVl:
    case kSveGetVl:
      vl_ret(ctx, "pr_sve_vl_flags");
      return;
    case kSmeSetVl:
    case kSmeGetVl:
      vl_ret(ctx, "pr_sme_vl_flags");
      return;
    case kMceKillGet:
      if (!ctx.failed()) {
        std::string_view n =
            pfam::xlat_lookup("pr_mce_kill_policy", static_cast<std::uint64_t>(ctx.ret()));
        if (!n.empty()) aux.name(n, static_cast<std::uint64_t>(ctx.ret()));
      }
      return;
    case kSchedCore:
      if (static_cast<std::uint32_t>(arg2) != 0) return;
      ctx.arg(4);
      if (ctx.failed()) {
        o.ptr(ctx.u(4));
      } else {
        std::uint64_t cookie = 0;
        if (ctx.u(4) == 0 || !ctx.read(ctx.u(4), cookie)) {
          o.ptr(ctx.u(4));
        } else {
          o.begin_array();
          o.hex(cookie);
          o.end_array();
        }
      }
      return;
    default:
      return;
  }
}

// An XSAVE feature mask as strace shows it in verbose style: 0xe7 /* A|B|C */.
// The names of an XSAVE feature mask's bits and the hex rest, or empty when none matches.
std::string xfeature_mask_names(std::uint64_t v) {
  TokenList names;
  names.begin_flags();
  std::uint64_t rest = pfam::xflags_names(names, "x86_xfeature_mask", v);
  std::string text;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (!text.empty()) text += '|';
    text += names.text(names[i]);
  }
  if (!text.empty() && rest != 0) text += fmt::format("|{:#x}", rest);
  return text;
}

void xfeature_mask(TokenList& o, std::uint64_t v) {
  o.hex(v);
  if (v == 0) return;  // an empty mask is a plain 0, with no note
  std::string text = xfeature_mask_names(v);
  o.xlat_note(text.empty() ? "XFEATURE_MASK_???" : text);
}

}  // namespace

void decode_prctl(DecodeCtx& ctx) {
  auto option = static_cast<std::uint32_t>(ctx.u(0));
  if (ctx.entering()) {
    ctx.arg(0);
    pr_xval(ctx.out(), "prctl_option", option, "PR_???");
    prctl_entry(ctx, option);
    return;
  }
  prctl_exit(ctx, option);
}

void decode_arch_prctl(DecodeCtx& ctx) {
  auto option = static_cast<std::uint32_t>(ctx.u(0));
  std::uint64_t addr = ctx.u(1);
  TokenList& o = ctx.out();
  enum : std::uint32_t {
    kGetFs = 0x1003,
    kGetGs = 0x1004,
    kGetCpuid = 0x1011,
    kGetXcompSupp = 0x1021,
    kGetXcompPerm = 0x1022,
    kReqXcompPerm = 0x1023,
    kGetXcompGuestPerm = 0x1024,
    kReqXcompGuestPerm = 0x1025,
  };
  bool get_word = option == kGetFs || option == kGetGs;
  bool get_mask =
      option == kGetXcompSupp || option == kGetXcompPerm || option == kGetXcompGuestPerm;
  bool req = option == kReqXcompPerm || option == kReqXcompGuestPerm;
  if (ctx.entering()) {
    ctx.arg(0);
    pfam::xval(o, "arch_prctl_option", option, "ARCH_???");
    if (option == kGetCpuid) return;
    if (get_word || get_mask) {
      ctx.syscall().more_at_exit = true;
      return;
    }
    ctx.arg(1);
    if (req) {
      o.hex(addr);
      std::string_view n = pfam::xlat_lookup("x86_xfeature", addr);
      o.xlat_note(n.empty() ? "XFEATURE_???" : n);
      return;
    }
    o.hex(addr);
    return;
  }
  if (get_word) {
    ctx.arg(1);
    pfam::ptr_in_brackets(ctx, addr, true);
  } else if (get_mask) {
    ctx.arg(1);
    std::uint64_t v = 0;
    if (addr == 0 || ctx.failed() || !ctx.read(addr, v)) {
      o.ptr(addr);
      return;
    }
    o.begin_array();
    xfeature_mask(o, v);
    o.end_array();
  } else if (req && !ctx.failed() && ctx.ret() > 0) {
    ctx.syscall().ret_type = RetType::Hex;
    // The names alone, and only when some bit has one (-X raw shows none).
    std::string names = xfeature_mask_names(static_cast<std::uint64_t>(ctx.ret()));
    if (!names.empty()) ctx.syscall().ret_aux.raw_note(names);
  }
}

}  // namespace ptk::sys
