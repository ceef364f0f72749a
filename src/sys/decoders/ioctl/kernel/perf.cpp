// '$' requests: perf event descriptors (linux/perf_event.h).
#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/desc/perf_attr.h"
#include "decoders/ioctl/ioctl.h"

namespace ptk::sys::ioctl {
namespace {

enum Nr : std::uint32_t {
  kEnable = 0,
  kDisable = 1,
  kRefresh = 2,
  kReset = 3,
  kPeriod = 4,
  kSetOutput = 5,
  kSetFilter = 6,
  kId = 7,
  kSetBpf = 8,
  kPauseOutput = 9,
  kQueryBpf = 10,
  kModifyAttributes = 11,
};

constexpr NamedBit kIocFlags[] = {{0, "PERF_IOC_FLAG_GROUP"}};
// The kernel copies at most a page of filter text.
constexpr std::uint64_t kMaxFilter = 4096;

// The request's number when its direction and size are those of the kernel's definition
// (pointer-sized ones follow the tracee's word), else -1.
int request_nr(const DecodeCtx& ctx, std::uint32_t code) {
  auto word = static_cast<std::uint32_t>(ctx.word_size());
  std::uint32_t nr = ioc_nr(code);
  std::uint32_t want = 0;
  switch (nr) {
    case kEnable:
    case kDisable:
    case kRefresh:
    case kReset:
    case kSetOutput:
      want = ioc(kIocNone, '$', nr, 0);
      break;
    case kPeriod:
      want = ioc(kIocWrite, '$', nr, 8);
      break;
    case kSetFilter:
      want = ioc(kIocWrite, '$', nr, word);
      break;
    case kId:
      want = ioc(kIocRead, '$', nr, word);
      break;
    case kSetBpf:
    case kPauseOutput:
      want = ioc(kIocWrite, '$', nr, 4);
      break;
    case kQueryBpf:
      want = ioc(kIocRead | kIocWrite, '$', nr, word);
      break;
    case kModifyAttributes:
      want = ioc(kIocWrite, '$', nr, word);
      break;
    default:
      return -1;
  }
  return want == code ? static_cast<int>(nr) : -1;
}

// struct perf_event_query_bpf {u32 ids_len, prog_cnt, ids[]}: the room at entry, the programs
// at exit ("..." after a failure).
Res query_bpf(DecodeCtx& ctx, std::uint64_t arg) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(2);
    std::uint32_t len = 0;
    if (!fetch(ctx, arg, len)) return Res::Done;
    o.begin_struct();
    field_u(o, "ids_len", len);
    return Res::Exit;
  }
  // The exit's tokens render apart from the entry's open struct: the separator is spelled out.
  o.raw(", ");
  std::uint32_t count = 0;
  if (ctx.failed() || !ctx.read(arg + 4, count)) {
    o.raw("...");
    o.end_struct();
    return Res::Done;
  }
  field_u(o, "prog_cnt", count);
  o.raw(", ");
  o.field("ids");
  desc::array(ctx, arg + 8, count, 4, [&](const unsigned char* p) {
    std::uint32_t id;
    std::memcpy(&id, p, sizeof id);
    o.uint_(id);
  });
  o.end_struct();
  return Res::Done;
}

}  // namespace

Res perf(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg) {
  int nr = request_nr(ctx, code);
  if (nr < 0) return Res::Hex;
  if (nr == kQueryBpf) return query_bpf(ctx, arg);
  if (nr == kId) {
    if (ctx.entering()) return Res::Exit;
    ctx.arg(2);
    desc::num_uint64(ctx, arg);
    return Res::Done;
  }
  ctx.arg(2);
  TokenList& o = ctx.out();
  switch (nr) {
    case kEnable:
    case kDisable:
    case kReset:
      bit_flags(o, kIocFlags, static_cast<std::uint32_t>(arg), "PERF_IOC_FLAG_???");
      break;
    case kRefresh:
      o.int_(static_cast<std::int32_t>(arg));
      break;
    case kPeriod:
      desc::num_uint64(ctx, arg);
      break;
    case kSetOutput:
    case kSetBpf:
      ctx.fd(static_cast<std::int32_t>(arg));
      break;
    case kSetFilter:
      afam::bounded_string(ctx, arg, kMaxFilter);
      break;
    case kModifyAttributes: {
      perf::Attr attr;
      if (perf::fetch_attr(ctx, arg, attr)) perf::print_attr(ctx, attr);
      break;
    }
    default:  // kPauseOutput
      o.uint_(arg);
      break;
  }
  return Res::Done;
}

}  // namespace ptk::sys::ioctl
