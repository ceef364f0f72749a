// struct perf_event_attr as strace prints it, for perf_event_open(2) and
// PERF_EVENT_IOC_MODIFY_ATTRIBUTES.
#pragma once

#include <cstdint>

#include "ptk/sys/decode.h"

namespace ptk::sys::perf {

// What was read of the struct: `size` bytes of its 128 (the rest zero).
struct Attr {
  unsigned char bytes[128] = {};
  std::uint32_t size = 0;
};

// Reads the struct the way the kernel sizes it (by its size field, at least the first
// published size); without -v only the part before wakeup_events. False after printing the
// address when it cannot.
bool fetch_attr(DecodeCtx& ctx, std::uint64_t addr, Attr& a);

// Prints it; `new_size` (E2BIG's exit: the size the kernel wants) follows " => " when
// `changed` is 1, "???" when -1.
void print_attr(DecodeCtx& ctx, const Attr& a, int changed = 0, std::uint32_t new_size = 0);

}  // namespace ptk::sys::perf
