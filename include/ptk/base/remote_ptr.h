// RemotePtr<T>: an address in a tracee's address space, never dereferenced by the tracer.
// Typed so that a tracee pointer cannot be confused with a local one or with a plain integer.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

namespace ptk {

template <typename T = std::byte>
class RemotePtr {
 public:
  constexpr RemotePtr() = default;
  constexpr explicit RemotePtr(std::uint64_t addr) : addr_(addr) {}

  constexpr std::uint64_t addr() const { return addr_; }
  constexpr bool is_null() const { return addr_ == 0; }
  constexpr explicit operator bool() const { return addr_ != 0; }

  // Element-wise arithmetic, as for a local pointer; sizeof(void) counts as one byte.
  static constexpr std::uint64_t kStride = sizeof(std::conditional_t<std::is_void_v<T>, char, T>);
  constexpr RemotePtr operator+(std::int64_t n) const { return RemotePtr(addr_ + n * kStride); }
  constexpr RemotePtr operator-(std::int64_t n) const { return RemotePtr(addr_ - n * kStride); }
  constexpr RemotePtr& operator+=(std::int64_t n) { return *this = *this + n; }

  template <typename U>
  constexpr RemotePtr<U> cast() const {
    return RemotePtr<U>(addr_);
  }
  constexpr RemotePtr<std::byte> bytes() const { return RemotePtr<std::byte>(addr_); }

  constexpr auto operator<=>(const RemotePtr&) const = default;

 private:
  std::uint64_t addr_ = 0;
};

using RemoteAddr = RemotePtr<std::byte>;

}  // namespace ptk
