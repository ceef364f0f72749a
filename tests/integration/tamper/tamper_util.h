// Helpers for the tamper tests: running a tracee under a sys::Tracer with hooks, and hooks made
// of lambdas.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ptk/sys/tracer.h"
#include "ptk/tamper/tamperer.h"
#include "test_util.h"

namespace ptk_test {

// A tamper::Hook from lambdas, for the syscalls `want` accepts.
struct LambdaHook : ptk::tamper::Hook {
  std::function<bool(ptk::Arch, const ptk::SyscallSpec*)> want;
  std::function<void(ptk::tamper::SyscallContext&)> entry;
  std::function<void(ptk::tamper::SyscallContext&)> exit;
  bool wants(ptk::Arch arch, const ptk::SyscallSpec* spec) const override {
    return want(arch, spec);
  }
  void on_entry(ptk::tamper::SyscallContext& ctx) override {
    if (entry) entry(ctx);
  }
  void on_exit(ptk::tamper::SyscallContext& ctx) override {
    if (exit) exit(ctx);
  }
};

// Adds a LambdaHook for the syscalls `want` accepts (the Tamperer asks wants() at once).
inline LambdaHook& add_hook(ptk::tamper::Tamperer& t,
                            std::function<bool(ptk::Arch, const ptk::SyscallSpec*)> want) {
  auto h = std::make_unique<LambdaHook>();
  h->want = std::move(want);
  return static_cast<LambdaHook&>(t.add(std::move(h)));
}

// A `want` for one syscall by name, on every ABI or on one.
inline auto named(std::string name) {
  return [name](ptk::Arch, const ptk::SyscallSpec* s) { return s != nullptr && s->name == name; };
}
inline auto named_on(ptk::Arch arch, std::string name) {
  return [arch, name](ptk::Arch a, const ptk::SyscallSpec* s) {
    return a == arch && s != nullptr && s->name == name;
  };
}

// A sys::SyscallHook from lambdas (to look at a thread before or after the Tamperer).
struct Probe : ptk::sys::SyscallHook {
  std::string name;  // the syscall looked at
  std::function<void(ptk::Session&, ptk::sys::DecodedSyscall&)> entry;
  std::function<void(ptk::Session&, ptk::sys::DecodedSyscall&)> exit;
  bool wants(ptk::Arch arch, std::int64_t nr) const override {
    const ptk::SyscallSpec* s = ptk::find_syscall(arch, nr);
    return s != nullptr && s->name == name;
  }
  void on_entry(ptk::Session& session, ptk::sys::DecodedSyscall& sc) override {
    if (entry && sc.name() == name) entry(session, sc);
  }
  void on_exit(ptk::Session& session, ptk::sys::DecodedSyscall& sc) override {
    if (exit && sc.name() == name) exit(session, sc);
  }
};

// Records the reported syscalls (name and tamper mark) and how the spawned process ended.
class RecordingSink : public ptk::sys::TraceSink {
 public:
  std::vector<std::string> lines;  // "name = ret note"
  std::function<void(ptk::sys::DecodedSyscall&)> on_entry;
  void syscall_entry(ptk::sys::DecodedSyscall& sc) override {
    if (on_entry) on_entry(sc);
  }
  void syscall_exit(ptk::sys::DecodedSyscall& sc) override {
    lines.push_back(
        fmt::format("{} = {}{}{}", sc.name(), sc.ret, sc.note.empty() ? "" : " ", sc.note));
  }
  void signal(const ptk::Event&) override {}
  void thread_gone(const ptk::Event&, ptk::sys::DecodedSyscall*) override {}
};

struct HookedRun {
  pid_t pid = 0;  // of the spawned process
  std::string out;
  std::string ended;  // "exited with 0", "killed by SIGUSR1"
  std::vector<std::string> reported;
};

struct HookedRunOptions {
  bool follow = false;
  bool report_all = false;  // else nothing is reported: only the hooks' syscalls stop
  std::vector<ptk::sys::SyscallHook*> hooks{};
  std::string input{};  // written to the tracee's stdin (then closed)
  // Tracer::run's stop flag (a hook may set it); the session kills what is left at the end.
  const volatile std::sig_atomic_t* stop = nullptr;
};

// Runs argv under a Tracer with the hooks and returns its stdout and how it ended.
inline HookedRun run_hooked(std::vector<std::string> argv, const HookedRunOptions& o) {
  Pipe out = make_pipe(), in = make_pipe();
  ptk::SessionOptions so;
  so.follow_forks = o.follow;
  ptk::Session session(so);
  auto pid = spawn_with_stdio(session, std::move(argv), in.read_end.get(), out.write_end.get());
  HookedRun r;
  if (!pid.ok()) {
    ADD_FAILURE() << "spawn: " << pid.error().message();
    return r;
  }
  out.write_end.reset();
  in.read_end.reset();
  if (!o.input.empty() && ::write(in.write_end.get(), o.input.data(), o.input.size()) < 0) {
    ADD_FAILURE() << "write to the tracee's stdin";
  }
  in.write_end.reset();
  ptk::sys::TracerOptions to;
  if (!o.report_all) to.filter.none();
  to.hooks = o.hooks;
  struct EndWatch : RecordingSink {
    pid_t pid = 0;
    std::string ended;
    void thread_gone(const ptk::Event& ev, ptk::sys::DecodedSyscall*) override {
      if (ev.tid != pid) return;
      ended = ev.kind == ptk::EventKind::Exited
                  ? fmt::format("exited with {}", ev.exit_code)
                  : fmt::format("killed by {}", ptk::signal_name(ev.signal));
    }
  } watch;
  watch.pid = r.pid = *pid;
  ptk::sys::Tracer tracer(session, to, watch);
  EXPECT_TRUE(session.resume_all().ok());  // spawn left it at its first instruction
  ptk::Status s = tracer.run(o.stop);
  EXPECT_TRUE(s.ok()) << s.error().message();
  // Stopped early: the tracee is still there, and its stdout would never end.
  if (o.stop != nullptr && *o.stop) {
    EXPECT_TRUE(session.kill(*pid, SIGKILL).ok());
  }
  r.out = read_all(out.read_end.get());
  r.ended = watch.ended;
  r.reported = watch.lines;
  return r;
}

}  // namespace ptk_test
