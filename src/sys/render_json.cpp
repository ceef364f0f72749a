// JSON Lines rendering of the decoded model; the schema is documented in docs/json-schema.md.
#include <fmt/format.h>

#include <set>
#include <string_view>

#include "ptk/sys/escape.h"
#include "ptk/sys/fd_details.h"
#include "ptk/sys/render.h"

namespace ptk::sys {
namespace {

// JSON numbers are read as doubles by many consumers (jq 1.6 among them): integers beyond
// 2^53 would silently lose precision, so those are written as hex strings.
void append_u64(std::string& out, std::uint64_t v) {
  if (v <= (1ull << 53)) {
    fmt::format_to(std::back_inserter(out), "{}", v);
  } else {
    fmt::format_to(std::back_inserter(out), "\"{:#x}\"", v);
  }
}

void append_i64(std::string& out, std::int64_t v) {
  if (v >= -(1ll << 53) && v <= (1ll << 53)) {
    fmt::format_to(std::back_inserter(out), "{}", v);
  } else {
    fmt::format_to(std::back_inserter(out), "\"{:#x}\"", static_cast<std::uint64_t>(v));
  }
}

class JsonWriter {
 public:
  JsonWriter(const TokenList& list, std::string& out) : list_(list), out_(out) {}

  // Writes the value starting at token i; returns the index after it.
  std::size_t value(std::size_t i) {
    std::size_t next = value_only(i);
    // A comment belongs to the value before it: {"value": ..., "comment": "..."}.
    if (next < list_.size() && list_[next].kind == Tok::Comment) {
      std::string inner = out_.substr(mark_);
      out_.resize(mark_);
      out_ += "{\"value\":";
      out_ += inner;
      out_ += ",\"comment\":";
      append_json_string(out_, list_.text(list_[next]));
      out_ += '}';
      ++next;
    }
    return next;
  }

 private:
  std::size_t value_only(std::size_t i) {
    mark_ = out_.size();
    const Token& t = list_[i];
    switch (t.kind) {
      case Tok::Int:
        append_i64(out_, static_cast<std::int64_t>(t.value));
        return i + 1;
      case Tok::Uint:
      case Tok::Hex:
      case Tok::Oct:
        append_u64(out_, t.value);
        return i + 1;
      case Tok::Ptr:
        if (t.value == 0) {
          out_ += "null";
        } else {
          fmt::format_to(std::back_inserter(out_), "\"{:#x}\"", t.value);
        }
        return i + 1;
      case Tok::Str:
        out_ += "{\"str\":";
        append_json_string(out_, list_.text(t));
        fmt::format_to(std::back_inserter(out_), ",\"len\":{}", t.len);
        if (t.flags & kTruncated) out_ += ",\"truncated\":true";
        out_ += '}';
        return i + 1;
      case Tok::Name: {
        out_ += "{\"sym\":";
        std::string_view sym = list_.text(t);
        if (t.flags & kXlatAlt) sym = sym.substr(0, sym.find('\0'));  // its abbrev spelling
        append_json_string(out_, sym);
        out_ += ",\"value\":";
        append_i64(out_, static_cast<std::int64_t>(t.value));
        out_ += '}';
        return i + 1;
      }
      case Tok::Raw:
        if (t.flags & kNumeric) {
          append_i64(out_, static_cast<std::int64_t>(t.value));
        } else {
          append_json_string(out_, list_.styled_abbrev(t));
        }
        return i + 1;
      case Tok::Fd:
        if (t.len == 0) {
          append_i64(out_, static_cast<std::int64_t>(t.value));
        } else if (t.flags & kNumeric) {  // a pid with its command name (-Y)
          out_ += "{\"pid\":";
          append_i64(out_, static_cast<std::int64_t>(t.value));
          out_ += ",\"comm\":";
          append_json_string(out_, list_.text(t));
          out_ += '}';
        } else if (static_cast<std::int64_t>(t.value) == kAtFdcwd) {
          out_ += "{\"sym\":\"AT_FDCWD\",\"value\":-100,\"path\":";
          append_json_string(out_, list_.text(t));
          out_ += '}';
        } else {
          out_ += "{\"fd\":";
          append_i64(out_, static_cast<std::int64_t>(t.value));
          // The whole text strace prints between the brackets: with -yy "TCP:[...]" or
          // "/dev/null<char 1:3>".
          FdText text = split_fd_text(list_.text(t));
          out_ += ",\"path\":";
          append_json_string(out_, std::string(text.path) + std::string(text.made));
          out_ += '}';
        }
        return i + 1;
      case Tok::FlagsBegin:
        return flags(i);
      case Tok::StructBegin:
        return structure(i);
      case Tok::ArrayBegin:
        return array(i, Tok::ArrayEnd);
      case Tok::SetBegin: {
        bool negated = t.flags & kNegated;
        out_ += "{\"set\":";
        std::size_t next = array(i, Tok::SetEnd);
        if (negated) out_ += ",\"negated\":true";
        out_ += '}';
        return next;
      }
      default:
        out_ += "null";  // a stray end or field token: keep the line valid
        return i + 1;
    }
  }

  std::size_t flags(std::size_t i) {
    out_ += '[';
    bool first = true;
    for (++i; i < list_.size() && list_[i].kind != Tok::FlagsEnd; ++i) {
      if (!first) out_ += ',';
      first = false;
      const Token& t = list_[i];
      if (t.kind == Tok::Name) {
        append_json_string(out_, list_.text(t));
      } else if (t.kind == Tok::Oct) {
        fmt::format_to(std::back_inserter(out_), "\"0{:o}\"", t.value);  // S_IFREG|0644
      } else {
        fmt::format_to(std::back_inserter(out_), "\"{:#x}\"", t.value);
      }
    }
    out_ += ']';
    return i + 1;
  }

  std::size_t structure(std::size_t i) {
    out_ += '{';
    bool first = true;
    ++i;
    while (i < list_.size() && list_[i].kind != Tok::StructEnd) {
      if (!first) out_ += ',';
      first = false;
      if (list_[i].kind == Tok::Field) {
        append_json_string(out_, list_.text(list_[i]));
        ++i;
      } else {
        out_ += "\"_\"";
      }
      out_ += ':';
      if (i >= list_.size() || list_[i].kind == Tok::StructEnd) {
        out_ += "null";
        break;
      }
      i = value(i);
    }
    if (i < list_.size() && (list_[i].flags & kAbbrev))
      out_ += first ? "\"...\":true" : ",\"...\":true";
    out_ += '}';
    return i + 1;
  }

  std::size_t array(std::size_t i, Tok end) {
    out_ += '[';
    bool first = true;
    ++i;
    while (i < list_.size() && list_[i].kind != end) {
      if (!first) out_ += ',';
      first = false;
      i = value(i);
    }
    if (i < list_.size() && (list_[i].flags & kTruncated)) out_ += first ? "\"...\"" : ",\"...\"";
    out_ += ']';
    return i + 1;
  }

  const TokenList& list_;
  std::string& out_;
  std::size_t mark_ = 0;
};

}  // namespace

void render_json_value(const TokenList& list, std::string& out) {
  if (list.empty()) {
    out += "null";
    return;
  }
  JsonWriter w(list, out);
  w.value(0);
}

void render_json_args(const TokenList& list, std::string& out) {
  JsonWriter w(list, out);
  out += '{';
  std::set<std::string_view> used;
  int index = 0;
  std::size_t i = 0;
  bool first = true;
  while (i < list.size()) {
    if (list[i].kind != Tok::Arg) {  // tokens outside an argument: skip defensively
      ++i;
      continue;
    }
    std::string_view name = list.text(list[i]);
    std::string key =
        !name.empty() && used.insert(name).second ? std::string(name) : fmt::format("arg{}", index);
    ++index;
    ++i;
    if (!first) out += ',';
    first = false;
    append_json_string(out, key);
    out += ':';
    // A top-level "name=value" (clone's style) is still one value.
    if (i < list.size() && list[i].kind == Tok::Field) ++i;
    if (i >= list.size() || list[i].kind == Tok::Arg) {
      out += "null";
      continue;
    }
    i = w.value(i);
    // Extra values of one argument (rare custom layouts) are dropped from JSON, not the line.
    while (i < list.size() && list[i].kind != Tok::Arg) ++i;
  }
  out += '}';
}

namespace {

void render_json_call(const DecodedSyscall& sc, std::string_view type, std::string& out) {
  fmt::format_to(std::back_inserter(out), "{{\"type\":\"{}\",\"pid\":{},\"tid\":{},\"abi\":\"{}\",",
                 type, sc.pid, sc.tid, to_string(sc.arch));
  out += "\"name\":";
  append_json_string(out, sc.name());
  fmt::format_to(std::back_inserter(out), ",\"nr\":{},\"args\":", sc.nr);
  render_json_args(sc.args, out);
}

void append_json_time(std::string& out, std::int64_t ns) {
  fmt::format_to(std::back_inserter(out), ",\"ts\":{}.{:06}", ns / 1000000000,
                 (ns / 1000) % 1000000);
}

}  // namespace

void render_json_entry(const DecodedSyscall& sc, std::string& out) {
  render_json_call(sc, "entry", out);
  append_json_time(out, sc.entry_ns);
  out += '}';
}

void render_json(const DecodedSyscall& sc, std::string& out) {
  render_json_call(sc, "syscall", out);
  if (!sc.exited) {
    out += ",\"ret\":null";
  } else if (sc.is_error) {
    int err = static_cast<int>(-sc.ret);
    fmt::format_to(std::back_inserter(out), ",\"ret\":-1,\"errno\":");
    append_json_string(out, errno_name(err));
    fmt::format_to(std::back_inserter(out), ",\"errno_nr\":{}", err);
  } else {
    out += ",\"ret\":";
    append_i64(out, sc.ret);
  }
  if (!sc.ret_aux.empty()) {
    out += ",\"ret_info\":";
    std::string text;
    render_tokens(sc.ret_aux, 0, sc.ret_aux.size(), TextOptions{}, text);
    append_json_string(out, text);
  }
  if (!sc.note.empty()) {
    out += ",\"tamper\":";
    append_json_string(out, sc.note);
  }
  append_json_time(out, sc.entry_ns);
  if (sc.exited && sc.exit_ns >= sc.entry_ns) {
    std::int64_t d = sc.exit_ns - sc.entry_ns;
    fmt::format_to(std::back_inserter(out), ",\"dur\":{}.{:09}", d / 1000000000, d % 1000000000);
  }
  out += '}';
}

}  // namespace ptk::sys
