// ptk.Error: every ptk failure reaches Python as one exception class carrying ptk's own one-line
// message (Error::message()) and its kind ("tracee gone", "not found", ...).
#pragma once

#include <pybind11/pybind11.h>

#include <exception>
#include <utility>

#include "ptk/base/error.h"
#include "ptk/base/result.h"

namespace ptk::py {

// Thrown by the bindings; translated to ptk.Error at the boundary.
class PtkError : public std::exception {
 public:
  explicit PtkError(Error error) : error_(std::move(error)), text_(error_.message()) {}
  const char* what() const noexcept override { return text_.c_str(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  std::string text_;
};

[[noreturn]] inline void raise(Error error) { throw PtkError(std::move(error)); }

inline void check(Status status) {
  if (!status.ok()) raise(std::move(status).error());
}

template <typename T>
T unwrap(Result<T> result) {
  if (!result.ok()) raise(std::move(result).error());
  return std::move(result).value();
}

// Creates ptk.Error in `m` and the translator from PtkError.
void register_errors(pybind11::module_& m);

// A Python exception raised inside a callback the engine or a stepper called: kept (the C++
// loop must end cleanly first) and raised again to whoever started the loop.
class CallbackError {
 public:
  // Call in a catch block, the GIL held.
  void capture() {
    if (!error_) error_ = std::current_exception();
  }
  bool pending() const { return error_ != nullptr; }
  // Raises the kept exception, if any (the GIL held).
  void rethrow() {
    if (!error_) return;
    std::exception_ptr e = std::exchange(error_, nullptr);
    std::rethrow_exception(e);
  }

 private:
  std::exception_ptr error_;
};

}  // namespace ptk::py
