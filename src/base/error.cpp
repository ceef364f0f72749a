#include "ptk/base/error.h"

#include <cerrno>
#include <cstring>

namespace ptk {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::TraceeGone:
      return "tracee gone";
    case ErrorKind::PermissionDenied:
      return "permission denied";
    case ErrorKind::NoSuchProcess:
      return "no such process";
    case ErrorKind::AlreadyTraced:
      return "already traced";
    case ErrorKind::BadAddress:
      return "bad address";
    case ErrorKind::InvalidArgument:
      return "invalid argument";
    case ErrorKind::NotFound:
      return "not found";
    case ErrorKind::Unsupported:
      return "unsupported";
    case ErrorKind::Io:
      return "i/o error";
    case ErrorKind::Internal:
      return "internal error";
  }
  return "unknown error";
}

ErrorKind kind_from_errno(int err) {
  switch (err) {
    case ESRCH:
      return ErrorKind::NoSuchProcess;
    case EPERM:
    case EACCES:
      return ErrorKind::PermissionDenied;
    case EFAULT:
    case EIO:
      return ErrorKind::BadAddress;
    case EINVAL:
      return ErrorKind::InvalidArgument;
    case ENOENT:
      return ErrorKind::NotFound;
    case ENOSYS:
    case EOPNOTSUPP:
      return ErrorKind::Unsupported;
    default:
      return ErrorKind::Io;
  }
}

Error Error::from_errno(int err, std::string call, std::string hint) {
  return Error(kind_from_errno(err), std::move(call), err, std::move(hint));
}

std::string Error::message() const {
  std::string out = call_;
  if (errno_ != 0) {
    if (!out.empty()) out += ": ";
    out += std::strerror(errno_);
  } else if (out.empty()) {
    out = std::string(to_string(kind_));
  }
  if (!hint_.empty()) {
    out += "; ";
    out += hint_;
  }
  return out;
}

}  // namespace ptk
