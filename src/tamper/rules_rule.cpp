// Rule: the public face of a parsed rule, and its one normalized spelling.
#include <fmt/format.h>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "ptk/tamper/rules.h"
#include "rules_model.h"

namespace ptk::tamper {
namespace {

std::string predicate_text(const rules::Predicate& p) {
  using rules::Value;
  std::string v;
  switch (p.value.kind) {
    case Value::Kind::Number:
      v = fmt::format("{}", p.value.number);
      break;
    case Value::Kind::String:
      v = rules::quote(p.value.text);
      break;
    case Value::Kind::Regex:
      v = "/";
      for (char c : p.value.text) v += c == '/' ? std::string("\\/") : std::string(1, c);
      v += "/";
      break;
  }
  return fmt::format("{}{}{}", p.arg, rules::op_text(p.op), v);
}

std::string action_text(const rules::Action& a) {
  using rules::ActionKind;
  switch (a.kind) {
    case ActionKind::Transform:
      return fmt::format("{}={}", a.arg, a.transform.describe());
    case ActionKind::SetNumber:
      return fmt::format("{}={}", a.arg, a.number);
    case ActionKind::Deny:
      return fmt::format("deny={}", sys::errno_name(static_cast<int>(a.number)));
    case ActionKind::Skip:
      return fmt::format("skip={}", a.number);
    case ActionKind::Return:
      return fmt::format("return={}", a.number);
    case ActionKind::Delay:
      return fmt::format("delay={}us", a.number);
    case ActionKind::Signal:
      return fmt::format("signal={}", signal_name(static_cast<int>(a.number)));
  }
  return {};
}

}  // namespace

const std::string& Rule::text() const { return data_->text; }

std::string Rule::canonical() const {
  const rules::RuleData& r = *data_;
  std::vector<std::string> preds;
  for (const auto& p : r.preds) preds.push_back(predicate_text(p));
  if (r.nth != 0) preds.push_back(fmt::format("#{}{}", r.nth, r.nth_on ? "+" : ""));
  std::vector<std::string> actions;
  for (const auto& a : r.actions) actions.push_back(action_text(a));
  return fmt::format("{}{}{} -> {}", r.match, preds.empty() ? "" : " if ",
                     fmt::join(preds, " and "), fmt::join(actions, ", "));
}

bool Rule::covers(Arch arch, const SyscallSpec* spec) const {
  return data_->binding(arch, spec) != nullptr;
}

}  // namespace ptk::tamper
