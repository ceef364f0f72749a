// Per-syscall decoders and struct printers, looked up by name.
#include <algorithm>
#include <vector>

#include "decoders/families.h"

namespace ptk::sys {
namespace {

template <typename Entry>
struct Index {
  std::vector<Entry> entries;
  template <typename Key>
  auto find(std::string_view name, Key key) const -> decltype(&entries[0]) {
    auto it = std::lower_bound(entries.begin(), entries.end(), name,
                               [&](const Entry& e, std::string_view n) { return key(e) < n; });
    return it != entries.end() && key(*it) == name ? &*it : nullptr;
  }
};

struct Registry {
  Index<DecoderEntry> decoders;
  Index<StructEntry> structs;
};

const Registry& registry() {
  // Built once, on first use; the tracer is single-threaded by contract.
  static const Registry r = [] {
    Registry reg;
    for (Family f : {file_family(), desc_family(), memory_family(), process_family(),
                     mount_family(), ipc_family(), misc_family(), signal_family(), network_family(),
                     time_family(), i386_family()}) {
      reg.decoders.entries.insert(reg.decoders.entries.end(), f.decoders.begin(), f.decoders.end());
      reg.structs.entries.insert(reg.structs.entries.end(), f.structs.begin(), f.structs.end());
    }
    std::sort(reg.decoders.entries.begin(), reg.decoders.entries.end(),
              [](const auto& a, const auto& b) { return a.syscall < b.syscall; });
    std::sort(reg.structs.entries.begin(), reg.structs.entries.end(),
              [](const auto& a, const auto& b) { return a.type < b.type; });
    return reg;
  }();
  return r;
}

}  // namespace

DecoderFn find_decoder(std::string_view syscall) {
  const DecoderEntry* e =
      registry().decoders.find(syscall, [](const DecoderEntry& d) { return d.syscall; });
  return e != nullptr ? e->fn : nullptr;
}

StructFn find_struct(std::string_view type) {
  const StructEntry* e = registry().structs.find(type, [](const StructEntry& s) { return s.type; });
  return e != nullptr ? e->fn : nullptr;
}

std::vector<std::string_view> duplicate_registrations() {
  // Two families registering one name would leave the winner to the sort: a silent conflict.
  std::vector<std::string_view> dups;
  const Registry& r = registry();
  for (std::size_t i = 1; i < r.decoders.entries.size(); ++i) {
    if (r.decoders.entries[i].syscall == r.decoders.entries[i - 1].syscall)
      dups.push_back(r.decoders.entries[i].syscall);
  }
  for (std::size_t i = 1; i < r.structs.entries.size(); ++i) {
    if (r.structs.entries[i].type == r.structs.entries[i - 1].type)
      dups.push_back(r.structs.entries[i].type);
  }
  return dups;
}

}  // namespace ptk::sys
