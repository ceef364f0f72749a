// The Python face of ptk.Process (process.h).
#include <pybind11/stl.h>

#include "process.h"

namespace ptk::py {

namespace pyb = pybind11;
using pyb::arg;

namespace {

// for sc in proc.syscalls(): ...
class SyscallIter {
 public:
  SyscallIter(Process& p, bool entries, std::string filter)
      : process_(p), entries_(entries), filter_(std::move(filter)) {}
  Syscall next() {
    auto s = process_.next_syscall(entries_, filter_);
    if (!s) throw pyb::stop_iteration();
    return std::move(*s);
  }

 private:
  Process& process_;
  bool entries_;
  std::string filter_;
};

}  // namespace

void register_process(pyb::module_& m) {
  pyb::class_<SyscallIter>(m, "_SyscallIter")
      .def("__iter__", [](SyscallIter& it) -> SyscallIter& { return it; })
      .def("__next__", &SyscallIter::next);

  auto opt_tid = arg("tid") = pyb::none();
  pyb::class_<Process>(m, "Process",
                       "A process under ptk: made by ptk.spawn() or ptk.attach(). Methods that "
                       "take tid= default to the thread of the last stop (else the main one).")
      .def_property_readonly("pid", &Process::pid)
      .def_property_readonly("spawned", &Process::spawned,
                             "True for a command ptk started (killed if dropped unfinished).")
      .def_property_readonly("alive", &Process::alive,
                             "Neither ended nor detached: it can be inspected and run.")
      .def_property_readonly("exit_code", &Process::exit_code,
                             "How it ended as a shell says it (128+N when killed by N), or None.")
      .def_property_readonly("threads", &Process::threads)
      .def("regs", &Process::regs, opt_tid, "The thread's registers (a Registers copy).")
      .def("set_regs", &Process::set_regs, arg("regs"), opt_tid)
      .def("read", &Process::read, arg("addr"), arg("size"), opt_tid,
           "`size` bytes of memory at `addr` (ptk.Error when any is unreadable).")
      .def("write", &Process::write, arg("addr"), arg("data"), opt_tid,
           "Writes bytes at `addr` (read-only mappings too, as a debugger does).")
      .def("read_string", &Process::read_string, arg("addr"), arg("max_len") = 4096, opt_tid,
           "The NUL-terminated bytes at `addr` (at most max_len).")
      .def(
          "syscalls",
          [](Process& p, bool entries, std::string filter) {
            return SyscallIter(p, entries, std::move(filter));
          },
          arg("entries") = false, arg("filter") = "", pyb::keep_alive<0, 1>(),
          "Iterates over the syscalls of the process, decoded (ptk.Syscall), each at its exit "
          "(and at its entry too with entries=True); `filter` as ptk trace -e trace= "
          "(\"openat,read\", \"%file\"), fixed by the first call. The thread stays stopped "
          "at the syscall until the next one is asked for, so regs()/read()/write() see it "
          "there.")
      .def("wait", &Process::wait,
           "Runs on the last stop and returns the next event (ptk.Event); the thread stays "
           "stopped (resume() it).")
      .def("resume", &Process::resume, opt_tid, arg("signal") = -1,
           "Restarts a stopped thread, or every stopped one without tid; `signal` is delivered "
           "as it restarts (default: the signal it stopped with, if any; 0: none).")
      .def("set_pending_signal", &Process::set_pending_signal, arg("signal"), opt_tid,
           "The signal the stopped thread gets when it is resumed or detached (0: none), e.g. "
           "to drop the SIGTRAP of a breakpoint of one's own.")
      .def("wait_exit", &Process::wait_exit,
           "Lets the process run untraced by syscall to its end; returns its exit code.")
      .def("run_to_syscall_exit", &Process::run_to_syscall_exit, arg("name"),
           "Runs to the exit of the first syscall `name` in any thread; returns that thread.")
      .def("run_to", &Process::run_to, arg("address"),
           "Runs until a thread reaches `address` (a one-shot breakpoint); returns it.")
      .def("step", &Process::step, opt_tid, arg("callback") = pyb::none(), arg("max_steps") = 0,
           "Single-steps the thread; callback(regs) runs before each instruction and stops the "
           "stepping by returning False. Returns {steps, end ('Exited', 'Killed', 'Limit', "
           "'Stopped'), tid, exit_code, signal}. An exception in the callback ends the "
           "stepping with the thread stopped cleanly, and is raised here.")
      .def("disassemble", &Process::disassemble, arg("addr"), opt_tid,
           "The instruction at `addr`: (hex bytes, AT&T text, size).")
      .def("symbol", &Process::symbol, arg("addr"),
           "`addr` as symbol+offset (\"main+4\"), module+offset or hex.")
      .def("resolve", &Process::resolve, arg("location"),
           "The address of a symbol, lib:symbol, file:line or 0xADDR.")
      .def("call", &Process::call, arg("function"), opt_tid,
           "Calls a function of the process, e.g. call(\"puts\", \"hi\"), with int and str "
           "arguments; returns its result (the word, sign-extended). The thread is put back as "
           "it was.")
      .def("syscall", &Process::syscall, arg("name"), opt_tid,
           "Runs a syscall in the process: syscall(\"getpid\"), syscall(\"write\", 1, "
           "\"hi\\n\", 3) or syscall('write(1, \"hi\\\\n\", 3)'). Returns the raw result "
           "(-errno on failure); nothing of it stays in the process.")
      .def("run_shellcode", &Process::run_shellcode, arg("code"), arg("at") = pyb::none(), opt_tid,
           "Runs machine code (bytes) in the thread: at=None in a fresh mapping, at=\"ip\" "
           "over the current instruction stream, or at=ADDRESS; ends at an int3 (appended) or a "
           "ret. Returns {address, size, fault, signal, regs}; everything is put back.")
      .def("maps", &Process::maps, "The memory map: [{start, end, perms, offset, path}].")
      .def("detach", &Process::detach, "Lets the process go, running as before.")
      .def("kill", &Process::kill, "Kills the process (SIGKILL) and waits for its end.")
      .def("__enter__", [](Process& p) -> Process& { return p; })
      .def("__exit__", [](Process& p, const pyb::args&) {
        if (!p.alive()) return;
        if (p.spawned()) {
          p.kill();
        } else {
          p.detach();
        }
      });

  m.def("spawn", &Process::spawn, arg("argv"), arg("env") = pyb::none(),
        "Starts a command (argv[0] looked up in PATH) stopped at its first instruction.");
  m.def("attach", &Process::attach, arg("pid"),
        "Attaches to every thread of a running process, which stays stopped.");
}

}  // namespace ptk::py
