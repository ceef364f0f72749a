// What the V4L2 decoder's files share: the value printers strace's v4l2.c builds its fields
// from, and the requests' printers by group (v4l2.cpp dispatches to them).
//
// Most requests print the struct's inputs at entry and its outputs at exit, inside the braces
// opened at entry. The exit's tokens are rendered apart from the entry's, so a field added at
// exit to the struct opened at entry spells its separator out (next()).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "v4l2_structs.h"

namespace ptk::sys::ioctl::vid {

// ", name=" for a field continuing at exit the struct opened at entry.
void next(TokenList& o, std::string_view name);
// "} => {": the struct as the kernel left it follows.
void changed_struct(TokenList& o);

// Starts the named fields of a struct body printed either inside braces of its own or, at exit,
// in the braces opened at entry (`cont`: each with its separator spelled out).
struct Fields {
  TokenList& o;
  bool cont = false;
  void operator()(std::string_view name) const {
    if (cont) o.raw(", ");
    o.field(name);
  }
};

void rect(TokenList& o, const Rect& r);              // {left=, top=, width=, height=}
void fract(TokenList& o, const Fract& f);            // numerator/denominator
void kernel_version(TokenList& o, std::uint32_t v);  // KERNEL_VERSION(a, b, c)
// v4l2_fourcc('a', 'b', 'c', 'd') and the format's name from `table` as a comment (-X raw: the
// number).
void fourcc(TokenList& o, std::uint32_t v, std::string_view table);
// A buffer's flags with the timestamp type and source, which are values in masks of the word.
void buf_flags(TokenList& o, std::uint32_t v);
// A control id: its name, else its class plus an offset; `next_flags`: the query flags of
// VIDIOC_QUERYCTRL first.
void cid(TokenList& o, std::uint32_t id, bool next_flags);

// strace's print_array over `n` elements of `size` bytes (at most 64) at addr: true when all
// were shown or the rest was cut at the -s limit (strace's "complete" answer).
bool array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t size,
           const std::function<void(const unsigned char*)>& elem);

// The fmt union of a struct v4l2_format by its type, after `before` (the separator or "} =>
// {"). False when the type has no fmt member (nothing printed) or its clips were unreadable.
bool format_fmt(DecodeCtx& ctx, const Format& f, const std::function<void()>& before);

// The requests by group; each returns what the dispatcher expects of a family.
Res format(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // G/S/TRY_FMT
Res create_bufs(DecodeCtx& ctx, std::uint64_t arg);
Res control(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);    // G/S_CTRL
Res queryctrl(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // QUERY(_EXT)_CTRL
Res ext_controls(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);
Res streamparm(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // G/S_PARM
Res tuner(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);       // G/S_TUNER
Res buffer(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);      // QUERYBUF, (D)QBUF
Res enum_sizes(DecodeCtx& ctx, std::uint32_t code, std::uint64_t arg);  // ENUM_FRAME*

}  // namespace ptk::sys::ioctl::vid
