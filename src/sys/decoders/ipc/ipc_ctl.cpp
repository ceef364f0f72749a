// msgctl, semctl, shmctl: the command, and the struct it reads (IPC_SET, at entry) or writes
// (*_STAT, *_INFO, at exit). Layouts are x86_64's (struct *64_ds, as the kernel's 64-bit ABI
// has them); on i386 the struct prints as its address.
#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/process/process_util.h"
#include "ipc_decoders.h"

namespace ptk::sys::ipc {
namespace {

constexpr std::uint32_t kMsgStat = 11, kMsgInfo = 12, kMsgStatAny = 13;
constexpr std::uint32_t kSemStat = 18, kSemInfo = 19, kSemStatAny = 20;
constexpr std::uint32_t kShmStat = 13, kShmInfo = 14, kShmStatAny = 15;

template <typename T>
T at(const unsigned char* p, std::size_t off) {
  T v;
  std::memcpy(&v, p + off, sizeof v);
  return v;
}

// struct ipc64_perm: int key; uid, gid, cuid, cgid; unsigned short mode; ...; 48 bytes.
constexpr std::size_t kPermSize = 48;

void print_perm(TokenList& o, const unsigned char* p, bool set) {
  o.begin_struct();
  o.field("uid");
  pfam::id_value(o, at<std::uint32_t>(p, 4), 32);
  o.field("gid");
  pfam::id_value(o, at<std::uint32_t>(p, 8), 32);
  o.field("mode");
  o.oct(at<std::uint16_t>(p, 20));
  if (!set) {
    o.field("key");
    o.uint_(at<std::uint32_t>(p, 0));
    o.field("cuid");
    pfam::id_value(o, at<std::uint32_t>(p, 12), 32);
    o.field("cgid");
    pfam::id_value(o, at<std::uint32_t>(p, 16), 32);
  }
  o.end_struct();
}

void field_u(TokenList& o, std::string_view name, std::uint64_t v) {
  o.field(name);
  o.uint_(v);
}

void field_d(TokenList& o, std::string_view name, std::int64_t v) {
  o.field(name);
  o.int_(v);
}

// Reads `size` bytes of the struct at addr into buf, or prints the address: NULL, unreadable,
// a failed call's output, or an ABI whose layout is not the one decoded here.
bool fetch(DecodeCtx& ctx, std::uint64_t addr, unsigned char* buf, std::size_t size) {
  if (addr == 0 || ctx.word_size() != 8 || (ctx.exiting() && ctx.failed()) ||
      !ctx.read(addr, buf, size)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

void print_msqid_ds(DecodeCtx& ctx, std::uint64_t addr, bool set) {
  unsigned char b[120];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("msg_perm");
  print_perm(o, b, set);
  if (!set) {
    field_u(o, "msg_stime", at<std::uint64_t>(b, 48));
    field_u(o, "msg_rtime", at<std::uint64_t>(b, 56));
    field_u(o, "msg_ctime", at<std::uint64_t>(b, 64));
    field_u(o, "msg_qnum", at<std::uint64_t>(b, 80));
  }
  field_u(o, "msg_qbytes", at<std::uint64_t>(b, 88));
  if (!set) {
    field_d(o, "msg_lspid", at<std::int32_t>(b, 96));
    field_d(o, "msg_lrpid", at<std::int32_t>(b, 100));
  }
  o.end_struct();
}

void print_msginfo(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[32];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  constexpr std::string_view kOrder[] = {"msgpool", "msgmap", "msgmax", "msgmnb",
                                         "msgmni",  "msgssz", "msgtql"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i) {
    field_d(o, kOrder[i], at<std::int32_t>(b, i * 4));
  }
  field_u(o, "msgseg", at<std::uint16_t>(b, 28));
  o.end_struct();
}

void print_semid_ds(DecodeCtx& ctx, std::uint64_t addr, bool set) {
  unsigned char b[104];  // perm, otime, unused, ctime, unused, nsems, 2 unused
  if (!fetch(ctx, addr, b, set ? kPermSize : sizeof b)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("sem_perm");
  print_perm(o, b, set);
  if (!set) {
    field_u(o, "sem_otime", at<std::uint64_t>(b, 48));
    field_u(o, "sem_ctime", at<std::uint64_t>(b, 64));
    field_u(o, "sem_nsems", at<std::uint64_t>(b, 80));
  }
  o.end_struct();
}

void print_seminfo(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[40];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  constexpr std::string_view kNames[] = {"semmap", "semmni", "semmns", "semmnu", "semmsl",
                                         "semopm", "semume", "semusz", "semvmx", "semaem"};
  o.begin_struct();
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    field_d(o, kNames[i], at<std::int32_t>(b, i * 4));
  }
  o.end_struct();
}

void print_shmid_ds(DecodeCtx& ctx, std::uint64_t addr, bool set) {
  unsigned char b[112];
  if (!fetch(ctx, addr, b, set ? kPermSize : sizeof b)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("shm_perm");
  print_perm(o, b, set);
  if (!set) {
    field_u(o, "shm_segsz", at<std::uint64_t>(b, 48));
    field_d(o, "shm_cpid", at<std::int32_t>(b, 80));
    field_d(o, "shm_lpid", at<std::int32_t>(b, 84));
    field_u(o, "shm_nattch", at<std::uint64_t>(b, 88));
    field_u(o, "shm_atime", at<std::uint64_t>(b, 56));
    field_u(o, "shm_dtime", at<std::uint64_t>(b, 64));
    field_u(o, "shm_ctime", at<std::uint64_t>(b, 72));
  }
  o.end_struct();
}

void print_shminfo(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[40];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  constexpr std::string_view kNames[] = {"shmmax", "shmmin", "shmmni", "shmseg", "shmall"};
  o.begin_struct();
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    field_u(o, kNames[i], at<std::uint64_t>(b, i * 8));
  }
  o.end_struct();
}

void print_shm_info(DecodeCtx& ctx, std::uint64_t addr) {
  unsigned char b[48];
  if (!fetch(ctx, addr, b, sizeof b)) return;
  TokenList& o = ctx.out();
  o.begin_struct();
  field_d(o, "used_ids", at<std::int32_t>(b, 0));
  constexpr std::string_view kNames[] = {"shm_tot", "shm_rss", "shm_swp", "swap_attempts",
                                         "swap_successes"};
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    field_u(o, kNames[i], at<std::uint64_t>(b, 8 + i * 8));
  }
  o.end_struct();
}

// The shared shape of the three: id (and semnum), cmd, then buf at entry for IPC_SET, at exit
// for the commands that fill it, as an address otherwise.
struct CtlKind {
  std::string_view table, unknown;
  std::uint32_t stat, info, stat_any;
  void (*ds)(DecodeCtx&, std::uint64_t, bool);
  void (*info_fn)(DecodeCtx&, std::uint64_t);
  void (*other_info_fn)(DecodeCtx&, std::uint64_t);  // MSG_INFO, SEM_INFO, SHM_INFO
};

void decode_ctl(DecodeCtx& ctx, const CtlKind& k, int cmd_i) {
  std::uint32_t cmd = afam::u32(ctx, cmd_i) & ~kIpc64;
  int buf_i = cmd_i + 1;
  std::uint64_t buf = ctx.u(buf_i);
  bool at_exit =
      cmd == kIpcStat || cmd == k.stat || cmd == k.stat_any || cmd == kIpcInfo || cmd == k.info;
  if (ctx.entering()) {
    for (int i = 0; i < cmd_i; ++i) afam::int_arg(ctx, i);
    ctx.arg(cmd_i);
    ctl_cmd(ctx.out(), afam::u32(ctx, cmd_i), k.table, k.unknown);
    if (at_exit) {
      ctx.syscall().more_at_exit = true;
      return;
    }
    ctx.arg(buf_i);
    if (cmd == kIpcSet) {
      k.ds(ctx, buf, true);
    } else {
      ctx.out().ptr(buf);
    }
    return;
  }
  if (!at_exit) return;
  ctx.arg(buf_i);
  if (cmd == kIpcInfo) {
    k.info_fn(ctx, buf);
  } else if (cmd == k.info) {
    k.other_info_fn(ctx, buf);
  } else {
    k.ds(ctx, buf, false);
  }
}

}  // namespace

void ctl_cmd(TokenList& o, std::uint32_t cmd, std::string_view table, std::string_view unknown) {
  if (cmd & kIpc64) {
    o.name("IPC_64", kIpc64, kHexValue);
    o.raw("|");
  }
  afam::xval(o, table, cmd & ~kIpc64, unknown);
}

void decode_msgctl(DecodeCtx& ctx) {
  static constexpr CtlKind k{"msgctl_cmd", "MSG_???",      kMsgStat,      kMsgInfo,
                             kMsgStatAny,  print_msqid_ds, print_msginfo, print_msginfo};
  decode_ctl(ctx, k, 1);
}

void decode_semctl(DecodeCtx& ctx) {
  static constexpr CtlKind k{"semctl_cmd", "SEM_???",      kSemStat,      kSemInfo,
                             kSemStatAny,  print_semid_ds, print_seminfo, print_seminfo};
  decode_ctl(ctx, k, 2);
}

void decode_shmctl(DecodeCtx& ctx) {
  static constexpr CtlKind k{"shmctl_cmd", "SHM_???",      kShmStat,      kShmInfo,
                             kShmStatAny,  print_shmid_ds, print_shminfo, print_shm_info};
  decode_ctl(ctx, k, 1);
}

}  // namespace ptk::sys::ipc
