// Error values carried by Result<T>: what went wrong, which call failed, and a cure.
#pragma once

#include <string>
#include <string_view>

namespace ptk {

enum class ErrorKind {
  TraceeGone,        // the thread exited or was killed under us (ESRCH on a stopped tracee)
  PermissionDenied,  // EPERM/EACCES: other user, Yama, already traced, not allowed
  NoSuchProcess,     // the pid never existed or is gone before we touched it
  AlreadyTraced,     // another tracer holds the process
  BadAddress,        // EFAULT/EIO: the tracee address is not mapped or not accessible
  InvalidArgument,   // the caller passed something malformed
  NotFound,          // a file, command or symbol that does not exist
  Unsupported,       // the kernel or the tracee ABI cannot do this
  Io,                // any other system error
  Internal,          // a broken invariant in ptk itself
};

std::string_view to_string(ErrorKind kind);

class Error {
 public:
  Error(ErrorKind kind, std::string call, int err = 0, std::string hint = {})
      : kind_(kind), errno_(err), call_(std::move(call)), hint_(std::move(hint)) {}

  // Builds an error from an errno value, choosing the kind from it.
  static Error from_errno(int err, std::string call, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  int error_number() const { return errno_; }
  const std::string& call() const { return call_; }
  const std::string& hint() const { return hint_; }
  Error& with_hint(std::string hint) {
    hint_ = std::move(hint);
    return *this;
  }

  // One line: "<call>: <strerror>; <hint>".
  std::string message() const;

 private:
  ErrorKind kind_;
  int errno_;
  std::string call_;
  std::string hint_;
};

// Maps an errno value to the kind a caller acts on.
ErrorKind kind_from_errno(int err);

}  // namespace ptk
