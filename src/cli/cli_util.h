// Small helpers every subcommand uses: one-line errors and the exit codes.
#pragma once

#include <fmt/format.h>

#include <string_view>

#include "ptk/base/error.h"

namespace ptk::cli {

// Exit codes of ptk itself (a traced command's own status is passed through as is).
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitFailure = 1;  // the operation failed

// "ptk <cmd>: <message>" on stderr, one line.
inline int fail(std::string_view cmd, const Error& e, int code = kExitFailure) {
  fmt::print(stderr, "ptk {}: {}\n", cmd, e.message());
  return code;
}
inline int fail(std::string_view cmd, std::string_view message, int code = kExitFailure) {
  fmt::print(stderr, "ptk {}: {}\n", cmd, message);
  return code;
}

}  // namespace ptk::cli
