// 'L' requests: loop devices (linux/loop.h). struct loop_info holds longs; only the native
// x86_64 layout is decoded (an i386 tracee's shows as its address).
#include <linux/loop.h>

#include <algorithm>
#include <span>

#include "decoders/file/file_util.h"
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

constexpr std::uint32_t kSetFd = 0x4c00;
constexpr std::uint32_t kClrFd = 0x4c01;
constexpr std::uint32_t kSetStatus = 0x4c02;
constexpr std::uint32_t kGetStatus = 0x4c03;
constexpr std::uint32_t kSetStatus64 = 0x4c04;
constexpr std::uint32_t kGetStatus64 = 0x4c05;
constexpr std::uint32_t kChangeFd = 0x4c06;
constexpr std::uint32_t kSetCapacity = 0x4c07;
constexpr std::uint32_t kSetDirectIo = 0x4c08;
constexpr std::uint32_t kSetBlockSize = 0x4c09;
constexpr std::uint32_t kConfigure = 0x4c0a;
constexpr std::uint32_t kCtlAdd = 0x4c80;
constexpr std::uint32_t kCtlRemove = 0x4c81;
constexpr std::uint32_t kCtlGetFree = 0x4c82;

template <typename T>
void hex_array(TokenList& o, std::string_view name, std::span<const T> a) {
  o.field(name);
  o.begin_array();
  for (T v : a) o.hex(v);
  o.end_array();
}

// The key: as many bytes as its size says, at most the array.
void key(TokenList& o, const unsigned char* k, std::uint32_t size) {
  o.field("lo_encrypt_key");
  std::size_t n = std::min<std::size_t>(size, LO_KEY_SIZE);
  o.str(std::string_view(reinterpret_cast<const char*>(k), n));
}

void crypt_type(TokenList& o, std::uint32_t type, std::uint32_t key_size) {
  o.field("lo_encrypt_type");
  val(o, "loop_crypt_types", type, "LO_CRYPT_???");
  field_u(o, "lo_encrypt_key_size", key_size);
}

void lo_flags(TokenList& o, std::uint32_t v) {
  o.field("lo_flags");
  flags(o, "loop_flags", v, "LO_FLAGS_???");
}

void info(DecodeCtx& ctx, std::uint64_t addr) {
  loop_info li;
  if (!fetch(ctx, addr, li)) return;
  bool full = ctx.options().verbose;
  // Encryption fields show without -v only when encryption is on.
  bool crypt = full || li.lo_encrypt_type != LO_CRYPT_NONE;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_i(o, "lo_number", li.lo_number);
  if (full) {
    o.field("lo_device");
    ffam::device(ctx, li.lo_device);
    field_u(o, "lo_inode", li.lo_inode);
    o.field("lo_rdevice");
    ffam::device(ctx, li.lo_rdevice);
  }
  field_x(o, "lo_offset", static_cast<std::uint32_t>(li.lo_offset));
  if (crypt) {
    crypt_type(o, static_cast<std::uint32_t>(li.lo_encrypt_type),
               static_cast<std::uint32_t>(li.lo_encrypt_key_size));
  }
  lo_flags(o, static_cast<std::uint32_t>(li.lo_flags));
  o.field("lo_name");
  cstring(o, li.lo_name, sizeof li.lo_name);
  if (crypt) key(o, li.lo_encrypt_key, static_cast<std::uint32_t>(li.lo_encrypt_key_size));
  if (full) {
    hex_array<unsigned long>(o, "lo_init", li.lo_init);
    hex_array<unsigned char>(o, "reserved",
                             std::span(reinterpret_cast<const unsigned char*>(li.reserved), 4));
  }
  o.end_struct(!full);
}

void info64(DecodeCtx& ctx, const loop_info64& li) {
  bool full = ctx.options().verbose;
  bool crypt = full || li.lo_encrypt_type != LO_CRYPT_NONE;
  TokenList& o = ctx.out();
  o.begin_struct();
  if (full) {
    o.field("lo_device");
    ffam::device(ctx, li.lo_device);
    field_u(o, "lo_inode", li.lo_inode);
    o.field("lo_rdevice");
    ffam::device(ctx, li.lo_rdevice);
    field_x(o, "lo_offset", li.lo_offset);
    field_u(o, "lo_sizelimit", li.lo_sizelimit);
  } else {
    field_x(o, "lo_offset", li.lo_offset);
  }
  field_u(o, "lo_number", li.lo_number);
  if (crypt) crypt_type(o, li.lo_encrypt_type, li.lo_encrypt_key_size);
  lo_flags(o, li.lo_flags);
  o.field("lo_file_name");
  cstring(o, reinterpret_cast<const char*>(li.lo_file_name), sizeof li.lo_file_name);
  if (crypt) {
    o.field("lo_crypt_name");
    cstring(o, reinterpret_cast<const char*>(li.lo_crypt_name), sizeof li.lo_crypt_name);
    key(o, li.lo_encrypt_key, li.lo_encrypt_key_size);
  }
  if (full) hex_array<__u64>(o, "lo_init", std::span<const __u64>(li.lo_init));
  o.end_struct(!full);
}

void config(DecodeCtx& ctx, std::uint64_t addr) {
  loop_config c;
  if (!fetch(ctx, addr, c)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("fd");
  ctx.fd(static_cast<std::int32_t>(c.fd));
  field_u(o, "block_size", c.block_size);
  o.field("info");
  info64(ctx, c.info);
  std::span<const __u64> rsv(c.__reserved);
  if (std::any_of(rsv.begin(), rsv.end(), [](__u64 v) { return v != 0; }))
    hex_array<__u64>(o, "__reserved", rsv);
  o.end_struct();
}

}  // namespace

Res loop(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  TokenList& o = ctx.out();
  switch (code) {
    case kClrFd:
    case kSetCapacity:
    case kCtlGetFree:
      return Res::Done;
    case kSetFd:
    case kChangeFd:
      ctx.arg(2);
      ctx.fd(static_cast<std::int32_t>(arg));
      return Res::Done;
    case kCtlAdd:
    case kCtlRemove:
      ctx.arg(2);
      o.int_(static_cast<std::int32_t>(arg));
      return Res::Done;
    case kSetDirectIo:
    case kSetBlockSize:
      ctx.arg(2);
      o.uint_(arg);
      return Res::Done;
    default:
      break;
  }
  if (ctx.word_size() != 8) return Res::Hex;
  switch (code) {
    case kGetStatus:
    case kGetStatus64:
      if (ctx.entering()) return Res::Exit;
      break;
    case kSetStatus:
    case kSetStatus64:
    case kConfigure:
      break;
    default:
      return Res::Hex;
  }
  ctx.arg(2);
  if (code == kGetStatus || code == kSetStatus) {
    info(ctx, arg);
  } else if (code == kConfigure) {
    config(ctx, arg);
  } else {
    loop_info64 li;
    if (fetch(ctx, arg, li)) info64(ctx, li);
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
