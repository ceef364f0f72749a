// Quoting tracee bytes for a terminal, a file or JSON: no raw control byte from a tracee ever
// reaches the output.
#pragma once

#include <string>
#include <string_view>

namespace ptk::sys {

// Appends "bytes" (quoted); `more` appends the "..." strace prints after a cut string.
// xlevel: 0 octal escapes, 1 (-x) the whole string in \x when any byte needs escaping,
// 2 (-xx) every byte in \x.
void append_quoted(std::string& out, std::string_view bytes, int xlevel, bool more);

// JSON string escaping (RFC 8259): bytes that are not valid UTF-8 become \u00XX of the byte,
// so that the output is valid UTF-8 JSON whatever a tracee's bytes were. The one JSON string
// writer of ptk: every --json output (trace, break, calls, inject, call, regs, maps) uses it.
void append_json_string(std::string& out, std::string_view bytes);
// The same, as a new string.
std::string json_string(std::string_view bytes);

}  // namespace ptk::sys
