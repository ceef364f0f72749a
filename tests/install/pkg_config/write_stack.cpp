// A consumer of the installed ptk library, built with pkg-config (scripts/install-test.sh):
//
//   write_stack PROGRAM [ARGS...]
//
// Runs PROGRAM stopping only at its write(2) calls (a seccomp filter: ptk_sys and libseccomp)
// and prints, before each write runs, the function and module it was made from (the unwinder:
// ptk_debug, libdw and libelf). So one short program needs every archive and library that
// `pkg-config --libs ptk` names; a missing one fails its link.
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "ptk/arch/syscalls.h"
#include "ptk/core/session.h"
#include "ptk/debug/unwind.h"
#include "ptk/sys/seccomp.h"
#include "ptk/sys/tracer.h"

namespace {

// Prints where each write comes from; keeps the program's exit status.
class WriteStack : public ptk::sys::TraceSink {
 public:
  WriteStack(ptk::Session& session, pid_t pid) : unwinder_(session), pid_(pid) {}
  int status() const { return status_; }

  void syscall_entry(ptk::sys::DecodedSyscall& sc) override {
    auto frames = unwinder_.backtrace(sc.tid, 1);
    std::string where = "?";
    if (frames.ok() && !frames->empty()) {
      const ptk::debug::Frame& top = frames->front();
      where = fmt::format("{} in {}", top.symbol.empty() ? "?" : top.symbol,
                          top.module.substr(top.module.rfind('/') + 1));
    }
    // Printed (and flushed) before the write runs: the program's bytes come after this line.
    fmt::print("write({}, {} bytes) from {}\n", sc.raw_args[0], sc.raw_args[2], where);
    std::fflush(stdout);
  }
  void syscall_exit(ptk::sys::DecodedSyscall&) override {}
  void signal(const ptk::Event&) override {}
  void thread_gone(const ptk::Event& ev, ptk::sys::DecodedSyscall*) override {
    if (ev.tid == pid_)
      status_ = ev.kind == ptk::EventKind::Exited ? ev.exit_code : 128 + ev.signal;
  }

 private:
  ptk::debug::Unwinder unwinder_;
  pid_t pid_;
  int status_ = 0;
};

int fail(const ptk::Error& e) {
  fmt::print(stderr, "write_stack: {}\n", e.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fmt::print(stderr, "usage: write_stack PROGRAM [ARGS...]\n"), 2;
  ptk::sys::TracerOptions options;
  options.filter.none();
  options.filter.set(ptk::Arch::X86_64, ptk::find_syscall(ptk::Arch::X86_64, "write")->nr, true);
  auto program = ptk::sys::SeccompProgram::build(ptk::sys::stop_filter(options));
  if (!program.ok()) return fail(program.error());

  ptk::Session session({.syscall_stops = ptk::SyscallStops::Seccomp});
  auto pid = session.spawn(
      {.argv = {argv + 1, argv + argc}, .child_setup = [&] { program->install_in_child(); }});
  if (!pid.ok()) return fail(pid.error());
  WriteStack sink(session, *pid);
  ptk::sys::Tracer tracer(session, options, sink);
  if (auto s = session.resume(*pid); !s.ok()) return fail(s.error());
  if (auto s = tracer.run(); !s.ok()) return fail(s.error());
  return sink.status();
}
