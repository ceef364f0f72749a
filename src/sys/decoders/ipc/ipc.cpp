// SysV IPC: msgget, msgsnd, msgrcv, semget, semop, semtimedop, shmget, shmat, shmdt (the *ctl
// calls are in ipc_ctl.cpp). The i386 ipc() multiplexer stays in i386.cpp.
#include <string>

#include "decoders/arg_util.h"
#include "decoders/families.h"
#include "decoders/process/process_util.h"
#include "ipc_decoders.h"

namespace ptk::sys {
namespace {

using afam::u32;

constexpr std::uint32_t kModeBits = 0777;

// The key: IPC_PRIVATE or the number in hex (a key_t is an int).
void key_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  std::uint32_t key = u32(ctx, i);
  if (key == 0) {
    ctx.out().name("IPC_PRIVATE", 0, kHexValue);
  } else {
    ctx.out().hex(key);
  }
}

// The permission bits after the flags, joined by '|' when there are flags: IPC_CREAT|0600.
void mode_after(TokenList& o, bool joined, std::uint32_t flags) {
  if (joined) o.raw("|");
  o.oct(flags & kModeBits);
}

// msgget/semget flags: the named ones (no note for unknown bits) and the mode.
void get_flags_arg(DecodeCtx& ctx, int i) {
  ctx.arg(i);
  TokenList& o = ctx.out();
  std::uint32_t fl = u32(ctx, i);
  std::uint32_t high = fl & ~kModeBits;
  if (high != 0) afam::xflags(o, "ipc_get_flags", high, "");
  mode_after(o, high != 0, fl);
}

void decode_msgget(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  key_arg(ctx, 0);
  get_flags_arg(ctx, 1);
}

void decode_semget(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  key_arg(ctx, 0);
  afam::int_arg(ctx, 1);
  get_flags_arg(ctx, 2);
}

void decode_shmget(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  // The huge page size, log2, in bits 26..31 (SHM_HUGE_SHIFT, SHM_HUGE_MASK).
  constexpr unsigned kHugeShift = 26;
  constexpr std::uint32_t kHugeMask = 0x3fu << kHugeShift;
  key_arg(ctx, 0);
  ctx.arg(1);
  ctx.out().uint_(ctx.u(1));
  ctx.arg(2);
  TokenList& o = ctx.out();
  std::uint32_t fl = u32(ctx, 2);
  std::uint32_t high = fl & ~kModeBits & ~kHugeMask;
  std::uint32_t huge = fl & kHugeMask;
  if (high != 0) afam::xflags(o, "shmget_flags", high, "");
  if (huge != 0) {
    if (high != 0) o.raw("|");
    o.uint_(huge >> kHugeShift);
    o.raw("<<");
    o.name("SHM_HUGE_SHIFT", kHugeShift);
  }
  mode_after(o, high != 0 || huge != 0, fl);
}

// struct msgbuf: long mtype, then msgsz bytes of text.
void print_msgbuf(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t size) {
  TokenList& o = ctx.out();
  std::uint64_t mtype = 0;
  if (addr == 0 || !pfam::read_word(ctx, addr, mtype)) {
    o.ptr(addr);
    return;
  }
  o.begin_struct();
  o.field("mtype");
  o.int_(ctx.word_size() == 4 ? static_cast<std::int32_t>(mtype)
                              : static_cast<std::int64_t>(mtype));
  o.field("mtext");
  ctx.buffer(addr + static_cast<std::uint64_t>(ctx.word_size()), size);
  o.end_struct();
}

void decode_msgsnd(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  afam::int_arg(ctx, 0);
  ctx.arg(1);
  print_msgbuf(ctx, ctx.u(1), ctx.u(2));
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  afam::flags32_arg(ctx, 3, "ipc_msg_flags", "MSG_???");
}

void decode_msgrcv(DecodeCtx& ctx) {
  if (ctx.entering()) {
    afam::int_arg(ctx, 0);
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.failed()) {
    ctx.out().ptr(ctx.u(1));
  } else {
    print_msgbuf(ctx, ctx.u(1), ctx.u(2));
  }
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  ctx.out().int_(ctx.word_size() == 4 ? static_cast<std::int32_t>(ctx.u(3)) : ctx.s(3));
  afam::flags32_arg(ctx, 4, "ipc_msg_flags", "MSG_???");
}

// struct sembuf: unsigned short sem_num; short sem_op; short sem_flg.
void sembuf_array(DecodeCtx& ctx, std::uint64_t addr, std::uint32_t n) {
  TokenList& o = ctx.out();
  pfam::print_array(ctx, addr, n, 6, [&](const unsigned char* p) {
    std::uint16_t v[3];
    __builtin_memcpy(v, p, sizeof v);
    o.begin_struct();
    o.field("sem_num");
    o.uint_(v[0]);
    o.field("sem_op");
    o.int_(static_cast<std::int16_t>(v[1]));
    o.field("sem_flg");
    afam::xflags(o, "semop_flags", v[2], "SEM_???");
    o.end_struct();
  });
}

void decode_semop(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  afam::int_arg(ctx, 0);
  ctx.arg(1);
  sembuf_array(ctx, ctx.u(1), u32(ctx, 2));
  afam::uint_arg(ctx, 2);
}

template <bool Time64>
void decode_semtimedop(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  decode_semop(ctx);
  ctx.arg(3);
  ctx.structure(Time64 ? "timespec64" : "timespec", ctx.u(3), false);
}

void decode_shmat(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  afam::int_arg(ctx, 0);
  afam::ptr_arg(ctx, 1);
  afam::flags32_arg(ctx, 2, "shmat_flags", "SHM_???");
}

using pfam::fresh;

constexpr DecoderEntry kDecoders[] = {
    {"msgctl", fresh<ipc::decode_msgctl>},
    {"msgget", fresh<decode_msgget>},
    {"msgrcv", fresh<decode_msgrcv>},
    {"msgsnd", fresh<decode_msgsnd>},
    {"semctl", fresh<ipc::decode_semctl>},
    {"semget", fresh<decode_semget>},
    {"semop", fresh<decode_semop>},
    {"semtimedop", fresh<decode_semtimedop<false>>},
    {"semtimedop_time64", fresh<decode_semtimedop<true>>},
    {"shmat", fresh<decode_shmat>},
    {"shmctl", fresh<ipc::decode_shmctl>},
    {"shmget", fresh<decode_shmget>},
};

}  // namespace

Family ipc_family() { return {kDecoders, {}}; }

}  // namespace ptk::sys
