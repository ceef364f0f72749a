#include "views.h"

#include <pybind11/stl.h>

#include "errors.h"
#include "ptk/base/remote_ptr.h"
#include "ptk/engine/engine.h"
#include "run.h"
#include "values.h"

namespace ptk::py {

namespace pyb = pybind11;
using pyb::arg;

namespace {

Error stale(const char* what) {
  return Error(ErrorKind::InvalidArgument, what, 0, "a stop can only be used during its callback");
}

pyb::bytes read_bytes(Memory& memory, std::uint64_t addr, std::size_t size) {
  std::string out(size, '\0');
  check(memory.read_exact(RemoteAddr(addr),
                          std::as_writable_bytes(std::span(out.data(), out.size()))));
  return pyb::bytes(out);
}

void write_bytes(Memory& memory, std::uint64_t addr, const std::string& data) {
  check(memory.write(RemoteAddr(addr), std::as_bytes(std::span(data.data(), data.size()))));
}

void register_tamper_view(pyb::module_& m) {
  using V = TamperView;
  pyb::class_<V, std::shared_ptr<V>>(
      m, "SyscallStop",
      "A syscall stop handed to a tamper callback: read and change the call. At entry: "
      "set_arg, skip; at exit: ret, set_return. Valid only during the callback.")
      .def_property_readonly("entry",
                             [](const V& v) { return v.get().phase() == tamper::Phase::Entry; })
      .def_property_readonly("name", [](const V& v) { return v.get().name(); })
      .def_property_readonly("pid", [](const V& v) { return v.get().pid(); })
      .def_property_readonly("tid", [](const V& v) { return v.get().tid(); })
      .def_property_readonly(
          "syscall", [](const V& v) { return Syscall::from(v.get().syscall(), true); },
          "The call as decoded at its entry (a ptk.Syscall: args by name...).")
      .def(
          "arg", [](const V& v, int i) { return v.get().arg(i); }, arg("index"),
          "The raw argument register `index` (after set_arg, the new value).")
      .def(
          "set_arg",
          [](const V& v, int i, std::uint64_t value) { check(v.get().set_arg(i, value)); },
          arg("index"), arg("value"), "Entry only: the call sees `value` as argument `index`.")
      .def(
          "skip",
          [](const V& v, std::int64_t retval, int err) {
            check(v.get().skip(err != 0 ? -err : retval));
          },
          arg("retval") = 0, arg("errno") = 0,
          "Entry only: the call does not run; the program gets `retval`, or -1 with `errno`.")
      .def_property_readonly(
          "ret", [](const V& v) { return v.get().ret(); },
          "Exit only: the return value (-errno on error).")
      .def(
          "set_return", [](const V& v, std::int64_t value) { check(v.get().set_return(value)); },
          arg("value"), "Exit only: the program gets `value` (-errno for an error).")
      .def(
          "read",
          [](const V& v, std::uint64_t a, std::size_t n) {
            return read_bytes(v.get().memory(), a, n);
          },
          arg("addr"), arg("size"))
      .def(
          "write",
          [](const V& v, std::uint64_t a, const std::string& d) {
            write_bytes(v.get().memory(), a, d);
          },
          arg("addr"), arg("data"),
          "Writes into the tracee's memory (not undone: use push() for a copy of a buffer).")
      .def(
          "push",
          [](const V& v, const std::string& data) {
            tamper::SyscallContext& c = v.get();
            RemotePtr<void> p = unwrap(c.borrow(data.size()));
            write_bytes(c.memory(), p.addr(), data);
            return p.addr();
          },
          arg("data"),
          "Copies bytes into scratch memory of the thread (below its stack, given back after the "
          "call's exit) and returns their address, e.g. for set_arg.")
      .def(
          "mark", [](const V& v, const std::string& note) { v.get().mark(note); }, arg("note"),
          "A note shown after the syscall's line, e.g. \"(REVERSED)\".");
}

void register_hit_view(pyb::module_& m) {
  using V = HitView;
  pyb::class_<V, std::shared_ptr<V>>(
      m, "Hit", "A breakpoint hit handed to its callback; valid only during the callback.")
      .def_property_readonly(
          "location", [](const V& v) { return v.location; }, "The location as given to break_at.")
      .def_property_readonly(
          "hits", [](const V& v) { return v.hits; },
          "Hits of the location so far, this one included.")
      .def_property_readonly("address", [](const V& v) { return v.hit.address; })
      .def_property_readonly("pid", [](const V& v) { return v.hit.pid; })
      .def_property_readonly("tid", [](const V& v) { return v.hit.tid; })
      .def_property_readonly(
          "regs", [](const V& v) { return v.hit.regs; },
          "The thread's registers, ip on the breakpoint's address.")
      .def(
          "read",
          [](const V& v, std::uint64_t a, std::size_t n) { return read_bytes(v.memory(), a, n); },
          arg("addr"), arg("size"))
      .def(
          "read_string",
          [](const V& v, std::uint64_t a, std::size_t n) {
            return pyb::bytes(unwrap(v.memory().read_string(RemoteAddr(a), n)).bytes);
          },
          arg("addr"), arg("max_len") = 4096)
      .def(
          "write",
          [](const V& v, std::uint64_t a, const std::string& d) { write_bytes(v.memory(), a, d); },
          arg("addr"), arg("data"));
}

}  // namespace

tamper::SyscallContext& TamperView::get() const {
  if (ctx == nullptr) raise(stale("SyscallStop"));
  return *ctx;
}

Memory& HitView::memory() const {
  if (run == nullptr || run->engine() == nullptr) raise(stale("Hit"));
  return run->engine()->session().memory(hit.tid);
}

void register_views(pyb::module_& m) {
  register_tamper_view(m);
  register_hit_view(m);
}

}  // namespace ptk::py
