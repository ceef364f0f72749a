// Article part I, example 4: reverse the string of every write(2) of a program, e.g.
//
//   ex4_reverse_write ls /tmp
//
// The article reverses the buffer in place and puts it back after the call. Here a tamper::Hook
// puts the reversed bytes in scratch memory borrowed from the thread and points the write at
// them (ptk gives the memory back after the call): the program's buffer is never touched.
// The same as `ptk trace --rewrite 'write -> buf=reverse' -- ls /tmp`.
#include <fmt/format.h>

#include <algorithm>

#include "ptk/sys/tracer.h"
#include "ptk/tamper/tamperer.h"

struct ReverseWrite : ptk::tamper::Hook {
  bool wants(ptk::Arch, const ptk::SyscallSpec* s) const override {
    return s != nullptr && s->name == "write";
  }
  void on_entry(ptk::tamper::SyscallContext& ctx) override {
    std::vector<std::byte> buf(std::min<std::uint64_t>(ctx.arg(2), 60000));  // borrow() <= 64K
    if (!ctx.memory().read_exact(ptk::RemoteAddr(ctx.arg(1)), buf).ok()) return;
    std::reverse(buf.begin(), buf.end());
    auto copy = ctx.borrow(buf.size());
    if (!copy.ok() || !ctx.memory().write(ptk::RemoteAddr(copy->addr()), buf).ok()) return;
    (void)ctx.set_arg(1, copy->addr());  // the kernel writes the reversed bytes
    (void)ctx.set_arg(2, buf.size());
  }
};

// The tracer reports syscalls to a sink: this one prints none and keeps the exit status.
struct Quiet : ptk::sys::TraceSink {
  pid_t pid = 0;
  int status = 0;
  void syscall_entry(ptk::sys::DecodedSyscall&) override {}
  void syscall_exit(ptk::sys::DecodedSyscall&) override {}
  void signal(const ptk::Event&) override {}
  void thread_gone(const ptk::Event& ev, ptk::sys::DecodedSyscall*) override {
    if (ev.tid == pid) status = ev.kind == ptk::EventKind::Exited ? ev.exit_code : 128 + ev.signal;
  }
};

int main(int argc, char** argv) {
  if (argc < 2) return fmt::print(stderr, "usage: {} PROGRAM [ARGS...]\n", argv[0]), 2;
  ptk::Session session;
  auto pid = session.spawn({.argv = {argv + 1, argv + argc}});
  if (!pid.ok()) return fmt::print(stderr, "ex4: {}\n", pid.error().message()), 1;
  ptk::tamper::Tamperer tamperer;
  tamperer.add(std::make_unique<ReverseWrite>());
  ptk::sys::TracerOptions options;
  options.filter.none();  // report nothing: only the hooked writes stop
  options.hooks.push_back(&tamperer);
  Quiet sink;
  sink.pid = *pid;
  ptk::sys::Tracer tracer(session, options, sink);
  (void)session.resume(*pid);  // spawn returns with the child at its first instruction
  if (auto s = tracer.run(); !s.ok())
    return fmt::print(stderr, "ex4: {}\n", s.error().message()), 1;
  return sink.status;
}
