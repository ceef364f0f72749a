// The byte transforms of rule actions: set, reverse, s/re/repl/[g], replace("a","b").
#include <fmt/format.h>

#include "rules_text.h"

namespace ptk::tamper::rules {
namespace {

// Appends the replacement template of s/re/repl/ for one match: '&' or \0 is the whole
// match, \1..\9 a group, \n \t \\ \& the usual escapes; any other \c is c.
void expand(std::string& out, std::string_view tmpl, std::string_view in, const Regex::Match& m) {
  auto group = [&](int g) {
    if (m.begin[g] != std::string::npos) out.append(in.substr(m.begin[g], m.end[g] - m.begin[g]));
  };
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '&') {
      group(0);
      continue;
    }
    if (c != '\\' || i + 1 == tmpl.size()) {
      out += c;
      continue;
    }
    char e = tmpl[++i];
    if (e >= '0' && e <= '9') {
      group(e - '0');
    } else if (e == 'n') {
      out += '\n';
    } else if (e == 't') {
      out += '\t';
    } else {
      out += e;
    }
  }
}

std::optional<std::string> substitute(const Transform& t, std::string_view in,
                                      std::size_t max_out) {
  std::string out;
  std::size_t pos = 0;
  std::size_t last_end = std::string::npos;
  while (pos <= in.size()) {
    auto m = t.regex->find(in, pos);
    if (!m) break;
    std::size_t b = m->begin[0], e = m->end[0];
    if (b == e && b == last_end) {
      // An empty match right where the previous match ended is not a new match (as sed:
      // s/b*/-/g turns "abc" into "-a-c-"): copy one byte and look again after it.
      if (b < in.size()) out.append(in.substr(pos, b - pos + 1));
      pos = b + 1;
      continue;
    }
    out.append(in.substr(pos, b - pos));
    expand(out, t.text, in, *m);
    last_end = e;
    if (b == e) {
      // An empty match: copy one byte and go on after it, or it would match there forever.
      if (b < in.size()) out += in[b];
      pos = b + 1;
    } else {
      pos = e;
    }
    if (out.size() > max_out) return std::nullopt;
    if (!t.global) break;
  }
  if (pos < in.size()) out.append(in.substr(pos));
  if (out.size() > max_out) return std::nullopt;
  return out;
}

std::optional<std::string> replace_all(const Transform& t, std::string_view in,
                                       std::size_t max_out) {
  std::string out;
  std::size_t pos = 0;
  // The parser refuses an empty `from`: find() would match at every position.
  for (std::size_t at; (at = in.find(t.text, pos)) != std::string_view::npos;) {
    out.append(in.substr(pos, at - pos));
    out.append(t.to);
    pos = at + t.text.size();
    if (out.size() > max_out) return std::nullopt;
  }
  out.append(in.substr(pos));
  if (out.size() > max_out) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> Transform::apply(std::string_view in, std::size_t max_out) const {
  switch (kind) {
    case Kind::Set:
      if (text.size() > max_out) return std::nullopt;
      return text;
    case Kind::Reverse:
      if (in.size() > max_out) return std::nullopt;
      return std::string(in.rbegin(), in.rend());
    case Kind::Substitute:
      return substitute(*this, in, max_out);
    case Kind::Replace:
      return replace_all(*this, in, max_out);
  }
  return std::nullopt;
}

std::string Transform::describe() const {
  switch (kind) {
    case Kind::Set:
      return quote(text);
    case Kind::Reverse:
      return "reverse";
    case Kind::Substitute: {
      auto slash = [](std::string_view s) {
        std::string o;
        for (char c : s) {
          if (c == '/') o += '\\';
          o += c;
        }
        return o;
      };
      return fmt::format("s/{}/{}/{}", slash(regex->source()), slash(text), global ? "g" : "");
    }
    case Kind::Replace:
      return fmt::format("replace({}, {})", quote(text), quote(to));
  }
  return {};
}

}  // namespace ptk::tamper::rules
