// Quoting tracee bytes for a terminal, a file or JSON: no raw control byte from a tracee ever
// reaches the output.
#pragma once

#include <string>
#include <string_view>

namespace ptk::sys {

// Every string a tracee controls (its memory, its file and symbol names, its paths in /proc,
// its thread names) reaches ptk's output through one of these, in every output format.

// Appends "bytes" (quoted); `more` appends the "..." strace prints after a cut string.
// xlevel: 0 octal escapes, 1 (-x) the whole string in \x when any byte needs escaping,
// 2 (-xx) every byte in \x, 3 (--strings-in-hex=non-ascii-chars) \x in place of the octal
// escapes only.
void append_quoted(std::string& out, std::string_view bytes, int xlevel, bool more);

// A descriptor's path as -y prints it between '<' and '>' (the brackets are not appended):
// strace's escapes without the quotes, '<' and '>' escaped too (\74, \76), so that no path
// can end the brackets early or hold a control byte.
void append_fd_path(std::string& out, std::string_view path, int xlevel);

// A name shown as is, outside quotes: a symbol, a file or mapping path, a thread's name, an
// error line. Printable ASCII stays (backslash too: these are not meant to be read back);
// every other byte, a control byte or one of a UTF-8 sequence (a C1 control such as U+009B,
// CSI, is one), becomes an octal escape as in append_quoted: "\33[2J".
void append_printable(std::string& out, std::string_view bytes);
std::string printable(std::string_view bytes);

// JSON string escaping (RFC 8259): bytes that are not valid UTF-8 become \u00XX of the byte,
// so that the output is valid UTF-8 JSON whatever a tracee's bytes were; no control character
// (C0, DEL, C1) is written raw. The one JSON string
// writer of ptk: every --json output (trace, break, calls, inject, call, regs, maps) uses it.
void append_json_string(std::string& out, std::string_view bytes);
// The same, as a new string.
std::string json_string(std::string_view bytes);

}  // namespace ptk::sys
