#include "errors.h"

#include <Python.h>

#include <string>

namespace ptk::py {

namespace {
PyObject* g_error_type = nullptr;  // ptk.Error, alive as long as the module
}

void register_errors(pybind11::module_& m) {
  namespace pyb = pybind11;
  g_error_type = PyErr_NewExceptionWithDoc(
      "ptk.Error",
      "A ptk operation failed. str(e) is ptk's one-line message (the call that failed, why, and "
      "a hint); e.kind names the kind of failure (\"tracee gone\", \"permission denied\", "
      "\"no such process\", \"already traced\", \"bad address\", \"invalid argument\", "
      "\"not found\", \"unsupported\", \"i/o error\", \"internal error\") and e.errno the "
      "errno behind it (0 when none).",
      PyExc_Exception, nullptr);
  m.add_object("Error", pyb::handle(g_error_type));
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PtkError& e) {
      pyb::object type = pyb::reinterpret_borrow<pyb::object>(g_error_type);
      pyb::object value = type(pyb::str(e.what()));
      value.attr("kind") = pyb::str(std::string(to_string(e.error().kind())));
      value.attr("errno") = pyb::int_(e.error().error_number());
      PyErr_SetObject(g_error_type, value.ptr());
    }
  });
}

}  // namespace ptk::py
