// The io_uring_register(2) arguments the kernel writes back, shown at entry and again at exit
// after " => ": IORING_REGISTER_PROBE's struct io_uring_probe and IORING_REGISTER_IOWQ_MAX_WORKERS'
// counts.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "io_uring_register.h"

namespace ptk::sys::uring {
namespace {

// struct io_uring_probe and io_uring_probe_op (linux/io_uring.h).
struct Probe {
  std::uint8_t last_op, ops_len;
  std::uint16_t resv;
  std::uint32_t resv2[3];
};
struct ProbeOp {
  std::uint8_t op, resv;
  std::uint16_t flags;
  std::uint32_t resv2;
};
static_assert(sizeof(Probe) == 16 && sizeof(ProbeOp) == 8);

// The kernel refuses more ops than this (IORING_OP_LAST is far below it).
constexpr std::uint32_t kMaxProbeOps = 256;

// An IORING_OP_* as strace's printxval_u: the name, else the decimal number with a note.
void op_value(TokenList& o, std::uint8_t op) {
  std::string_view n = pfam::xlat_lookup("io_uring_ops", op);
  if (n.empty()) {
    o.uint_(op);
    o.xlat_note("IORING_OP_???");
  } else {
    o.name(n, op);
  }
}

void probe_op(TokenList& o, const ProbeOp& op) {
  o.begin_struct();
  o.field("op");
  op_value(o, op.op);
  if (op.resv != 0) {
    o.field("resv");
    o.hex(op.resv);
  }
  o.field("flags");
  afam::xflags(o, "io_uring_op_flags", op.flags, "IO_URING_OP_???");
  if (op.resv2 != 0) {
    o.field("resv2");
    o.hex(op.resv2);
  }
  o.end_struct();
}

// The probe of `bytes`: its header, then `count` ops (with "..." past -s without -v, or when
// `truncated`: the kernel has more ops than the caller's array holds).
void probe_struct(DecodeCtx& ctx, const std::vector<unsigned char>& bytes, std::uint32_t count,
                  bool truncated) {
  Probe p;
  std::memcpy(&p, bytes.data(), sizeof p);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("last_op");
  op_value(o, p.last_op);
  o.field("ops_len");
  o.uint_(p.ops_len);
  if (p.resv != 0) {
    o.field("resv");
    o.hex(p.resv);
  }
  if (p.resv2[0] != 0 || p.resv2[1] != 0 || p.resv2[2] != 0) {
    o.field("resv2");
    o.begin_array();
    for (std::uint32_t v : p.resv2) o.hex(v);
    o.end_array();
  }
  o.field("ops");
  o.begin_array();
  const DecodeOptions& opts = ctx.options();
  std::uint32_t shown = opts.verbose ? count : std::min<std::uint32_t>(count, opts.string_limit);
  for (std::uint32_t i = 0; i < shown; ++i) {
    ProbeOp op;
    std::memcpy(&op, bytes.data() + sizeof p + i * sizeof op, sizeof op);
    probe_op(o, op);
  }
  o.end_array(truncated || shown < count);
  o.end_struct();
}

}  // namespace

void probe(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n) {
  DecodedSyscall& sc = ctx.syscall();
  TokenList& o = ctx.out();
  bool shown = (sc.priv & kShownAtEntry) != 0;
  if (ctx.exiting() && ctx.failed()) {
    if (!shown) o.ptr(addr);
    return;
  }
  if (n > kMaxProbeOps) {
    o.ptr(addr);
    return;
  }
  std::vector<unsigned char> bytes(sizeof(Probe) + n * sizeof(ProbeOp));
  if (addr == 0 || !ctx.read(addr, bytes.data(), bytes.size())) {
    o.ptr(addr);
    return;
  }
  if (ctx.entering()) {
    // The kernel wants the probe zeroed; a zeroed one has nothing to show before it is filled.
    sc.priv |= kMoreAtExit;
    if (std::all_of(bytes.begin(), bytes.end(), [](unsigned char c) { return c == 0; })) return;
    sc.priv |= kShownAtEntry;
    probe_struct(ctx, bytes, n, false);
    return;
  }
  if (shown) o.raw(" => ");
  std::uint8_t ops_len = bytes[1];
  probe_struct(ctx, bytes, std::min<std::uint32_t>(ops_len, n), n < ops_len);
}

void iowq_max_workers(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n) {
  TokenList& o = ctx.out();
  if (ctx.exiting() && ctx.failed()) {
    o.ptr(addr);
    return;
  }
  bool complete = true;
  std::uint64_t limit =
      ctx.options().verbose ? n : std::min<std::uint64_t>(n, ctx.options().string_limit + 1);
  for (std::uint64_t i = 0; i < limit && complete; ++i) {
    std::uint32_t v = 0;
    complete = ctx.read(addr + i * sizeof v, v);
  }
  std::uint64_t index = 0;
  pfam::print_array(ctx, addr, n, sizeof(std::uint32_t), [&](const unsigned char* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    // The index is an IO_WQ_* (linux/io_uring.h has no names for them: io_uring/io-wq.h).
    static constexpr std::string_view kNames[] = {"IO_WQ_BOUND", "IO_WQ_UNBOUND"};
    std::uint64_t i = index++;
    std::string num = fmt::format("{}", i);
    std::string name = i < 2 ? std::string(kNames[i]) : num + " /* IO_WQ_??? */";
    std::string verbose = i < 2 ? fmt::format("{} /* {} */", i, kNames[i]) : name;
    o.styled(fmt::format("[{}]={}", num, v), fmt::format("[{}]={}", name, v),
             fmt::format("[{}]={}", verbose, v));
  });
  // Only an array read in full (from a nonempty, non-NULL address) is worth showing again.
  if (ctx.entering() && complete && addr != 0 && n != 0) {
    ctx.syscall().priv |= kMoreAtExit;
    o.raw(" => ");
  }
}

}  // namespace ptk::sys::uring
