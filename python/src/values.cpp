#include "values.h"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include "errors.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/render.h"

namespace ptk::py {

namespace pyb = pybind11;

Syscall Syscall::from(const sys::DecodedSyscall& sc, bool entry) {
  Syscall s;
  s.name = sc.name();
  s.nr = sc.nr;
  s.pid = sc.pid;
  s.tid = sc.tid;
  s.abi = std::string(to_string(sc.arch));
  s.entry = entry;
  s.raw_args = sc.raw_args;
  sys::render_json_args(sc.args, s.args_json);
  if (!entry && sc.exited) {
    s.ret = sc.is_error ? -1 : sc.ret;
    if (sc.is_error) s.errno_name = std::string(sys::errno_name(static_cast<int>(-sc.ret)));
  }
  s.tamper = sc.note;
  sys::TextOptions text;
  if (entry) {
    sys::render_open_head(sc, text, s.text);
  } else {
    sys::render_line(sc, text, s.text);
  }
  return s;
}

PyEvent PyEvent::from(const Event& ev) {
  PyEvent e;
  e.kind = std::string(to_string(ev.kind));
  e.tid = ev.tid;
  e.pid = ev.pid;
  e.signal = ev.signal;
  e.exit_code = ev.exit_code;
  if (ev.kind == EventKind::SyscallEntry || ev.kind == EventKind::SyscallExit) {
    e.syscall_nr = ev.syscall.nr;
    e.syscall_ret = ev.syscall.ret;
  }
  e.new_tid = ev.new_tid;
  e.stopped = ev.stopped();
  e.raw = ev;
  return e;
}

namespace {

void register_syscall(pyb::module_& m) {
  pyb::class_<Syscall>(m, "Syscall",
                       "One syscall of a traced thread, decoded as `ptk trace` shows it.")
      .def_readonly("name", &Syscall::name, "Its name as strace prints it (\"openat\").")
      .def_readonly("nr", &Syscall::nr, "Its number in its ABI.")
      .def_readonly("pid", &Syscall::pid)
      .def_readonly("tid", &Syscall::tid)
      .def_readonly("abi", &Syscall::abi, "\"x86_64\" or \"i386\" (int $0x80 from 64-bit code).")
      .def_readonly("entry", &Syscall::entry,
                    "True at the syscall's entry (no result yet), False at its exit.")
      .def_property_readonly(
          "raw_args", [](const Syscall& s) { return pyb::tuple(pyb::cast(s.raw_args)); },
          "The six argument registers as unsigned integers.")
      .def_property_readonly(
          "args",
          [](Syscall& s) {
            if (!s.args_cache)
              s.args_cache = pyb::module_::import("json").attr("loads")(s.args_json);
            return s.args_cache;
          },
          "The arguments by their kernel names, decoded: {\"fd\": 1, \"buf\": {\"str\": "
          "\"hi\\n\", \"len\": 3}, \"count\": 3} (the values of `ptk trace --json`, see "
          "docs/json-schema.md).")
      .def_readonly("ret", &Syscall::ret,
                    "What the program gets: the return value, -1 on error (see errno); None at "
                    "entry or when the call never returned.")
      .def_property_readonly(
          "errno",
          [](const Syscall& s) -> pyb::object {
            if (s.errno_name.empty()) return pyb::none();
            return pyb::str(s.errno_name);
          },
          "The errno name (\"ENOENT\") of a failed call, else None.")
      .def_readonly("tamper", &Syscall::tamper, "Tamper marks, e.g. \"(INJECTED)\" (or \"\").")
      .def_readonly("text", &Syscall::text, "The strace line (the open head at entry).")
      .def("__str__", [](const Syscall& s) { return s.text; })
      .def("__repr__", [](const Syscall& s) { return fmt::format("<ptk.Syscall {}>", s.text); });
}

void register_event(pyb::module_& m) {
  pyb::class_<PyEvent>(m, "Event", "A stop or the end of a traced thread.")
      .def_readonly("kind", &PyEvent::kind,
                    "\"syscall-entry\", \"syscall-exit\", \"signal\", \"trap\", \"group-stop\", "
                    "\"interrupt\", \"exec\", \"fork\", \"clone\", \"exited\", \"killed\", ...")
      .def_readonly("tid", &PyEvent::tid)
      .def_readonly("pid", &PyEvent::pid)
      .def_readonly("signal", &PyEvent::signal, "The signal of a Signal, Trap or Killed event.")
      .def_readonly("exit_code", &PyEvent::exit_code, "The exit code of an Exited event.")
      .def_readonly("syscall_nr", &PyEvent::syscall_nr)
      .def_readonly("syscall_ret", &PyEvent::syscall_ret)
      .def_readonly("new_tid", &PyEvent::new_tid, "The new thread of a Fork/Clone event.")
      .def_readonly("stopped", &PyEvent::stopped,
                    "Whether the thread is stopped (to be resumed) rather than gone.")
      .def("__repr__",
           [](const PyEvent& e) { return fmt::format("<ptk.Event {} tid={}>", e.kind, e.tid); });
}

void register_registers(pyb::module_& m) {
  using R = Registers;
  pyb::class_<R>(m, "Registers",
                 "A thread's general registers (a copy: write it back with set_regs). Any "
                 "register by name: regs[\"rax\"], regs[\"eip\"] = 0x1000.")
      .def_property_readonly("arch", [](const R& r) { return std::string(to_string(r.arch())); })
      .def_property("ip", &R::ip, &R::set_ip, "The instruction pointer.")
      .def_property("sp", &R::sp, &R::set_sp, "The stack pointer.")
      .def_property("flags", &R::flags, &R::set_flags)
      .def_property("retval", &R::retval, &R::set_retval,
                    "The return-value register, sign-extended (rax / eax).")
      .def_property("syscall_no", &R::syscall_no, &R::set_syscall_no)
      .def_property("orig_syscall_no", &R::orig_syscall_no, &R::set_orig_syscall_no,
                    "The syscall number at a syscall stop (orig_rax / orig_eax).")
      .def("arg", &R::arg, pyb::arg("index"), "Syscall argument `index` (0-5) in this ABI.")
      .def("set_arg", &R::set_arg, pyb::arg("index"), pyb::arg("value"))
      .def("__getitem__",
           [](const R& r, const std::string& name) {
             auto v = r.by_name(name);
             if (!v) throw pyb::key_error(name);
             return *v;
           })
      .def("__setitem__",
           [](R& r, const std::string& name, std::uint64_t value) {
             if (!r.set_by_name(name, value)) throw pyb::key_error(name);
           })
      .def("__eq__", [](const R& a, const R& b) { return a == b; })
      .def("__repr__", [](const R& r) {
        return fmt::format("<ptk.Registers {} ip={:#x} sp={:#x}>", to_string(r.arch()), r.ip(),
                           r.sp());
      });
}

}  // namespace

void register_values(pyb::module_& m) {
  register_syscall(m);
  register_event(m);
  register_registers(m);
  m.def(
      "signal_name", [](int sig) { return signal_name(sig); }, pyb::arg("signal"),
      "\"SIGTRAP\" for 5.");
}

}  // namespace ptk::py
