// strace-compatible text: the same separators, quoting, abbreviations and return values.
#include <fmt/format.h>

#include <vector>

#include "ptk/sys/escape.h"
#include "ptk/sys/fd_details.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

void append_hex(std::string& out, std::uint64_t v) {
  if (v == 0) {
    out += '0';
    return;
  }
  fmt::format_to(std::back_inserter(out), "{:#x}", v);
}

// strace prints modes as "%#03o": 0 as 000, 022 as 022, 0644 as 0644.
void append_oct(std::string& out, std::uint64_t v) {
  if (v == 0) {
    out += "000";
    return;
  }
  std::string digits = fmt::format("0{:o}", v);
  if (digits.size() < 3) out.append(3 - digits.size(), '0');
  out += digits;
}

// "<path>" after a descriptor (-y). readlink says "/path (deleted)" for an unlinked file;
// strace: </path>(deleted). The path is the tracee's choice: escaped as strace does. What
// -yy adds (split_fd_text's `made`: "TCP:[...]", "<char 1:3>") was escaped when it was made.
void append_fd_suffix(std::string& out, std::string_view text, int xlevel) {
  auto [path, made] = split_fd_text(text);
  constexpr std::string_view kDeleted = " (deleted)";
  // A separator with nothing after it: a file really named "... (deleted)" (fd_link()).
  bool deleted = text.find(kFdTextSep) == std::string_view::npos && path.ends_with(kDeleted);
  if (deleted) path.remove_suffix(kDeleted.size());
  out += '<';
  append_fd_path(out, path, xlevel);
  out += made;
  out += '>';
  if (deleted) out += "(deleted)";
}

// A constant as -X raw prints it: small values in decimal (signed: AT_FDCWD is -100), large
// ones (ioctl requests, masks) in hex.
void append_const_number(std::string& out, std::uint64_t v) {
  auto s = static_cast<std::int64_t>(v);
  if (s < 0 && s > -4096) {
    fmt::format_to(std::back_inserter(out), "{}", s);
  } else if (v <= 0xffff) {
    fmt::format_to(std::back_inserter(out), "{}", v);
  } else {
    append_hex(out, v);
  }
}

// The index of the token closing the container that starts at `begin` (or `to` - 1).
std::size_t matching_end(const TokenList& list, std::size_t begin, std::size_t to) {
  int depth = 0;
  for (std::size_t i = begin; i < to; ++i) {
    switch (list[i].kind) {
      case Tok::ArrayBegin:
      case Tok::SetBegin:
      case Tok::StructBegin:
      case Tok::FlagsBegin:
        ++depth;
        break;
      case Tok::ArrayEnd:
      case Tok::SetEnd:
      case Tok::StructEnd:
      case Tok::FlagsEnd:
        if (--depth == 0) return i;
        break;
      default:
        break;
    }
  }
  return to - 1;
}

struct Frame {
  Tok kind;  // the Begin token of the container, or Arg for the top level
  bool first = true;
};

}  // namespace

void render_tokens(const TokenList& list, std::size_t from, std::size_t to, const TextOptions& opts,
                   std::string& out) {
  std::vector<Frame> stack;
  stack.reserve(8);
  stack.push_back({Tok::Arg, true});
  bool after_field = false;  // a value right after "name=" takes no separator
  auto separate = [&]() {
    if (after_field) {
      after_field = false;
      return;
    }
    Frame& f = stack.back();
    if (!f.first) {
      switch (f.kind) {
        case Tok::FlagsBegin:
          out += '|';
          break;
        case Tok::SetBegin:
          out += ' ';
          break;
        case Tok::Arg:
          break;  // top-level separators come with the Arg tokens
        default:
          out += ", ";
          break;
      }
    }
    f.first = false;
  };
  for (std::size_t i = from; i < to; ++i) {
    const Token& t = list[i];
    switch (t.kind) {
      case Tok::Arg:
        if (!stack.front().first) out += ", ";
        stack.front().first = false;
        if (opts.arg_names && t.len != 0) {
          out += list.text(t);
          out += '=';
        }
        after_field = true;  // the argument's value follows without another separator
        break;
      case Tok::Field:
        after_field = false;
        separate();
        out += list.text(t);
        out += '=';
        after_field = true;
        break;
      case Tok::Int:
        separate();
        fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(t.value));
        break;
      case Tok::Uint:
        separate();
        fmt::format_to(std::back_inserter(out), "{}", t.value);
        break;
      case Tok::Hex:
        separate();
        append_hex(out, t.value);
        break;
      case Tok::Oct:
        separate();
        append_oct(out, t.value);
        break;
      case Tok::Ptr:
        separate();
        if (t.value == 0) {
          out += "NULL";
        } else {
          append_hex(out, t.value);
        }
        break;
      case Tok::Str:
        separate();
        append_quoted(out, list.text(t), opts.xlevel, (t.flags & kTruncated) != 0);
        break;
      case Tok::Name: {
        separate();
        std::string_view text = list.text(t);
        std::string_view verbose_text = text;
        if (t.flags & kXlatAlt) {  // "abbrev\0verbose"
          std::size_t cut = text.find('\0');
          if (cut != std::string_view::npos) {
            verbose_text = text.substr(cut + 1);
            text = text.substr(0, cut);
          }
        }
        if (opts.const_names == ConstNames::Abbrev || stack.back().kind == Tok::FlagsBegin) {
          out += text;
        } else {
          if (t.flags & kHexValue) {
            append_hex(out, t.value);
          } else {
            append_const_number(out, t.value);
          }
          if (opts.const_names == ConstNames::Verbose)
            fmt::format_to(std::back_inserter(out), " /* {} */", verbose_text);
        }
        break;
      }
      case Tok::Raw:
        if ((t.flags & kXlatNote) && opts.const_names == ConstNames::Raw) break;
        separate();
        if ((t.flags & kConstExpr) && opts.const_names != ConstNames::Abbrev &&
            stack.back().kind != Tok::FlagsBegin) {
          fmt::format_to(std::back_inserter(out), "{}", t.value);
          if (opts.const_names == ConstNames::Verbose)
            fmt::format_to(std::back_inserter(out), " /* {} */", list.text(t));
          break;
        }
        if ((t.flags & kStyled) == 0) {
          out += list.text(t);
        } else if (opts.const_names == ConstNames::Abbrev) {
          out += list.styled_abbrev(t);
        } else if (opts.const_names == ConstNames::Verbose && !list.styled_verbose(t).empty()) {
          out += list.styled_verbose(t);
        } else {
          out += list.styled_raw(t);
          if (opts.const_names == ConstNames::Verbose)
            fmt::format_to(std::back_inserter(out), " /* {} */", list.styled_abbrev(t));
        }
        break;
      case Tok::Fd:
        separate();
        if (t.flags & kNumeric) {  // a pid with its command name (-Y): 1234<sh>
          fmt::format_to(std::back_inserter(out), "{}<", static_cast<std::int64_t>(t.value));
          append_fd_path(out, list.text(t), opts.xlevel);
          out += '>';
          break;
        }
        if (static_cast<std::int64_t>(t.value) == kAtFdcwd &&
            opts.const_names != ConstNames::Abbrev) {
          out += "-100";
          if (opts.const_names == ConstNames::Verbose) out += " /* AT_FDCWD */";
        } else if (static_cast<std::int64_t>(t.value) == kAtFdcwd) {
          out += "AT_FDCWD";  // with -y: AT_FDCWD</cwd>, as strace
        } else {
          fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(t.value));
        }
        if (t.len != 0) append_fd_suffix(out, list.text(t), opts.xlevel);
        break;
      case Tok::Comment:
        if ((t.flags & kXlatNote) && opts.const_names == ConstNames::Raw) break;
        out += " /* ";
        out += list.text(t);
        out += " */";
        break;
      case Tok::FlagsBegin:
        separate();
        if (opts.const_names != ConstNames::Abbrev) {
          // -X raw/verbose: the flags as one number (strace: 0x80000 /* O_RDONLY|O_CLOEXEC */).
          std::size_t end = i + 1;
          std::uint64_t bits = 0;
          bool named = false;
          for (; end < to && list[end].kind != Tok::FlagsEnd; ++end) {
            bits |= list[end].value;
            named = named || list[end].kind == Tok::Name || list[end].kind == Tok::Raw;
          }
          if (!named) {
            // Nothing to name: the number (and its "X_???" note) as the group holds it.
            stack.push_back({t.kind});
            break;
          }
          append_hex(out, bits);
          // Without a known bit there is nothing to explain (strace: 0x8 /* FOO_??? */ at most).
          if (opts.const_names == ConstNames::Verbose && named) {
            TextOptions names = opts;
            names.const_names = ConstNames::Abbrev;
            out += " /* ";
            render_tokens(list, i, std::min(end + 1, to), names, out);
            out += " */";
          }
          i = end;  // the loop steps past FlagsEnd
          break;
        }
        stack.push_back({t.kind});
        break;
      case Tok::StructBegin:
        separate();
        out += '{';
        stack.push_back({t.kind});
        break;
      case Tok::ArrayBegin:
        if (t.flags & kXlatAlt) {
          if (opts.const_names == ConstNames::Abbrev) {
            i = matching_end(list, i, to);
            break;
          }
          if (opts.const_names == ConstNames::Verbose) {
            // The numbers explain the names before them, as a comment.
            TextOptions inner = opts;
            inner.const_names = ConstNames::Raw;
            std::size_t end = matching_end(list, i, to);
            out += " /* ";
            render_tokens(list, i, std::min(end + 1, to), inner, out);
            out += " */";
            i = end;
            break;
          }
        }
        separate();
        out += '[';
        stack.push_back({t.kind});
        break;
      case Tok::SetBegin:
        if ((t.flags & kXlatAlt) && opts.const_names == ConstNames::Raw) {
          i = matching_end(list, i, to);
          break;
        }
        separate();
        out += (t.flags & kNegated) ? "~[" : "[";
        stack.push_back({t.kind});
        break;
      case Tok::FlagsEnd:
        if (stack.back().first) out += '0';
        if (stack.size() > 1) stack.pop_back();
        break;
      case Tok::StructEnd:
      case Tok::ArrayEnd:
        if (t.flags & (kAbbrev | kTruncated)) out += stack.back().first ? "..." : ", ...";
        out += t.kind == Tok::StructEnd ? '}' : ']';
        if (stack.size() > 1) stack.pop_back();
        break;
      case Tok::SetEnd:
        out += ']';
        if (stack.size() > 1) stack.pop_back();
        break;
    }
  }
}

void render_head(const DecodedSyscall& sc, const TextOptions& opts, std::string& out) {
  out += sc.name();
  out += '(';
  render_tokens(sc.args, 0, sc.entry_tokens, opts, out);
}

void render_open_head(const DecodedSyscall& sc, const TextOptions& opts, std::string& out) {
  render_head(sc, opts, out);
  // getcwd's decoder prints all at exit: "getcwd(" is followed by the buffer, no separator.
  if (sc.more_at_exit && sc.entry_tokens > 0) out += ", ";
}

void render_tail_args(const DecodedSyscall& sc, const TextOptions& opts, std::string& out) {
  // Whichever half prints the next argument prints the separator before it: an unfinished head
  // that knew more was coming ended in ", " already; otherwise the resumed part starts with it
  // (strace: "<... clone resumed>, child_tidptr=...").
  if (!sc.more_at_exit && sc.args.size() > sc.entry_tokens && sc.entry_tokens > 0 &&
      sc.args[sc.entry_tokens].kind == Tok::Arg) {
    out += ", ";
  }
  render_tokens(sc.args, sc.entry_tokens, sc.args.size(), opts, out);
}

void render_result(const DecodedSyscall& sc, const TextOptions& opts, std::string& out,
                   std::size_t line_start) {
  out += ") ";
  std::size_t column = out.size() - line_start;
  if (column < opts.acolumn) out.append(opts.acolumn - column, ' ');
  out += "= ";
  if (!sc.exited) {
    out += '?';
  } else if (sc.is_error) {
    int err = static_cast<int>(-sc.ret);
    std::string_view name = errno_name(err);
    // The kernel's restart codes never reach the program: strace shows them with "?".
    out += err >= 512 && err <= 530 ? "? " : "-1 ";
    if (name.empty()) {
      fmt::format_to(std::back_inserter(out), "errno {}", err);
    } else {
      out += name;
    }
    out += " (";
    out += errno_text(err);
    out += ')';
  } else {
    switch (sc.ret_type) {
      case RetType::Hex:
        append_hex(out, static_cast<std::uint64_t>(sc.ret));
        break;
      case RetType::Uint:
        fmt::format_to(std::back_inserter(out), "{}",
                       abi(sc.arch).word_size == 4 ? static_cast<std::uint32_t>(sc.ret)
                                                   : static_cast<std::uint64_t>(sc.ret));
        break;
      case RetType::Mode:
        // umask's old mask as strace's "%#03o": 000, 022, 0755.
        fmt::format_to(std::back_inserter(out), "0{:02o}", static_cast<std::uint64_t>(sc.ret));
        break;
      case RetType::None:
        out += '?';
        break;
      case RetType::Pid:
        // A pid_t is a C int, and strace prints it as one. It matters where the kernel leaves
        // the register as it was: aarch64 skips a SECCOMP_RET_TRAP'd syscall with x0 still
        // holding its first argument (arch/arm64/kernel/syscall.c sets -ENOSYS only for a
        // syscall number of -1), often a pointer, of which only the low half is shown.
        fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int32_t>(sc.ret));
        break;
      default:
        fmt::format_to(std::back_inserter(out), "{}", sc.ret);
        break;
    }
    if (!sc.ret_fd_path.empty()) append_fd_suffix(out, sc.ret_fd_path, opts.xlevel);
    if (!sc.ret_comm.empty()) {
      out += '<';
      append_fd_path(out, sc.ret_comm, opts.xlevel);
      out += '>';
    }
    if (sc.ret_pidns != 0)
      fmt::format_to(std::back_inserter(out), " /* {} in strace's PID NS */", sc.ret_pidns);
  }
  if (!sc.ret_aux.empty()) {
    // Names alone (a raw_note) vanish under -X raw, and their parentheses with them; an
    // empty text on purpose keeps them (select's "= 1 ()" when the sets came back empty).
    std::size_t mark = out.size();
    out += " (";
    std::size_t body = out.size();
    render_tokens(sc.ret_aux, 0, sc.ret_aux.size(), opts, out);
    bool blank = sc.ret_aux.size() == 1 && sc.ret_aux[0].kind == Tok::Raw && sc.ret_aux[0].len == 0;
    if (out.size() == body && !blank) {
      out.resize(mark);
    } else {
      out += ')';
    }
  }
  if (!sc.note.empty()) {
    out += ' ';
    out += sc.note;
  }
}

void render_line(const DecodedSyscall& sc, const TextOptions& opts, std::string& out,
                 std::size_t line_start) {
  // The entry's and the exit's tokens apart, as a line printed at entry and finished at exit
  // renders them: decoders that continue at exit a struct opened at entry spell out the
  // separator they need (", name=..."), which one pass over all the tokens would double.
  render_open_head(sc, opts, out);
  render_tail_args(sc, opts, out);
  render_result(sc, opts, out, line_start);
}

}  // namespace ptk::sys
