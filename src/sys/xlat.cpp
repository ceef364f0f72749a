#include "ptk/sys/xlat.h"

#include <algorithm>

namespace ptk::sys {

// Defined by the generated xlat_registry.cpp, sorted by name.
extern const Xlat* const kXlatRegistry[];
extern const std::size_t kXlatRegistrySize;

const Xlat* find_xlat(std::string_view name) {
  const Xlat* const* begin = kXlatRegistry;
  const Xlat* const* end = kXlatRegistry + kXlatRegistrySize;
  auto it = std::lower_bound(begin, end, name,
                             [](const Xlat* x, std::string_view n) { return x->name < n; });
  return it != end && (*it)->name == name ? *it : nullptr;
}

std::string_view xlat_name(const Xlat& table, std::uint64_t value) {
  for (const XlatEntry& e : table.entries) {
    if (e.value == value) return e.name;
  }
  return {};
}

bool xlat_value(const Xlat& table, std::string_view name, std::uint64_t& value) {
  for (const XlatEntry& e : table.entries) {
    if (e.name == name) {
      value = e.value;
      return true;
    }
  }
  return false;
}

}  // namespace ptk::sys
