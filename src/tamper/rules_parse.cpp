// The --rewrite rule grammar (docs/rewrite-rules.md):
//
//   rule    = match [ "if" pred { "and" pred } ] "->" action { "," action }
//   match   = NAME [ "(" [ pred { "," pred } ] ")" ] | "%" CLASS
//   pred    = ARG OP VALUE | "#" N [ "+" ] | "nth" "=" N [ "+" ]
//   OP      = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~" (glob) | "=~" (/regex/)
//   action  = ARG "=" ( STRING | "reverse" | "s/RE/REPL/" ["g"] | "replace(" STR "," STR ")" | N )
//           | "deny=" ERRNO | "skip=" N | "return=" N | "delay=" N ("us"|"ms"|"s")
//           | "signal=" SIG
//
// A recursive-descent parser straight over the text; names are bound to syscall arguments
// afterwards (rules_resolve.cpp), so this file only knows the shape of a rule.
#include <fmt/format.h>

#include <algorithm>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "ptk/sys/filter.h"
#include "ptk/tamper/rules.h"
#include "rules_model.h"
#include "rules_scan.h"

namespace ptk::tamper::rules {
namespace {

constexpr std::size_t kMaxParts = 16;  // predicates, and actions, in one rule
constexpr std::int64_t kMaxDelayUs = 60'000'000;

class Parser {
 public:
  explicit Parser(std::string_view text) : sc_(text) {}
  Result<RuleData> parse();

 private:
  Status match(RuleData& r);
  Status conditions_in_parentheses(RuleData& r);
  Status predicate(RuleData& r);
  Status action(RuleData& r);
  Status arg_action(Action& a, std::string_view name);
  Result<std::int64_t> errno_value();
  Result<std::int64_t> signal_value();
  Result<std::int64_t> duration_us();

  Scanner sc_;
};

Result<RuleData> Parser::parse() {
  RuleData r;
  if (sc_.at_end()) return rule_error("empty rule: expected MATCH -> ACTION");
  PTK_TRY(match(r));
  if (sc_.eat_word("if")) {
    do {
      PTK_TRY(predicate(r));
    } while (sc_.eat_word("and"));
  }
  if (!sc_.eat("->")) {
    return sc_.expected(r.preds.empty() ? "'->' after the match" : "'->' before the actions");
  }
  do {
    PTK_TRY(action(r));
  } while (sc_.eat(","));
  if (!sc_.at_end()) return sc_.expected("',' or the end of the rule after an action");
  return r;
}

Status Parser::match(RuleData& r) {
  std::size_t col = sc_.column();
  if (sc_.eat("%")) {
    bool like = sc_.eat("%");  // strace's %%stat, %%statfs
    std::string_view cls = sc_.word();
    if (cls.empty()) return sc_.expected("a class name after '%'");
    r.match = fmt::format("{}{}", like ? "%%" : "%", cls);
    r.class_bits = syscall_class_from_name(r.match);
    if (r.class_bits == 0) {
      return rule_error(fmt::format("unknown class '{}' at column {}", r.match, col),
                        "classes: %file %desc %network %process %memory %signal %ipc %creds "
                        "%clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure");
    }
    return conditions_in_parentheses(r);
  }
  std::string_view name = sc_.word();
  if (name.empty()) return sc_.expected("a syscall name or %class");
  // A name of any ABI a tracee of this host can be in (x86_64 and i386, or aarch64).
  auto known = [&](Arch a) { return find_syscall(a, name) != nullptr; };
  if (std::none_of(kAllArches.begin(), kAllArches.end(), known)) {
    std::string hint;
    auto near = sys::nearest_syscall_names(name);
    if (!near.empty()) hint = fmt::format("did you mean {}?", fmt::join(near, ", "));
    return rule_error(fmt::format("unknown syscall \"{}\"", name), hint);
  }
  r.match = std::string(name);
  return conditions_in_parentheses(r);
}

Status Parser::conditions_in_parentheses(RuleData& r) {
  if (sc_.eat("(") && !sc_.eat(")")) {
    do {
      PTK_TRY(predicate(r));
    } while (sc_.eat(","));
    if (!sc_.eat(")")) return sc_.expected("',' or ')' after a condition");
  }
  return ok_status();
}

Status Parser::predicate(RuleData& r) {
  std::size_t col = sc_.column();
  if (r.preds.size() >= kMaxParts) {
    return rule_error(fmt::format("more than {} conditions in one rule", kMaxParts));
  }
  bool hash = sc_.eat("#");
  if (hash || sc_.eat_word("nth")) {
    if (!hash && !sc_.eat("=")) return sc_.expected("'=' after nth");
    if (r.nth != 0) return rule_error(fmt::format("a second #N at column {}", col));
    PTK_ASSIGN_OR_RETURN(r.nth, sc_.number("a count (1, 2, ...)"));
    if (r.nth < 1)
      return rule_error(fmt::format("#{} at column {}: counts start at 1", r.nth, col));
    r.nth_on = sc_.eat("+");
    return ok_status();
  }
  Predicate p;
  p.column = col;
  p.arg = std::string(sc_.word());
  if (p.arg.empty()) return sc_.expected("a condition (ARG OP VALUE, or #N)");
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"=~", Op::Regex}, {"!=", Op::Ne}, {"<=", Op::Le}, {">=", Op::Ge},
      {"=", Op::Eq},     {"<", Op::Lt},  {">", Op::Gt},  {"~", Op::Glob}};
  auto op = std::find_if(std::begin(kOps), std::end(kOps),
                         [&](const auto& o) { return sc_.eat(o.first); });
  if (op == std::end(kOps)) {
    return sc_.expected(fmt::format("a comparison (= != < <= > >= ~ =~) after \"{}\"", p.arg));
  }
  p.op = op->second;
  if (p.op == Op::Regex) {
    if (!sc_.eat("/")) return sc_.expected("a /regex/ after '=~'");
    PTK_ASSIGN_OR_RETURN(p.value.text, sc_.delimited("regex"));
    PTK_ASSIGN_OR_RETURN(p.value.regex, Regex::compile(p.value.text));
    p.value.kind = Value::Kind::Regex;
  } else if (p.op == Op::Glob) {
    PTK_ASSIGN_OR_RETURN(p.value.text, sc_.string("a \"glob\" after '~'"));
    PTK_TRY(check_glob(p.value.text));
    p.value.kind = Value::Kind::String;
  } else if ((p.op == Op::Eq || p.op == Op::Ne) && sc_.peek("\"")) {
    PTK_ASSIGN_OR_RETURN(p.value.text, sc_.string("a string"));
    p.value.kind = Value::Kind::String;
  } else {
    PTK_ASSIGN_OR_RETURN(
        p.value.number,
        sc_.number(fmt::format("a number{} after \"{}{}\"",
                               p.op == Op::Eq || p.op == Op::Ne ? " or a \"string\"" : "", p.arg,
                               op_text(p.op))));
  }
  r.preds.push_back(std::move(p));
  return ok_status();
}

Status Parser::action(RuleData& r) {
  Action a;
  a.column = sc_.column();
  if (r.actions.size() >= kMaxParts) {
    return rule_error(fmt::format("more than {} actions in one rule", kMaxParts));
  }
  std::string_view name = sc_.word();
  if (name.empty()) {
    return sc_.expected("an action (ARG=VALUE, deny=, skip=, return=, delay=, signal=)");
  }
  if (!sc_.eat("=")) return sc_.expected(fmt::format("'=' after \"{}\"", name));
  if (name == "deny") {
    a.kind = ActionKind::Deny;
    PTK_ASSIGN_OR_RETURN(a.number, errno_value());
  } else if (name == "skip" || name == "return") {
    a.kind = name == "skip" ? ActionKind::Skip : ActionKind::Return;
    PTK_ASSIGN_OR_RETURN(a.number, sc_.number(fmt::format("a return value after \"{}=\"", name)));
  } else if (name == "delay") {
    a.kind = ActionKind::Delay;
    PTK_ASSIGN_OR_RETURN(a.number, duration_us());
  } else if (name == "signal") {
    a.kind = ActionKind::Signal;
    PTK_ASSIGN_OR_RETURN(a.number, signal_value());
  } else {
    PTK_TRY(arg_action(a, name));
  }
  // Conflicts that the names alone show; those between resolved arguments are the resolver's.
  for (const Action& b : r.actions) {
    bool both_arg = !a.arg.empty() && a.arg == b.arg;
    bool same_kind = a.arg.empty() && a.kind == b.kind;
    if (both_arg || same_kind) {
      return rule_error(
          fmt::format("\"{}\" at column {} is set twice in one rule", name, a.column));
    }
    auto decides = [](ActionKind k) {
      return k == ActionKind::Deny || k == ActionKind::Skip || k == ActionKind::Return;
    };
    if (decides(a.kind) && decides(b.kind)) {
      return rule_error(
          fmt::format("\"{}\" at column {}: the rule already sets the result", name, a.column));
    }
    bool a_skips = a.kind == ActionKind::Deny || a.kind == ActionKind::Skip;
    bool b_skips = b.kind == ActionKind::Deny || b.kind == ActionKind::Skip;
    if ((a_skips && !b.arg.empty()) || (b_skips && !a.arg.empty())) {
      return rule_error(fmt::format(
          "\"{}\" at column {}: {} skips the call, so changing \"{}\" would have no effect", name,
          a.column, a_skips ? name : "the rule", a_skips ? b.arg : a.arg));
    }
  }
  r.actions.push_back(std::move(a));
  return ok_status();
}

Status Parser::arg_action(Action& a, std::string_view name) {
  a.arg = std::string(name);
  Transform& t = a.transform;
  a.kind = ActionKind::Transform;
  if (sc_.peek("\"")) {
    t.kind = Transform::Kind::Set;
    PTK_ASSIGN_OR_RETURN(t.text, sc_.string("a string"));
    return ok_status();
  }
  if (sc_.eat_word("reverse")) {
    t.kind = Transform::Kind::Reverse;
    return ok_status();
  }
  if (sc_.eat("s/")) {
    t.kind = Transform::Kind::Substitute;
    PTK_ASSIGN_OR_RETURN(std::string re, sc_.delimited("regex of s/RE/REPL/"));
    PTK_ASSIGN_OR_RETURN(t.text, sc_.delimited("replacement of s/RE/REPL/"));
    PTK_ASSIGN_OR_RETURN(t.regex, Regex::compile(re));
    t.global = sc_.eat_word("g");
    for (std::size_t i = 0; i + 1 < t.text.size(); ++i) {
      if (t.text[i] != '\\') continue;
      char d = t.text[++i];
      if (d >= '1' && d <= '9' && static_cast<std::size_t>(d - '0') > t.regex->groups()) {
        return rule_error(
            fmt::format("s/{}/{}/: \\{} names a group the regex does not have", re, t.text, d));
      }
    }
    return ok_status();
  }
  if (sc_.eat_word("replace")) {
    t.kind = Transform::Kind::Replace;
    if (!sc_.eat("(")) return sc_.expected("'(' after replace");
    std::size_t col = sc_.column();
    PTK_ASSIGN_OR_RETURN(t.text, sc_.string("the \"text\" to replace"));
    if (t.text.empty()) {
      return rule_error(
          fmt::format("replace(\"\", ...) at column {}: the text to replace is empty", col));
    }
    if (!sc_.eat(",")) return sc_.expected("',' between the two strings of replace");
    PTK_ASSIGN_OR_RETURN(t.to, sc_.string("the replacement \"text\""));
    if (!sc_.eat(")")) return sc_.expected("')' after replace(\"a\", \"b\"");
    return ok_status();
  }
  a.kind = ActionKind::SetNumber;
  PTK_ASSIGN_OR_RETURN(
      a.number, sc_.number(fmt::format("a value for \"{}\" (\"string\", reverse, s/RE/REPL/, "
                                       "replace(\"a\",\"b\") or a number)",
                                       name)));
  return ok_status();
}

Result<std::int64_t> Parser::errno_value() {
  std::size_t at = sc_.pos();
  std::string_view w = sc_.chunk();
  if (!w.empty() && w[0] >= '0' && w[0] <= '9') {
    sc_.rewind(at);
    PTK_ASSIGN_OR_RETURN(std::int64_t n, sc_.number("an errno"));
    if (n < 1 || n > 4095) return rule_error(fmt::format("deny={}: errno is 1..4095", n));
    return n;
  }
  for (int e = 1; e < 4096 && !w.empty(); ++e) {
    if (sys::errno_name(e) == w) return e;
  }
  sc_.rewind(at);
  if (w.empty()) return sc_.expected("an errno name (EPERM, ENOENT...) after \"deny=\"");
  return rule_error(fmt::format("deny={}: unknown errno \"{}\"", w, w),
                    "errnos are named as in errno(3): EPERM, ENOENT, EACCES...");
}

Result<std::int64_t> Parser::signal_value() {
  std::size_t at = sc_.pos();
  std::string_view w = sc_.chunk();
  if (!w.empty() && w[0] >= '0' && w[0] <= '9') {
    sc_.rewind(at);
    PTK_ASSIGN_OR_RETURN(std::int64_t n, sc_.number("a signal"));
    if (n < 1 || n > 64) return rule_error(fmt::format("signal={}: signals are 1..64", n));
    return n;
  }
  for (int s = 1; s <= 64 && !w.empty(); ++s) {
    std::string n = signal_name(s);
    if (n == w || std::string_view(n).substr(3) == w) return s;
  }
  sc_.rewind(at);
  if (w.empty()) return sc_.expected("a signal name (SIGUSR1...) after \"signal=\"");
  return rule_error(fmt::format("signal={}: unknown signal \"{}\"", w, w),
                    "signals are named as in signal(7): SIGUSR1, SIGTERM, SIGRT_1...");
}

Result<std::int64_t> Parser::duration_us() {
  std::size_t at = sc_.pos();
  std::string_view w = sc_.chunk();
  std::size_t digits = 0;
  std::int64_t n = 0;
  while (digits < w.size() && w[digits] >= '0' && w[digits] <= '9' && n <= kMaxDelayUs) {
    n = n * 10 + (w[digits++] - '0');
  }
  std::string_view unit = w.substr(digits);
  std::int64_t scale = unit == "us" ? 1 : unit == "ms" ? 1000 : unit == "s" ? 1'000'000 : 0;
  if (digits == 0 || scale == 0) {
    sc_.rewind(at);
    return sc_.expected("a duration with its unit (500us, 10ms, 2s) after \"delay=\"");
  }
  if (n > kMaxDelayUs / scale) {
    return rule_error(fmt::format("delay={}: longer than the 60 s bound", w));
  }
  return n * scale;
}

}  // namespace

std::string_view op_text(Op op) {
  static constexpr std::string_view kText[] = {"=", "!=", "<", "<=", ">", ">=", "~", "=~"};
  return kText[static_cast<int>(op)];
}

Error rule_error(std::string message, std::string hint) {
  return Error(ErrorKind::InvalidArgument, std::move(message), 0, std::move(hint));
}

}  // namespace ptk::tamper::rules

namespace ptk::tamper {

Result<Rule> parse_rule(std::string_view text) {
  if (text.size() > kMaxRuleLength) {
    return rules::rule_error(fmt::format("the rule is longer than {} bytes", kMaxRuleLength));
  }
  PTK_ASSIGN_OR_RETURN(rules::RuleData data, rules::Parser(text).parse());
  data.text = std::string(text);
  PTK_TRY(rules::resolve(data));
  return Rule(std::make_shared<const rules::RuleData>(std::move(data)));
}

}  // namespace ptk::tamper
