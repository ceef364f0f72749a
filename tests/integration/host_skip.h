// Skipping a test on a host that lacks a capability it needs (i386 programs, debug-register
// traps, kprobes), in words scripts/test.sh's VM stage looks for. Shared by the integration and
// eBPF test binaries.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "ptk/core/host.h"

namespace ptk_test {

// Why this host cannot run a test that needs `capability`, or "" when it can. The words
// "needs host capability: NAME" are what scripts/test.sh looks for in a skipped test's output
// to run it again in the VM lane (scripts/vm-test.sh), on a kernel that has it.
//
// PTK_TEST_ASSUME_MISSING=NAME,NAME... makes these tests skip as if the host lacked those
// capabilities (only the skips: ptk itself still probes the real host), so that `scripts/test.sh
// --vm` can prove the VM stage on a host that has everything.
inline std::string missing_capability(ptk::HostCapability capability) {
  std::string_view name = ptk::to_string(capability);
  const char* assumed = std::getenv("PTK_TEST_ASSUME_MISSING");
  for (std::string_view list = assumed != nullptr ? assumed : ""; !list.empty();) {
    std::size_t comma = list.find(',');
    if (list.substr(0, comma) == name) {
      return fmt::format("needs host capability: {} (PTK_TEST_ASSUME_MISSING names it)", name);
    }
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
  }
  if (ptk::host_has(capability)) return {};
  return fmt::format("needs host capability: {} ({}); scripts/vm-test.sh runs it in a VM", name,
                     ptk::missing_reason(capability));
}

// The same for a test with a tracee of `bits` bits: a 32-bit one needs i386 programs.
inline std::string missing_for_bits(int bits) {
  return bits == 32 ? missing_capability(ptk::HostCapability::I386Programs) : std::string();
}

}  // namespace ptk_test

// Skip the test (GoogleTest's skip, with the reason) where the host lacks the capability. For
// a test body or a fixture's SetUp.
#define PTK_REQUIRE_HOST(capability)                                         \
  if (std::string ptk_missing_ = ::ptk_test::missing_capability(capability); \
      ptk_missing_.empty()) {                                                \
  } else                                                                     \
    GTEST_SKIP() << ptk_missing_
#define PTK_REQUIRE_BITS(bits)                                                               \
  if (std::string ptk_missing_ = ::ptk_test::missing_for_bits(bits); ptk_missing_.empty()) { \
  } else                                                                                     \
    GTEST_SKIP() << ptk_missing_
