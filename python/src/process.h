// ptk.Process: one process under a Session of its own -- spawned or attached -- driven from
// Python stop by stop: decoded syscalls as an iterator, raw events, registers and memory,
// single-stepping, remote calls, syscalls and shellcode run inside it.
//
// The thread of the last stop handed to Python stays stopped until the next call that runs
// the process, so that its registers and memory can be read and changed at that stop.
#pragma once

#include <pybind11/pybind11.h>
#include <sys/types.h>

#include <csignal>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ptk/core/session.h"
#include "ptk/debug/disasm.h"
#include "ptk/debug/stepper.h"
#include "ptk/debug/symbols.h"
#include "ptk/sys/tracer.h"
#include "values.h"

namespace ptk::py {

class Process : private sys::TraceSink {
 public:
  static std::unique_ptr<Process> spawn(const std::vector<std::string>& argv,
                                        std::optional<std::vector<std::string>> env);
  static std::unique_ptr<Process> attach(pid_t pid);
  ~Process() override;

  pid_t pid() const { return pid_; }
  bool spawned() const { return spawned_; }
  bool alive() const { return !ended_ && !detached_; }
  std::optional<int> exit_code() const { return exit_code_; }
  std::vector<pid_t> threads() const;

  Registers regs(std::optional<pid_t> tid);
  void set_regs(const Registers& regs, std::optional<pid_t> tid);
  pybind11::bytes read(std::uint64_t addr, std::size_t size, std::optional<pid_t> tid);
  void write(std::uint64_t addr, const std::string& data, std::optional<pid_t> tid);
  pybind11::bytes read_string(std::uint64_t addr, std::size_t max_len, std::optional<pid_t> tid);

  // The next syscall (its exit; its entry too with `entries`), the thread stopped there; None
  // once no thread is left.
  // `filter` as ptk trace -e trace= ("" for all), fixed by the first call.
  std::optional<Syscall> next_syscall(bool entries, const std::string& filter);
  PyEvent wait();
  void resume(std::optional<pid_t> tid, int signal);
  void set_pending_signal(int signal, std::optional<pid_t> tid);
  int wait_exit();

  pid_t run_to_syscall_exit(const std::string& name);
  pid_t run_to(std::uint64_t address);
  pybind11::dict step(std::optional<pid_t> tid, const pybind11::object& callback,
                      std::uint64_t max_steps);

  pybind11::tuple disassemble(std::uint64_t addr, std::optional<pid_t> tid);
  std::string symbol(std::uint64_t addr);
  std::uint64_t resolve(const std::string& location);

  std::int64_t call(const std::string& function, const pybind11::args& args,
                    std::optional<pid_t> tid);
  std::int64_t syscall(const std::string& name, const pybind11::args& args,
                       std::optional<pid_t> tid);
  pybind11::dict run_shellcode(const std::string& code, const pybind11::object& at,
                               std::optional<pid_t> tid);
  pybind11::list maps() const;

  void detach();
  void kill();

 private:
  Process(pid_t pid, bool spawned, std::unique_ptr<Session> session);
  pid_t thread_or_default(std::optional<pid_t> tid) const;
  void require_alive() const;
  // Runs on the stop handed out last (and forgets it): the process runs before any new wait.
  void resume_held();
  // Session::wait with the GIL released; notes the end of the main thread.
  Result<Event> wait_event();
  debug::Stepper& stepper();
  // Before the process runs other than by stepping: no trap of the stepper's making (a one-shot
  // breakpoint's SIGTRAP) stays pending, and the stepper forgets its state.
  void settle();
  const debug::SymbolTable& symbols();

  // TraceSink: decoded syscalls are queued for next_syscall.
  void syscall_entry(sys::DecodedSyscall& sc) override;
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event& /*ev*/) override {}
  void thread_gone(const Event& /*ev*/, sys::DecodedSyscall* /*pending*/) override {}

  std::unique_ptr<Session> session_;
  pid_t pid_ = 0;
  bool spawned_ = false;
  bool ended_ = false;
  bool detached_ = false;
  std::optional<int> exit_code_;
  std::optional<Event> held_;  // the stop handed to Python, not resumed yet
  std::unique_ptr<sys::Tracer> tracer_;
  bool entries_ = false;
  std::string filter_;
  std::deque<Syscall> queue_;
  std::unique_ptr<debug::Stepper> stepper_;
  std::optional<debug::SymbolTable> symbols_;
  debug::Disassembler disasm_;
  // Set by SIGINT while ptk waits (WaitPolicy::interrupt, StepLimits::stop): see interrupt.h.
  volatile std::sig_atomic_t interrupt_ = 0;
};

void register_process(pybind11::module_& m);

}  // namespace ptk::py
