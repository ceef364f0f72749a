// Small helpers every subcommand uses: one-line errors and the exit codes.
#pragma once

#include <fmt/format.h>

#include <string_view>

#include "common/color.h"
#include "ptk/base/error.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {

// Exit codes of ptk itself (a traced command's own status is passed through as is).
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitFailure = 1;  // the operation failed

// "ptk <cmd>: <message>" on stderr, one line. A message can quote what a tracee controls (its
// thread name, a symbol or file name of its): every byte outside printable ASCII is escaped.
// On a terminal "ptk <cmd>:" is bold red (--color).
inline int fail(std::string_view cmd, std::string_view message, int code = kExitFailure) {
  std::string head = error_palette().paint(Style::ErrorWord, fmt::format("ptk {}:", cmd));
  fmt::print(stderr, "{} {}\n", head, sys::printable(message));
  return code;
}
inline int fail(std::string_view cmd, const Error& e, int code = kExitFailure) {
  return fail(cmd, e.message(), code);
}

}  // namespace ptk::cli
