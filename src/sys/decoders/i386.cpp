// Decoders of the i386 family: the socketcall and ipc multiplexers (shown, as strace shows
// them, under the sub-call's name), _llseek, old select, thread areas and readdir. The old
// mmap is the memory family's, the old signal calls the signal family's, waitpid process's.
#include <fmt/format.h>

#include <array>
#include <cstring>

#include "decoders/time/time_util.h"

namespace ptk::sys {
namespace {

using dec::xval;

struct SubCall {
  std::string_view name;  // the name strace shows
  std::string_view spec;  // the syscall table entry whose arguments it takes
  int nargs;
};

// linux/net.h's SYS_* numbers index this table.
constexpr SubCall kSocketCalls[] = {
    {},
    {"socket", "socket", 3},
    {"bind", "bind", 3},
    {"connect", "connect", 3},
    {"listen", "listen", 2},
    {"accept", "accept", 3},
    {"getsockname", "getsockname", 3},
    {"getpeername", "getpeername", 3},
    {"socketpair", "socketpair", 4},
    {"send", "sendto", 4},
    {"recv", "recvfrom", 4},
    {"sendto", "sendto", 6},
    {"recvfrom", "recvfrom", 6},
    {"shutdown", "shutdown", 2},
    {"setsockopt", "setsockopt", 5},
    {"getsockopt", "getsockopt", 5},
    {"sendmsg", "sendmsg", 3},
    {"recvmsg", "recvmsg", 3},
    {"accept4", "accept4", 4},
    {"recvmmsg", "recvmmsg", 5},
    {"sendmmsg", "sendmmsg", 4},
};

const SyscallSpec* spec_named(std::string_view name) {
  // i386 lacks a direct accept, semop and semtimedop: their x86_64 entries have the same
  // arguments.
  const SyscallSpec* s = find_syscall(Arch::I386, name);
  return s != nullptr ? s : find_syscall(Arch::X86_64, name);
}

// send(fd, buf, len, flags) and recv(fd, buf, len, flags): socketcall-only calls, shown like
// sendto/recvfrom without the address.
void decode_send(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  ctx.buffer(ctx.u(1), ctx.u(2));
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  dec::xflags(ctx, "msg_flags", static_cast<std::uint32_t>(ctx.u(3)));
}

void decode_recv(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.failed()) {
    ctx.out().ptr(ctx.u(1));
  } else {
    ctx.buffer(ctx.u(1), std::min<std::uint64_t>(static_cast<std::uint64_t>(ctx.ret()), ctx.u(2)));
  }
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  ctx.arg(3);
  dec::xflags(ctx, "msg_flags", static_cast<std::uint32_t>(ctx.u(3)));
}

// Runs `fn` as if the tracee had made the sub-call directly: its spec and arguments stand in
// for the multiplexer's during the call, and the line takes the sub-call's name.
void run_as(DecodeCtx& ctx, std::string_view name, const SyscallSpec* sub,
            const std::array<std::uint64_t, 6>& args, DecoderFn fn) {
  DecodedSyscall& sc = ctx.syscall();
  const SyscallSpec* own = sc.spec;
  std::array<std::uint64_t, 6> saved = sc.raw_args;
  sc.raw_args = args;
  sc.spec = sub;
  if (ctx.entering()) {
    sc.ret_type = sub->ret;
    sc.more_at_exit = false;
  }
  fn(ctx);
  sc.raw_args = saved;
  sc.spec = own;
  sc.display_name = std::string(name);
  sc.display_for = own;
}

DecoderFn decoder_or_generic(std::string_view name) {
  DecoderFn fn = find_decoder(name);
  return fn != nullptr ? fn : dec::generic_commented;
}

void decode_socketcall(DecodeCtx& ctx) {
  auto call = static_cast<std::uint32_t>(ctx.u(0));
  std::uint64_t addr = ctx.u(1);
  std::uint32_t words[6] = {};
  const SubCall* sub = call > 0 && call < std::size(kSocketCalls) ? &kSocketCalls[call] : nullptr;
  const SyscallSpec* spec = sub != nullptr ? spec_named(sub->spec) : nullptr;
  if (spec == nullptr ||
      !ctx.read(addr, words, static_cast<std::size_t>(sub->nargs) * sizeof words[0])) {
    // An unknown call or unreadable arguments: the multiplexer itself, as strace shows it.
    if (!ctx.entering()) return;
    ctx.arg(0);
    const Xlat* x = find_xlat("socketcall_call");
    std::string_view n = x != nullptr ? xlat_name(*x, call) : std::string_view();
    if (!n.empty()) {
      ctx.out().name(n, call);
    } else {
      ctx.out().uint_(call);
    }
    ctx.arg(1);
    ctx.out().ptr(addr);
    return;
  }
  std::array<std::uint64_t, 6> args{};
  for (int i = 0; i < sub->nargs; ++i) args[static_cast<std::size_t>(i)] = words[i];
  DecoderFn fn = sub->name == "send"   ? decode_send
                 : sub->name == "recv" ? decode_recv
                                       : decoder_or_generic(sub->spec);
  run_as(ctx, sub->name, spec, args, fn);
}

// ipc(call, first, second, third, ptr, fifth): each sub-call takes some of those in its own
// order; `from` lists, per argument of the direct call, the ipc register it comes from.
struct IpcCall {
  std::uint32_t call;
  std::string_view name;
  std::array<int, 5> from;  // 0 ends the list
};
constexpr IpcCall kIpcCalls[] = {
    {1, "semop", {1, 4, 2}},      {2, "semget", {1, 2, 3}},
    {3, "semctl", {1, 2, 3, 4}},  {4, "semtimedop", {1, 4, 2, 5}},
    {11, "msgsnd", {1, 4, 2, 3}}, {12, "msgrcv", {1, 4, 2, 5, 3}},
    {13, "msgget", {1, 2}},       {14, "msgctl", {1, 2, 4}},
    {21, "shmat", {1, 4, 2}},     {22, "shmdt", {4}},
    {23, "shmget", {1, 2, 3}},    {24, "shmctl", {1, 2, 4}},
};

void decode_ipc(DecodeCtx& ctx) {
  auto raw_call = static_cast<std::uint32_t>(ctx.u(0));
  std::uint32_t call = raw_call & 0xffff;
  std::uint32_t version = raw_call >> 16;
  const IpcCall* sub = nullptr;
  for (const IpcCall& c : kIpcCalls) {
    if (c.call == call) sub = &c;
  }
  const SyscallSpec* spec = sub != nullptr ? spec_named(sub->name) : nullptr;
  if (spec == nullptr) {
    dec::generic_commented(ctx);
    return;
  }
  std::array<std::uint64_t, 6> args{};
  for (std::size_t i = 0; i < sub->from.size() && sub->from[i] != 0; ++i) {
    args[i] = ctx.u(sub->from[i]);
  }
  if (call == 12 && version == 0) {
    // The first msgrcv ABI passes msgp and msgtyp through a struct ipc_kludge at ptr.
    std::uint32_t kludge[2];
    if (ctx.read(ctx.u(4), kludge)) {
      args[1] = kludge[0];
      args[3] = static_cast<std::uint64_t>(static_cast<std::int32_t>(kludge[1]));
    }
  }
  run_as(ctx, sub->name, spec, args, decoder_or_generic(sub->name));
}

// _llseek(fd, offset_high, offset_low, result, whence): the offset joined, the result at exit.
void decode_llseek(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.arg_named("offset");
    ctx.out().int_(static_cast<std::int64_t>((ctx.u(1) << 32) | ctx.u(2)));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(3);
  std::int64_t result = 0;
  if (ctx.failed() || ctx.u(3) == 0 || !ctx.read(ctx.u(3), result)) {
    ctx.out().ptr(ctx.u(3));
  } else {
    ctx.out().begin_array();
    ctx.out().int_(result);
    ctx.out().end_array();
  }
  ctx.arg(4);
  xval(ctx, "whence", static_cast<std::uint32_t>(ctx.u(4)));
}

// "select" is two calls: x86_64's, whose arguments are _newselect's, and i386's old select,
// whose one argument points to the five of them (struct sel_arg_struct). Both run the
// _newselect decoder (the desc family's).
void decode_select(DecodeCtx& ctx) {
  DecoderFn fn = find_decoder("_newselect");
  const SyscallSpec* newselect = find_syscall(Arch::I386, "_newselect");
  if (ctx.word_size() == 8) {
    if (fn != nullptr) {
      fn(ctx);
    } else {
      dec::generic_commented(ctx);
    }
    return;
  }
  std::uint32_t words[5];
  if (newselect == nullptr || !ctx.read(ctx.u(0), words)) {
    if (ctx.entering()) {
      ctx.arg(0);
      ctx.out().ptr(ctx.u(0));
    }
    return;
  }
  std::array<std::uint64_t, 6> args{};
  for (std::size_t i = 0; i < 5; ++i) args[i] = words[i];
  run_as(ctx, "select", newselect, args, fn != nullptr ? fn : dec::generic_commented);
}

// set_thread_area(u_info): the descriptor at entry, the entry number the kernel chose after
// the return value.
void decode_set_thread_area(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.structure("user_desc", ctx.u(0), false);
    return;
  }
  std::int32_t entry = 0;
  if (!ctx.failed() && ctx.read(ctx.u(0), entry)) {
    ctx.syscall().ret_aux.raw(fmt::format("entry_number={}", entry));
  }
}

// get_thread_area(u_info): the descriptor at exit; after a failure only the entry number the
// caller asked for.
void decode_get_thread_area(DecodeCtx& ctx) {
  if (ctx.entering()) return;
  ctx.arg(0);
  if (!ctx.failed()) {
    ctx.structure("user_desc", ctx.u(0), true);
    return;
  }
  std::uint32_t entry = 0;  // an unsigned int in struct user_desc
  if (ctx.u(0) == 0 || !ctx.read(ctx.u(0), entry)) {
    ctx.out().ptr(ctx.u(0));
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("entry_number");
  // Unsigned, but all ones (the "find a free entry" request) reads -1, as in print_user_desc.
  if (entry == UINT32_MAX) {
    o.int_(-1);
  } else {
    o.uint_(entry);
  }
  o.end_struct(true);
}

// readdir(fd, dirent, count): one struct old_linux_dirent when the call returned 1.
void decode_readdir(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  struct {
    std::uint32_t ino, off;
    std::uint16_t namlen;
  } d{};
  std::uint64_t addr = ctx.u(1);
  if (ctx.failed() || ctx.ret() == 0 || !ctx.read(addr, &d, 10)) {
    ctx.out().ptr(addr);
  } else {
    TokenList& o = ctx.out();
    o.begin_struct();
    o.field("d_ino");
    o.uint_(d.ino);
    o.field("d_off");
    o.uint_(d.off);
    o.field("d_namlen");
    o.uint_(d.namlen);
    o.field("d_name");
    std::string name(std::min<std::size_t>(d.namlen, 255), '\0');
    if (!name.empty() && !ctx.read(addr + 10, name.data(), name.size())) name.clear();
    o.str(name);
    o.end_struct();
  }
  ctx.arg(2);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(2)));
}

constexpr DecoderEntry kDecoders[] = {
    {"_llseek", decode_llseek},
    {"get_thread_area", decode_get_thread_area},
    {"ipc", decode_ipc},
    {"readdir", decode_readdir},
    {"select", decode_select},
    {"set_thread_area", decode_set_thread_area},
    {"socketcall", decode_socketcall},
    {"vm86", dec::generic_commented},
};

}  // namespace

Family i386_family() { return {std::span(kDecoders), {}}; }

}  // namespace ptk::sys
