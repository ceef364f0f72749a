// Result<T>: a value or an Error. C++20 has no std::expected, so this is a small one.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "ptk/base/error.h"

namespace ptk {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_{ErrorKind::Internal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace ptk

// Propagates an error from an expression returning Result<...>; evaluates to nothing.
#define PTK_TRY(expr)                                                     \
  do {                                                                    \
    auto ptk_try_result_ = (expr);                                        \
    if (!ptk_try_result_.ok()) return std::move(ptk_try_result_).error(); \
  } while (0)

// Assigns the value of a Result<T> expression to `lhs`, or returns its error.
#define PTK_ASSIGN_OR_RETURN(lhs, expr) \
  PTK_ASSIGN_OR_RETURN_I(lhs, expr, PTK_CONCAT(ptk_r_, __LINE__))
#define PTK_CONCAT_I(a, b) a##b
#define PTK_CONCAT(a, b) PTK_CONCAT_I(a, b)
#define PTK_ASSIGN_OR_RETURN_I(lhs, expr, tmp)  \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
