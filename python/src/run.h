// ptk.Run: one engine run (ptk/engine/engine.h) with Python callbacks plugged in -- decoded
// syscalls, tamper hooks, breakpoints -- for a command it spawns or a process it attaches to,
// followed through forks and execs.
//
// A callback that raises ends the run as a stop signal would: the engine takes its breakpoints
// out, runs a tampered syscall to its exit (where its change is undone) and lets every process
// go; a command the run started is then killed. run() raises the callback's exception. What a
// raising tamper callback changed in its syscall (arguments, a skip, the return value) is
// dropped first: the call runs as the program made it.
#pragma once

#include <pybind11/pybind11.h>
#include <sys/types.h>

#include <csignal>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "errors.h"
#include "ptk/engine/break_job.h"
#include "ptk/engine/engine.h"
#include "ptk/sys/tracer.h"
#include "ptk/tamper/hook.h"

namespace ptk::py {

class Run : private sys::TraceSink, private engine::BreakSink {
 public:
  Run(std::vector<std::string> argv, pid_t pid, bool follow_forks, pybind11::object on_note);
  ~Run() override;

  void on_syscall(pybind11::object callback, const std::string& filter, bool entries);
  void tamper(pybind11::object callback, std::vector<std::string> syscalls);
  void break_at(const std::string& location, pybind11::object callback);
  // Runs to the end of the traced processes; returns the first one's exit code.
  int run();
  // From a callback: ends the run at this stop, every process let go (a spawned command killed).
  void stop() { stop_ = 1; }
  const std::vector<std::string>& problems() const { return problems_; }
  bool failed() const { return error_.pending(); }  // a callback raised
  pid_t pid() const { return engine_ ? engine_->pid() : pid_; }
  engine::Engine* engine() { return engine_.get(); }

  // Calls `callback(args...)` with the GIL held; an exception is kept and ends the run.
  template <typename... A>
  pybind11::object call(const pybind11::object& callback, A&&... args) {
    pybind11::gil_scoped_acquire locked;
    if (error_.pending()) return pybind11::none();
    try {
      return callback(std::forward<A>(args)...);
    } catch (...) {
      error_.capture();
      stop_ = 1;
      return pybind11::none();
    }
  }

 private:
  class PyHook;

  // TraceSink
  void syscall_entry(sys::DecodedSyscall& sc) override;
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event& /*ev*/) override {}
  void thread_gone(const Event& /*ev*/, sys::DecodedSyscall* /*pending*/) override {}
  // BreakSink
  void hit(const engine::BreakLocation& location, const debug::BreakpointHit& hit,
           const debug::SymbolTable* symbols) override;
  void watch(const debug::WatchHit& /*hit*/) override {}

  std::vector<std::string> argv_;
  pid_t attach_pid_ = 0;
  bool follow_forks_ = false;
  pybind11::object on_note_;
  pid_t pid_ = 0;  // the first process, once the run is over
  pybind11::object syscall_callback_;
  std::string filter_;
  bool entries_ = false;
  std::vector<std::unique_ptr<PyHook>> hooks_;
  std::vector<std::string> locations_;
  std::map<std::string, pybind11::object> break_callbacks_;
  std::unique_ptr<engine::Engine> engine_;
  volatile std::sig_atomic_t stop_ = 0;
  CallbackError error_;
  std::vector<std::string> problems_;
  bool ran_ = false;
};

void register_run(pybind11::module_& m);

}  // namespace ptk::py
