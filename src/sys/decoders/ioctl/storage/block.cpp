// 0x12 requests: block devices (linux/fs.h, linux/blkpg.h, linux/blkzoned.h,
// linux/blktrace_api.h). Most pass one number by value or by pointer: a table of kinds.
#include <cstring>

#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

enum class Kind : std::uint8_t {
  None,       // no argument
  Value,      // the argument itself, unsigned
  UshortGet,  // [unsigned short] at exit
  IntGet,     // [int] at exit
  IntSet,     // [int] at entry
  UintGet,    // [unsigned int] at exit
  LongGet,    // [long] at exit
  UlongGet,   // [unsigned long] at exit
  U64Get,     // [u64] at exit
  U64Pair,    // [u64, u64] at entry
};

struct Request {
  std::uint32_t code;
  Kind kind;
};

// The size field of BLKBSZGET/BLKBSZSET/BLKGETSIZE64 is a size_t's: both ABIs' numbers.
constexpr Request kRequests[] = {
    {0x1262, Kind::Value},        // BLKRASET
    {0x1264, Kind::Value},        // BLKFRASET
    {0x1267, Kind::UshortGet},    // BLKSECTGET
    {0x127e, Kind::UshortGet},    // BLKROTATIONAL
    {0x125e, Kind::IntGet},       // BLKROGET
    {0x80081270, Kind::IntGet},   // BLKBSZGET
    {0x80041270, Kind::IntGet},   // BLKBSZGET (i386)
    {0x1268, Kind::IntGet},       // BLKSSZGET
    {0x127a, Kind::IntGet},       // BLKALIGNOFF
    {0x125d, Kind::IntSet},       // BLKROSET
    {0x40081271, Kind::IntSet},   // BLKBSZSET
    {0x40041271, Kind::IntSet},   // BLKBSZSET (i386)
    {0x127b, Kind::UintGet},      // BLKPBSZGET
    {0x1278, Kind::UintGet},      // BLKIOMIN
    {0x1279, Kind::UintGet},      // BLKIOOPT
    {0x127c, Kind::UintGet},      // BLKDISCARDZEROES
    {0x80041284, Kind::UintGet},  // BLKGETZONESZ
    {0x80041285, Kind::UintGet},  // BLKGETNRZONES
    {0x1263, Kind::LongGet},      // BLKRAGET
    {0x1265, Kind::LongGet},      // BLKFRAGET
    {0x1260, Kind::UlongGet},     // BLKGETSIZE
    {0x80081272, Kind::U64Get},   // BLKGETSIZE64
    {0x80041272, Kind::U64Get},   // BLKGETSIZE64 (i386)
    {0x80081280, Kind::U64Get},   // BLKGETDISKSEQ
    {0x1277, Kind::U64Pair},      // BLKDISCARD
    {0x127d, Kind::U64Pair},      // BLKSECDISCARD
    {0x127f, Kind::U64Pair},      // BLKZEROOUT
    {0x125f, Kind::None},         // BLKRRPART
    {0x1261, Kind::None},         // BLKFLSBUF
    {0x1274, Kind::None},         // BLKTRACESTART
    {0x1275, Kind::None},         // BLKTRACESTOP
    {0x1276, Kind::None},         // BLKTRACETEARDOWN
};

constexpr std::uint32_t kBlkpg = 0x1269;
constexpr std::uint32_t kTraceSetup = 0xc0481273;

struct BlkpgPartition {
  std::int64_t start;
  std::int64_t length;
  std::int32_t pno;
  char devname[64];
  char volname[64];
};
struct TraceSetup {
  char name[32];
  std::uint16_t act_mask;
  std::uint32_t buf_size;
  std::uint32_t buf_nr;
  std::uint64_t start_lba;
  std::uint64_t end_lba;
  std::uint32_t pid;
};
static_assert(sizeof(BlkpgPartition) == 152 && sizeof(TraceSetup) == 72);

template <typename T>
void number(DecodeCtx& ctx, std::uint64_t arg, bool is_signed) {
  T v{};
  if (!fetch(ctx, arg, v)) return;
  ctx.out().begin_array();
  if (is_signed) {
    ctx.out().int_(static_cast<std::int64_t>(v));
  } else {
    ctx.out().uint_(static_cast<std::uint64_t>(v));
  }
  ctx.out().end_array();
}

bool is_get(Kind k) {
  return k == Kind::UshortGet || k == Kind::IntGet || k == Kind::UintGet || k == Kind::LongGet ||
         k == Kind::UlongGet || k == Kind::U64Get;
}

void simple(DecodeCtx& ctx, Kind kind, std::uint64_t arg) {
  bool wide = ctx.word_size() == 8;
  switch (kind) {
    case Kind::Value:
      ctx.out().uint_(arg);
      break;
    case Kind::UshortGet:
      number<std::uint16_t>(ctx, arg, false);
      break;
    case Kind::IntGet:
    case Kind::IntSet:
      number<std::int32_t>(ctx, arg, true);
      break;
    case Kind::UintGet:
      number<std::uint32_t>(ctx, arg, false);
      break;
    case Kind::LongGet:
      if (wide) {
        number<std::int64_t>(ctx, arg, true);
      } else {
        number<std::int32_t>(ctx, arg, true);
      }
      break;
    case Kind::UlongGet:
      if (wide) {
        number<std::uint64_t>(ctx, arg, false);
      } else {
        number<std::uint32_t>(ctx, arg, false);
      }
      break;
    case Kind::U64Get:
      number<std::uint64_t>(ctx, arg, false);
      break;
    case Kind::U64Pair: {
      std::uint64_t v[2];
      if (!fetch(ctx, arg, v)) break;
      ctx.out().begin_array();
      ctx.out().uint_(v[0]);
      ctx.out().uint_(v[1]);
      ctx.out().end_array();
      break;
    }
    case Kind::None:
      break;
  }
}

void blkpg(DecodeCtx& ctx, std::uint64_t arg) {
  std::int32_t head[4];  // op, flags, datalen, padding; then the data pointer
  std::uint64_t data = 0;
  unsigned char buf[24];
  if (!fetch(ctx, arg, buf)) return;
  std::memcpy(head, buf, 12);
  std::memcpy(&data, buf + 16, 8);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("op");
  val(o, "blkpg_ops", static_cast<std::uint32_t>(head[0]), "BLKPG_???");
  field_i(o, "flags", head[1]);
  field_i(o, "datalen", head[2]);
  o.field("data");
  BlkpgPartition p;
  if (fetch(ctx, data, p)) {
    o.begin_struct();
    field_i(o, "start", p.start);
    field_i(o, "length", p.length);
    field_i(o, "pno", p.pno);
    o.field("devname");
    cstring(o, p.devname, sizeof p.devname);
    o.field("volname");
    cstring(o, p.volname, sizeof p.volname);
    o.end_struct();
  }
  o.end_struct();
}

// The caller's setup at entry; the name the kernel gave the trace at exit, in the same braces
// (the entry's tokens are rendered apart from these: the separator is spelled out).
Res trace_setup(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  TraceSetup t;
  if (ctx.exiting()) {
    if (!ctx.failed() && ctx.read(arg, t)) {
      o.raw(", ");
      o.field("name");
      cstring(o, t.name, sizeof t.name);
    }
    o.end_struct();
    return Res::Done;
  }
  ctx.arg(2);
  if (!fetch(ctx, arg, t)) return Res::Done;
  o.begin_struct();
  field_u(o, "act_mask", t.act_mask);
  field_u(o, "buf_size", t.buf_size);
  field_u(o, "buf_nr", t.buf_nr);
  field_u(o, "start_lba", t.start_lba);
  field_u(o, "end_lba", t.end_lba);
  o.field("pid");
  ctx.pid(static_cast<std::int32_t>(t.pid), PidKind::Tgid);  // -Y names it, pidns translates
  return Res::Exit;
}

}  // namespace

Res block(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  // struct blkpg_ioctl_arg and blk_user_trace_setup: the x86_64 layouts only.
  if (code == kBlkpg && ctx.word_size() == 8) {
    ctx.arg(2);
    blkpg(ctx, arg);
    return Res::Done;
  }
  if (code == kTraceSetup) return trace_setup(ctx, arg);
  for (const Request& r : kRequests) {
    if (r.code != code) continue;
    if (r.kind == Kind::None) return Res::Done;
    if (is_get(r.kind) && ctx.entering()) return Res::Exit;
    ctx.arg(2);
    simple(ctx, r.kind, arg);
    return Res::Done;
  }
  return Res::Hex;
}

}  // namespace ptk::sys::ioctl
