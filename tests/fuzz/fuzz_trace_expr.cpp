// libFuzzer target: the parsers of `ptk trace -e` values: trace= sets
// (sys::SyscallFilter::parse), inject=/fault= specs (tamper::parse_inject_spec), and their
// delays and errnos.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ptk/sys/filter.h"
#include "ptk/tamper/inject_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto filter = ptk::sys::SyscallFilter::parse(text);
  if (filter.ok()) {
    (void)filter->selected(ptk::Arch::X86_64);
    (void)filter->selected(ptk::Arch::I386);
  } else if (filter.error().message().empty()) {
    std::abort();
  }
  // inject= or fault= by the input's length: one spec parse per input keeps the rate up.
  auto spec = ptk::tamper::parse_inject_spec(text, size % 2 == 1);
  if (!spec.ok() && spec.error().message().empty()) std::abort();
  (void)ptk::tamper::parse_inject_delay(text);
  (void)ptk::tamper::parse_errno(text);
  return 0;
}
