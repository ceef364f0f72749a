// The decoded model of one syscall's arguments: a flat stream of typed tokens.
//
// Decoders append tokens (never text); renderers (strace text, JSON) and filters walk them.
// A flat, reusable stream keeps decoding allocation-free in the steady state: clear() keeps
// the capacity of both the token vector and the string pool.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptk::sys {

enum class Tok : std::uint8_t {
  Arg,         // starts top-level argument; text = its name (may be empty)
  Int,         // signed decimal; value holds the int64 bits
  Uint,        // unsigned decimal
  Hex,         // 0x1f (0 prints as 0)
  Oct,         // 0644 (0 prints as 0)
  Ptr,         // NULL or 0x7ffd...
  Str,         // a quoted string; text = the raw bytes; kTruncated: more bytes followed
  Name,        // a symbolic constant (AT_FDCWD, SEEK_SET, SIGINT); value = its number
  FlagsBegin,  // '|'-joined Name tokens and at most one Hex remainder; empty prints 0
  FlagsEnd,
  StructBegin,  // {field=value, ...}
  StructEnd,    // kAbbrev: print ", ..." before the brace
  Field,        // text = field name; the following value is that field's
  ArrayBegin,   // [a, b]
  ArrayEnd,     // kTruncated: print ", ..." before the bracket
  SetBegin,     // [INT TERM] (space separated); kNegated prints ~[...]
  SetEnd,
  Raw,      // text printed as is: a C expression as strace shows it (htons(80)); value
            //  is its number when kNumeric; with kStyled a styled() triple
  Comment,  // " /* text */" after the previous value
  Fd,       // a descriptor number; text = its path when -y resolved one; with kNumeric a pid
            //  and text its command name (-Y)
};

enum TokFlags : std::uint16_t {
  kTruncated = 1 << 0,
  kAbbrev = 1 << 1,
  kNegated = 1 << 2,
  kNumeric = 1 << 3,
  kUnterminated = 1 << 4,  // Str: no NUL before the bound or an unreadable byte
  // Name: -X raw and -X verbose show the number in hex whatever its size (strace's printxval;
  // without it small numbers print in decimal, large ones in hex).
  kHexValue = 1 << 5,
  // Comment: a note on a number, its name or the "/* X_??? */" of an unknown one (0 /*
  // PIDTYPE_PID */, /* 0.32 s */); Raw: names of a value shown elsewhere (a return value's
  // flags). -X raw leaves them out.
  kXlatNote = 1 << 6,
  // A value shown both by name and as numbers (strace's bitsets: [KEY_1 KEY_2] /* [0x6] */):
  // on SetBegin, the names, left out with -X raw; on ArrayBegin, the numbers, shown only with
  // -X raw, or with -X verbose as a comment after the names. On Name: the text holds two
  // spellings, "abbrev\0verbose", the second for the -X verbose comment (strace spells the
  // parts of a composite name differently there: EVIOCGABS(0xe /* ABS_??? */) / EVIOCGABS(0xe)).
  kXlatAlt = 1 << 7,
  kStyled = 1 << 9,  // Raw: one spelling per -X style (styled())
  // Raw: a symbolic form of `value` (QCMD(Q_SYNC, USRQUOTA), 8192*1024); -X raw shows the
  // number in decimal, -X verbose adds the form as a comment.
  kConstExpr = 1 << 10,
};

// How named constants print (strace's -X): AT_FDCWD, -100, or -100 /* AT_FDCWD */.
enum class ConstNames : std::uint8_t { Abbrev, Raw, Verbose };

// AT_FDCWD. A Tok::Fd of it (with its path: -y) stands for the working directory.
inline constexpr std::int64_t kAtFdcwd = -100;

struct Token {
  Tok kind;
  std::uint16_t flags = 0;
  std::uint32_t off = 0;  // text in the pool
  std::uint32_t len = 0;
  std::uint64_t value = 0;
};

class TokenList {
 public:
  void clear() {
    toks_.clear();
    pool_.clear();
  }
  bool empty() const { return toks_.empty(); }
  std::size_t size() const { return toks_.size(); }
  std::span<const Token> tokens() const { return toks_; }
  const Token& operator[](std::size_t i) const { return toks_[i]; }
  std::string_view text(const Token& t) const {
    return std::string_view(pool_).substr(t.off, t.len);
  }
  // Drops every token from index n on (e.g. an entry-time guess the exit replaces).
  void truncate(std::size_t n);

  void arg(std::string_view name) { push(Tok::Arg, name); }
  void int_(std::int64_t v) { push(Tok::Int, {}, static_cast<std::uint64_t>(v)); }
  void uint_(std::uint64_t v) { push(Tok::Uint, {}, v); }
  void hex(std::uint64_t v) { push(Tok::Hex, {}, v); }
  void oct(std::uint64_t v) { push(Tok::Oct, {}, v); }
  void ptr(std::uint64_t v) { push(Tok::Ptr, {}, v); }
  void str(std::string_view bytes, std::uint16_t flags = 0) { push(Tok::Str, bytes, 0, flags); }
  void name(std::string_view n, std::uint64_t v = 0, std::uint16_t raw_format = 0) {
    push(Tok::Name, n, v, raw_format);
  }
  void name_hex(std::string_view n, std::uint64_t v) { push(Tok::Name, n, v, kHexValue); }
  // A hex-valued name with another spelling for the -X verbose comment (see kXlatAlt).
  void name_alt(std::string_view abbrev, std::string_view verbose, std::uint64_t v);
  void begin_flags() { push(Tok::FlagsBegin); }
  void end_flags() { push(Tok::FlagsEnd); }
  void begin_struct() { push(Tok::StructBegin); }
  void end_struct(bool abbrev = false) { push(Tok::StructEnd, {}, 0, abbrev ? kAbbrev : 0); }
  void field(std::string_view n) { push(Tok::Field, n); }
  void begin_array() { push(Tok::ArrayBegin); }
  void end_array(bool truncated = false) { push(Tok::ArrayEnd, {}, 0, truncated ? kTruncated : 0); }
  void begin_set(bool negated = false) { push(Tok::SetBegin, {}, 0, negated ? kNegated : 0); }
  void end_set() { push(Tok::SetEnd); }
  void begin_names_set() { push(Tok::SetBegin, {}, 0, kXlatAlt); }
  void begin_numbers_array() { push(Tok::ArrayBegin, {}, 0, kXlatAlt); }
  void raw(std::string_view text) { push(Tok::Raw, text); }
  void raw_number(std::string_view text, std::int64_t v) {
    push(Tok::Raw, text, static_cast<std::uint64_t>(v), kNumeric);
  }
  // A value strace spells by -X style: `raw` under -X raw, `abbrev` by default, and
  // "raw /* abbrev */" under -X verbose (inet_addr("1.2.3.4") is "\x01\x02\x03\x04" raw).
  void styled(std::string_view raw, std::string_view abbrev) { styled(raw, abbrev, {}); }
  // The same with a -X verbose form of its own (not "raw /* abbrev */"): [0 /* NAME */]=1.
  void styled(std::string_view raw, std::string_view abbrev, std::string_view verbose);
  std::string_view styled_verbose(const Token& t) const;
  // The abbrev form of a styled token (the whole text of any other).
  std::string_view styled_abbrev(const Token& t) const;
  std::string_view styled_raw(const Token& t) const;
  void comment(std::string_view text) { push(Tok::Comment, text); }
  // A note that interprets a number (`/* RLIMIT_??? */`, `/* 0.32 s */`): -X raw drops it, as
  // strace's raw style prints numbers only.
  void xlat_note(std::string_view text) { push(Tok::Comment, text, 0, kXlatNote); }
  // Raw text that names a value shown elsewhere: -X raw leaves it out.
  void raw_note(std::string_view text) { push(Tok::Raw, text, 0, kXlatNote); }
  void const_expr(std::string_view text, std::uint64_t v) {
    push(Tok::Raw, text, v, kNumeric | kConstExpr);
  }
  void fd(std::int64_t fd, std::string_view path = {}) {
    push(Tok::Fd, path, static_cast<std::uint64_t>(fd));
  }
  void pid_comm(std::int64_t pid, std::string_view comm) {
    push(Tok::Fd, comm, static_cast<std::uint64_t>(pid), kNumeric);
  }

 private:
  void push(Tok kind, std::string_view text = {}, std::uint64_t value = 0, std::uint16_t flags = 0);

  std::vector<Token> toks_;
  std::string pool_;
};

}  // namespace ptk::sys
