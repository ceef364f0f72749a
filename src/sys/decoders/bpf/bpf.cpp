// bpf(2): the command by name and its union bpf_attr as that command defines it (see bpf.h).
#include "bpf.h"

#include <map>
#include <mutex>

#include "decoders/arg_util.h"
#include "decoders/misc/misc_decoders.h"

namespace ptk::sys {
namespace bpf {
namespace {

constexpr std::uint32_t kPage = 4096;       // the kernel copies at most a page of attr
constexpr std::uint32_t kLastDecoded = 31;  // BPF_LINK_GET_NEXT_ID, the last strace 6.1 knows

enum Cmd : std::uint32_t {
  kProgGetNextId = 11,
  kMapGetNextId = 12,
  kObjGetInfoByFd = 15,
  kProgQuery = 16,
  kTaskFdQuery = 20,
  kBtfGetNextId = 23,
  kMapLookupBatch = 24,
  kMapDeleteBatch = 27,
  kLinkCreate = 28,
  kLinkUpdate = 29,
  kLinkGetNextId = 31,
};

constexpr std::size_t kBatchCountOffset = 32;  // count in the batch struct

// The commands whose attr the kernel writes back: ptk shows them whole at exit, with what the
// caller passed (strace shows their first fields at entry already).
bool shown_at_exit(std::uint32_t cmd) {
  switch (cmd) {
    case kProgGetNextId:
    case kMapGetNextId:
    case kBtfGetNextId:
    case kLinkGetNextId:
    case kObjGetInfoByFd:
    case kProgQuery:
    case kTaskFdQuery:
      return true;
    default:
      return false;
  }
}

// What a thread's bpf call passed at entry, for its exit. DecodedSyscall keeps one word
// (priv); these need the caller's attr and, for BPF_OBJ_GET_INFO_BY_FD, the info it pointed
// to before the kernel overwrote them.
struct Saved {
  Bytes attr;
  Bytes info;
  int info_kind = 0;
};
std::mutex saved_mutex;
std::map<pid_t, Saved>& saved_calls() {
  static std::map<pid_t, Saved> calls;
  return calls;
}

void print_simple(DecodeCtx& ctx, const Layout& l, const Bytes& a) {
  TokenList& o = ctx.out();
  std::size_t len = std::min<std::size_t>(a.size, l.size);
  o.begin_struct();
  if (!l.wrap.empty()) {
    o.field(l.wrap);
    o.begin_struct();
  }
  bool whole = print_fields(ctx, a, l.fields, len);
  if (!l.wrap.empty()) o.end_struct();
  o.end_struct(whole && extra_data(ctx, a, l.size));
}

void print_at_entry(DecodeCtx& ctx, std::uint32_t cmd, const Bytes& a) {
  if (const Layout* l = simple_layout(cmd)) {
    print_simple(ctx, *l, a);
  } else if (cmd >= kMapLookupBatch && cmd <= kMapDeleteBatch) {
    batch_entry(ctx, cmd, a);
  } else if (cmd == kLinkCreate) {
    link_create(ctx, a);
  } else if (cmd == kLinkUpdate) {
    link_update(ctx, a);
  }
}

void print_at_exit(DecodeCtx& ctx, std::uint32_t cmd, const Saved& s, const Bytes& b) {
  switch (cmd) {
    case kObjGetInfoByFd:
      obj_info_exit(ctx, s.info_kind, s.attr, b, s.info);
      break;
    case kProgQuery:
      prog_query(ctx, s.attr, b);
      break;
    case kTaskFdQuery:
      task_fd_query(ctx, s.attr, b);
      break;
    default:
      get_next_id(ctx, s.attr, b);
      break;
  }
}

void entry(DecodeCtx& ctx, std::uint32_t cmd, std::uint64_t addr, std::uint32_t size) {
  DecodedSyscall& sc = ctx.syscall();
  afam::xval32_arg(ctx, 0, "bpf_cmd", "BPF_???");
  Bytes a;
  bool readable = size > 0 && size <= kPage && cmd <= kLastDecoded &&
                  (simple_layout(cmd) != nullptr || shown_at_exit(cmd) ||
                   (cmd >= kMapLookupBatch && cmd <= kLinkUpdate)) &&
                  read_bytes(ctx, addr, size, kPage, a);
  if (readable && shown_at_exit(cmd)) {
    Saved s;
    s.attr = a;
    if (cmd == kObjGetInfoByFd) s.info_kind = obj_info_entry(ctx, a, s.info);
    std::lock_guard lock(saved_mutex);
    saved_calls()[sc.tid] = std::move(s);
    sc.priv = 1;
    sc.more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (!readable) {
    ctx.pointer(addr);
  } else {
    print_at_entry(ctx, cmd, a);
    if (returns_fd(cmd)) sc.ret_type = RetType::Fd;
    if (cmd >= kMapLookupBatch && cmd <= kMapDeleteBatch) {
      sc.priv = 2 | (static_cast<std::uint64_t>(a.u32(kBatchCountOffset)) << 32);
      return;
    }
  }
  afam::uint_arg(ctx, 2);
}

void exit(DecodeCtx& ctx, std::uint32_t cmd, std::uint64_t addr, std::uint32_t size) {
  DecodedSyscall& sc = ctx.syscall();
  Bytes b;
  bool readable = read_bytes(ctx, addr, size, kPage, b);
  if ((sc.priv & 2) != 0) {  // a batch command
    if (readable) batch_exit(ctx, static_cast<std::uint32_t>(sc.priv >> 32), b);
    afam::uint_arg(ctx, 2);
    return;
  }
  Saved s;
  {
    std::lock_guard lock(saved_mutex);
    auto it = saved_calls().find(sc.tid);
    if (it == saved_calls().end()) return;
    s = std::move(it->second);
    saved_calls().erase(it);
  }
  ctx.arg(1);
  if (readable) {
    print_at_exit(ctx, cmd, s, b);
  } else {
    ctx.pointer(addr);
  }
  afam::uint_arg(ctx, 2);
}

}  // namespace
}  // namespace bpf

void decode_bpf(DecodeCtx& ctx) {
  auto cmd = afam::u32(ctx, 0);
  std::uint64_t addr = ctx.u(1);
  auto size = afam::u32(ctx, 2);
  if (ctx.entering()) {
    ctx.syscall().priv = 0;
    bpf::entry(ctx, cmd, addr, size);
  } else if (ctx.syscall().priv != 0) {
    bpf::exit(ctx, cmd, addr, size);
  }
}

}  // namespace ptk::sys
