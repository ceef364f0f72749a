// The C++ side of bench/python_overhead.py: a tamper hook that counts the entries and exits of
// one syscall, run on the same engine the Python module uses (Engine + TraceJob + Tamperer),
// so that the Python callback's cost is measured against the same loop with a C++ callback.
//
//   ptk_hook_bench SYSCALL -- PROGRAM [ARGS...]
//
// Prints the count on stderr; exits with the program's exit code.
#include <fmt/format.h>

#include <cstring>
#include <string>
#include <vector>

#include "ptk/engine/engine.h"
#include "ptk/engine/trace_job.h"
#include "ptk/tamper/tamperer.h"

namespace {

class Count : public ptk::sys::TraceSink, public ptk::tamper::Hook {
 public:
  explicit Count(std::string name) : name_(std::move(name)) {}
  std::uint64_t calls = 0;

  bool wants(ptk::Arch /*arch*/, const ptk::SyscallSpec* s) const override {
    return s != nullptr && s->name == name_;
  }
  void on_entry(ptk::tamper::SyscallContext& /*ctx*/) override { ++calls; }
  void on_exit(ptk::tamper::SyscallContext& /*ctx*/) override { ++calls; }

  void syscall_entry(ptk::sys::DecodedSyscall& /*sc*/) override {}
  void syscall_exit(ptk::sys::DecodedSyscall& /*sc*/) override {}
  void signal(const ptk::Event& /*ev*/) override {}
  void thread_gone(const ptk::Event& /*ev*/, ptk::sys::DecodedSyscall* /*pending*/) override {}

 private:
  std::string name_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
    fmt::print(stderr, "usage: {} SYSCALL -- PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  ptk::engine::EngineOptions eo;
  eo.command.assign(argv + 3, argv + argc);
  ptk::engine::Engine engine(std::move(eo));
  Count count(argv[1]);
  ptk::tamper::Tamperer tamperer;
  tamperer.add_ref(count);
  ptk::sys::TracerOptions to;
  to.filter.none();
  to.hooks.push_back(&tamperer);
  ptk::engine::TraceJob trace(engine, to, count);
  engine.add(trace);
  auto end = engine.run();
  if (!end.ok()) {
    fmt::print(stderr, "ptk_hook_bench: {}\n", end.error().message());
    return 1;
  }
  fmt::print(stderr, "{} stops\n", count.calls);
  return end->exit_code;
}
