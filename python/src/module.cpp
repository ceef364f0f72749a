// The extension module ptk._ptk; python/ptk/__init__.py re-exports it as `ptk`.
#include <pybind11/pybind11.h>

#include "errors.h"
#include "process.h"
#include "run.h"
#include "values.h"
#include "views.h"

PYBIND11_MODULE(_ptk, m) {
  m.doc() = "ptk: syscall tracing, tampering, breakpoints, stepping and injection (ptrace).";
  ptk::py::register_errors(m);
  ptk::py::register_values(m);
  ptk::py::register_views(m);
  ptk::py::register_process(m);
  ptk::py::register_run(m);
}
