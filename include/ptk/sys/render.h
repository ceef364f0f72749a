// Renderers of a DecodedSyscall: strace-compatible text and JSON Lines.
#pragma once

#include <string>

#include "ptk/sys/decoded.h"

namespace ptk::sys {

struct TextOptions {
  int xlevel = 0;            // -x / -xx
  std::size_t acolumn = 40;  // strace's -a: " = " is aligned to this column
  bool arg_names = false;    // strace 6.16's -N: "read(fd=3, buf=..., count=832)"
  ConstNames const_names = ConstNames::Abbrev;  // -X
};

// "name(" and the arguments decoded at entry (the whole line's head).
void render_head(const DecodedSyscall& sc, const TextOptions& opts, std::string& out);
// The head as a line left open at entry shows it: with the separator when arguments follow.
void render_open_head(const DecodedSyscall& sc, const TextOptions& opts, std::string& out);
// The arguments decoded at exit, without a leading separator.
void render_tail_args(const DecodedSyscall& sc, const TextOptions& opts, std::string& out);
// ") = value (aux) note": the end of a line; " = " is padded to opts.acolumn counted from
// out[line_start] (the start of the output line, prefix included, as strace counts).
void render_result(const DecodedSyscall& sc, const TextOptions& opts, std::string& out,
                   std::size_t line_start = 0);
// A whole line: name(args) = result.
void render_line(const DecodedSyscall& sc, const TextOptions& opts, std::string& out,
                 std::size_t line_start = 0);
// Tokens [from, to) of a list as strace prints them (values, structs, arrays, flags).
void render_tokens(const TokenList& list, std::size_t from, std::size_t to, const TextOptions& opts,
                   std::string& out);

// One JSON object (no newline) for a syscall: see docs/json-schema.md.
void render_json(const DecodedSyscall& sc, std::string& out);
// {"type":"entry",...}: a call in progress, with the arguments known at its entry.
void render_json_entry(const DecodedSyscall& sc, std::string& out);
// The first value of a token list (a struct, say) as JSON; null when the list is empty.
void render_json_value(const TokenList& list, std::string& out);
// The arguments alone as a JSON object.
void render_json_args(const TokenList& list, std::string& out);

}  // namespace ptk::sys
