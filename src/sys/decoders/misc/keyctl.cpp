// keyctl(2): the command, then its arguments by command, as strace 6.1 prints them (key
// serials by their KEY_SPEC_* name, payloads as strings, the structs of the Diffie-Hellman and
// public key commands, and the buffers the kernel fills shown at exit).
#include <algorithm>
#include <cstring>
#include <string>

#include "decoders/arg_util.h"
#include "decoders/desc/desc_util.h"
#include "decoders/process/process_util.h"
#include "misc_decoders.h"

namespace ptk::sys {
namespace {

// linux/keyctl.h's command numbers this decoder switches on.
enum Cmd : std::uint32_t {
  kGetKeyringId = 0,
  kJoinSessionKeyring = 1,
  kUpdate = 2,
  kRevoke = 3,
  kChown = 4,
  kSetperm = 5,
  kDescribe = 6,
  kClear = 7,
  kLink = 8,
  kUnlink = 9,
  kSearch = 10,
  kRead = 11,
  kInstantiate = 12,
  kNegate = 13,
  kSetReqkeyKeyring = 14,
  kSetTimeout = 15,
  kAssumeAuthority = 16,
  kGetSecurity = 17,
  kSessionToParent = 18,
  kReject = 19,
  kInstantiateIov = 20,
  kInvalidate = 21,
  kGetPersistent = 22,
  kDhCompute = 23,
  kPkeyQuery = 24,
  kPkeyEncrypt = 25,
  kPkeyDecrypt = 26,
  kPkeySign = 27,
  kPkeyVerify = 28,
  kRestrictKeyring = 29,
  kMove = 30,
  kCapabilities = 31,
};

template <typename T>
T load_as(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

constexpr std::uint64_t kHaveOutLen = std::uint64_t{1} << 32;

// A key_serial_t (a C int): KEY_SPEC_THREAD_KEYRING for a special one, else decimal.
void serial(TokenList& o, std::int32_t v) {
  auto key = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
  std::string_view n = pfam::xlat_lookup("key_serial", key);
  if (n.empty()) {
    o.int_(v);
  } else {
    o.name(n, key);
  }
}

std::int32_t s32(const DecodeCtx& ctx, int i) { return static_cast<std::int32_t>(ctx.u(i)); }

void serial_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  serial(ctx.out(), s32(ctx, i));
}

void string_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.string(ctx.u(i));
}

// A payload of `len` bytes (strace's printstrn) and its length.
void payload_args(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.buffer(ctx.u(i), ctx.u(i + 1));
  ctx.arg(i + 1);
  ctx.out().uint_(ctx.u(i + 1));
}

void uint_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  ctx.out().uint_(afam::u32(ctx, i));
}

void uid_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  pfam::id_value(ctx.out(), afam::u32(ctx, i), 32);
}

// What the kernel wrote to a buffer of `len` bytes, at exit: the call's result bounds it. A
// description's or security label's trailing NUL is not shown.
void result_buffer(DecodeCtx& ctx, int i, bool omit_nul) {
  ctx.arg(i);
  std::uint64_t addr = ctx.u(i), len = ctx.u(i + 1);
  if (ctx.failed()) {
    ctx.pointer(addr);
  } else {
    std::uint64_t n = ctx.ret() >= 0 && static_cast<std::uint64_t>(ctx.ret()) > len
                          ? len
                          : static_cast<std::uint64_t>(ctx.ret());
    std::string bytes(n, '\0');
    if (!omit_nul || addr == 0 || n == 0 || n > ctx.options().string_limit) {
      ctx.buffer(addr, n);
    } else if (!ctx.read(addr, bytes.data(), n)) {
      ctx.pointer(addr);
    } else {
      if (bytes.back() == '\0') bytes.pop_back();
      ctx.out().str(bytes);
    }
  }
  ctx.arg(i + 1);
  ctx.out().uint_(len);
}

// Nonzero reserved words: __spare=[0, 0x1, ...].
template <std::size_t N>
void spare(TokenList& o, const std::uint32_t (&words)[N]) {
  bool any = false;
  for (std::uint32_t w : words) any = any || w != 0;
  if (!any) return;
  o.field("__spare");
  o.begin_array();
  for (std::uint32_t w : words) o.hex(w);
  o.end_array();
}

void dh_params(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t p[3];
  if (addr == 0 || !ctx.read(addr, p)) {
    ctx.pointer(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  static constexpr std::string_view kNames[] = {"private", "prime", "base"};
  for (int k = 0; k < 3; ++k) {
    o.field(kNames[k]);
    serial(o, p[k]);
  }
  o.end_struct();
}

// struct keyctl_kdf_params: two pointers of the tracee's word, then otherinfolen and 8 spare
// words.
void kdf_params(DecodeCtx& ctx, std::uint64_t addr) {
  // Read whole, padding included (56 bytes on a 64-bit ABI, 44 on a 32-bit one), as strace
  // does: a struct whose padding is past the end of the mapping prints as its address.
  auto w = static_cast<std::size_t>(ctx.word_size());
  std::size_t size = (2 * w + 36 + w - 1) / w * w;
  unsigned char b[56] = {};
  if (addr == 0 || !ctx.read(addr, b, size)) {
    ctx.pointer(addr);
    return;
  }
  auto word = [&](std::size_t off) -> std::uint64_t {
    if (w == 4) return load_as<std::uint32_t>(b + off);
    return load_as<std::uint64_t>(b + off);
  };
  std::uint64_t hashname = word(0), otherinfo = word(w);
  struct {
    std::uint32_t len;
    std::uint32_t spare[8];
  } rest{};
  std::memcpy(&rest, b + 2 * w, sizeof rest);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("hashname");
  ctx.string(hashname);
  o.field("otherinfo");
  // The kernel does not look at otherinfo when its length is zero.
  if (rest.len != 0) {
    ctx.buffer(otherinfo, rest.len);
  } else {
    ctx.pointer(otherinfo);
  }
  o.field("otherinfolen");
  o.uint_(rest.len);
  spare(o, rest.spare);
  o.end_struct();
}

void dh_compute(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(1);
    dh_params(ctx, ctx.u(1));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  std::uint64_t len = ctx.u(3);
  if (ctx.failed()) {
    ctx.pointer(ctx.u(2));
  } else {
    auto r = static_cast<std::uint64_t>(ctx.ret());
    ctx.buffer(ctx.u(2), ctx.ret() >= 0 && r > len ? len : r);
  }
  ctx.arg(3);
  ctx.out().uint_(len);
  ctx.arg(4);
  kdf_params(ctx, ctx.u(4));
}

struct PkeyQuery {
  std::uint32_t supported_ops, key_size;
  std::uint16_t max_data_size, max_sig_size, max_enc_size, max_dec_size;
  std::uint32_t spare[10];
};

void pkey_query(DecodeCtx& ctx) {
  if (ctx.entering()) {
    serial_arg(ctx, 1);
    ctx.arg(2);
    ctx.out().hex(ctx.u(2));
    string_arg(ctx, 3);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(4);
  PkeyQuery q{};
  std::uint64_t addr = ctx.u(4);
  if (addr == 0 || ctx.failed() || !ctx.read(addr, q)) {
    ctx.pointer(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("supported_ops");
  afam::xflags(o, "keyctl_pkey_ops", q.supported_ops, "KEYCTL_SUPPORTS_???");
  o.field("key_size");
  o.uint_(q.key_size);
  o.field("max_data_size");
  o.uint_(q.max_data_size);
  o.field("max_sig_size");
  o.uint_(q.max_sig_size);
  o.field("max_enc_size");
  o.uint_(q.max_enc_size);
  o.field("max_dec_size");
  o.uint_(q.max_dec_size);
  spare(o, q.spare);
  o.end_struct();
}

struct PkeyParams {
  std::int32_t key_id;
  std::uint32_t in_len;
  std::uint32_t out_len;  // in2_len for KEYCTL_PKEY_VERIFY
  std::uint32_t spare[7];
};

// The encrypt, decrypt, sign and verify commands: {key_id, in_len, out_len or in2_len}, the
// info string, the input and the output (shown at exit) or second input.
void pkey_op(DecodeCtx& ctx, bool out) {
  DecodedSyscall& sc = ctx.syscall();
  if (ctx.exiting()) {
    if ((sc.priv & kHaveOutLen) == 0) return;
    ctx.arg(4);
    if (ctx.failed()) {
      ctx.pointer(ctx.u(4));
    } else {
      ctx.buffer(ctx.u(4), sc.priv & 0xffffffffu);
    }
    return;
  }
  ctx.arg(1);
  PkeyParams p{};
  std::uint64_t addr = ctx.u(1);
  bool ok = addr != 0 && ctx.read(addr, p);
  TokenList& o = ctx.out();
  if (!ok) {
    ctx.pointer(addr);
  } else {
    o.begin_struct();
    o.field("key_id");
    serial(o, p.key_id);
    o.field("in_len");
    o.uint_(p.in_len);
    o.field(out ? "out_len" : "in2_len");
    o.uint_(p.out_len);
    spare(o, p.spare);
    o.end_struct();
  }
  string_arg(ctx, 2);
  ctx.arg(3);
  if (ok) {
    ctx.buffer(ctx.u(3), p.in_len);
  } else {
    ctx.pointer(ctx.u(3));
  }
  if (ok && out) {
    sc.priv = kHaveOutLen | p.out_len;
    sc.more_at_exit = true;
    return;
  }
  ctx.arg(4);
  if (ok) {
    ctx.buffer(ctx.u(4), p.out_len);
  } else {
    ctx.pointer(ctx.u(4));
  }
}

// The capability bytes the kernel returned: KEYCTL_CAPS0_* and KEYCTL_CAPS1_* flags, then hex.
void capabilities(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.failed()) {
    ctx.pointer(ctx.u(1));
  } else {
    std::uint64_t n = std::min(ctx.u(2), static_cast<std::uint64_t>(ctx.ret()));
    int pos = 0;
    pfam::print_array(ctx, ctx.u(1), n, 1, [&](const unsigned char* p) {
      if (pos == 0) {
        afam::xflags(ctx.out(), "keyctl_caps0", *p, "KEYCTL_CAPS0_???");
      } else if (pos == 1) {
        afam::xflags(ctx.out(), "keyctl_caps1", *p, "KEYCTL_CAPS1_???");
      } else {
        ctx.out().hex(*p);
      }
      ++pos;
    });
  }
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
}

// An error number (KEYCTL_REJECT's): its name, else the number.
void error_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  std::uint32_t err = afam::u32(ctx, i);
  std::string_view n = errno_name(static_cast<int>(err));
  if (err != 0 && !n.empty()) {
    ctx.out().name(n, err);
  } else {
    ctx.out().uint_(err);
  }
}

// The commands whose arguments are all known at entry.
void at_entry_args(DecodeCtx& ctx, std::uint32_t cmd) {
  TokenList& o = ctx.out();
  switch (cmd) {
    case kGetKeyringId:
      serial_arg(ctx, 1);
      ctx.arg(2);
      o.int_(s32(ctx, 2));
      break;
    case kJoinSessionKeyring:
      string_arg(ctx, 1);
      break;
    case kUpdate:
      serial_arg(ctx, 1);
      payload_args(ctx, 2);
      break;
    case kRevoke:
    case kClear:
    case kInvalidate:
    case kAssumeAuthority:
      serial_arg(ctx, 1);
      break;
    case kLink:
    case kUnlink:
      serial_arg(ctx, 1);
      serial_arg(ctx, 2);
      break;
    case kSearch:
      serial_arg(ctx, 1);
      string_arg(ctx, 2);
      string_arg(ctx, 3);
      serial_arg(ctx, 4);
      break;
    case kChown:
      serial_arg(ctx, 1);
      uid_arg(ctx, 2);
      uid_arg(ctx, 3);
      break;
    case kSetperm:
      serial_arg(ctx, 1);
      ctx.arg(2);
      afam::xflags(o, "key_perms", afam::u32(ctx, 2), "KEY_???");
      break;
    case kInstantiate:
      serial_arg(ctx, 1);
      payload_args(ctx, 2);
      serial_arg(ctx, 4);
      break;
    case kNegate:
      serial_arg(ctx, 1);
      uint_arg(ctx, 2);
      serial_arg(ctx, 3);
      break;
    case kSetReqkeyKeyring: {
      ctx.arg(1);
      std::int32_t v = s32(ctx, 1);
      auto key = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
      std::string_view n = pfam::xlat_lookup("key_reqkeys", key);
      if (n.empty()) {
        o.int_(v);
        o.xlat_note("KEY_REQKEY_DEFL_???");
      } else {
        o.name(n, key);
      }
      break;
    }
    case kSetTimeout:
      serial_arg(ctx, 1);
      uint_arg(ctx, 2);
      break;
    case kSessionToParent:
      break;
    case kReject:
      serial_arg(ctx, 1);
      uint_arg(ctx, 2);
      error_arg(ctx, 3);
      serial_arg(ctx, 4);
      break;
    case kInstantiateIov:
      serial_arg(ctx, 1);
      ctx.arg(2);
      desc::iov(ctx, ctx.u(2), ctx.u(3), ~std::uint64_t{0}, true);
      ctx.arg(3);
      o.uint_(ctx.u(3));
      serial_arg(ctx, 4);
      break;
    case kGetPersistent:
      uid_arg(ctx, 1);
      serial_arg(ctx, 2);
      break;
    case kRestrictKeyring:
      serial_arg(ctx, 1);
      string_arg(ctx, 2);
      string_arg(ctx, 3);
      break;
    case kMove:
      serial_arg(ctx, 1);
      serial_arg(ctx, 2);
      serial_arg(ctx, 3);
      ctx.arg(4);
      afam::xflags(o, "keyctl_move_flags", afam::u32(ctx, 4), "KEYCTL_MOVE_???");
      break;
    default:
      for (int i = 1; i <= 4; ++i) {
        ctx.arg(i);
        o.hex(ctx.u(i));
      }
      break;
  }
}

}  // namespace

void decode_keyctl(DecodeCtx& ctx) {
  std::uint32_t cmd = afam::u32(ctx, 0);
  if (ctx.entering()) {
    ctx.arg(0);
    afam::xval(ctx.out(), "keyctl_cmd", cmd, "KEYCTL_???");
  }
  switch (cmd) {
    case kDescribe:
    case kRead:
    case kGetSecurity:
      if (ctx.entering()) {
        serial_arg(ctx, 1);
        ctx.syscall().more_at_exit = true;
      } else {
        result_buffer(ctx, 2, cmd != kRead);
      }
      return;
    case kDhCompute:
      dh_compute(ctx);
      return;
    case kPkeyQuery:
      pkey_query(ctx);
      return;
    case kPkeyEncrypt:
    case kPkeyDecrypt:
    case kPkeySign:
    case kPkeyVerify:
      pkey_op(ctx, cmd != kPkeyVerify);
      return;
    case kCapabilities:
      capabilities(ctx);
      return;
    default:
      if (ctx.entering()) at_entry_args(ctx, cmd);
      return;
  }
}

}  // namespace ptk::sys
