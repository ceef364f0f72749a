// RulesHook: which rules apply to a stop (in order, each with its #N count), the marks shown
// after the syscall's line, and the one-line diagnostics.
#include "rules_hook.h"

#include <fmt/format.h>

#include <cstdio>

#include "ptk/sys/escape.h"

namespace ptk::tamper::rules {
namespace {

// "(REWRITTEN: path, flags)" for the arguments rules changed, then the other marks
// ("(INJECTED)", "(DELAYED)") as they came.
void show_marks(SyscallContext& ctx, const std::vector<std::string>& marks) {
  std::vector<std::string_view> args;
  for (const auto& m : marks) {
    if (!m.starts_with('(')) args.push_back(m);
  }
  if (!args.empty()) ctx.mark(fmt::format("(REWRITTEN: {})", fmt::join(args, ", ")));
  for (const auto& m : marks) {
    if (m.starts_with('(')) ctx.mark(m);
  }
}

}  // namespace

bool RulesHook::skipped_call(const Applied& ap) const {
  const RuleData& r = rules_[ap.rule].data();
  for (std::size_t k = 0; k < r.actions.size(); ++k) {
    bool skips = r.actions[k].kind == ActionKind::Deny || r.actions[k].kind == ActionKind::Skip;
    if (skips && ap.actions[k].active) return true;  // active: ctx.skip() took effect at entry
  }
  return false;
}

RulesHook::RulesHook(std::vector<Rule> rules, RulesHookOptions options)
    : rules_(std::move(rules)), options_(std::move(options)), matches_(rules_.size(), 0) {
  if (!options_.warn) {
    options_.warn = [](const std::string& m) {
      std::fprintf(stderr, "ptk: %s\n", sys::printable(m).c_str());
    };
  }
}

bool RulesHook::wants(Arch arch, const SyscallSpec* spec) const {
  for (const Rule& r : rules_) {
    if (r.covers(arch, spec)) return true;
  }
  return false;
}

void RulesHook::on_entry(SyscallContext& ctx) {
  pending_.erase(ctx.tid());
  std::vector<Applied> applied;
  std::vector<std::string> marks;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const RuleData& r = rules_[i].data();
    const Binding* b = r.binding(ctx.arch(), ctx.syscall().spec);
    if (b == nullptr || !predicates_hold(r, *b, ctx)) continue;
    std::uint64_t n = ++matches_[i];
    if (r.nth != 0) {
      auto nth = static_cast<std::uint64_t>(r.nth);
      if (n < nth || (n > nth && !r.nth_on)) continue;
    }
    Applied ap{i, b, std::vector<ActionState>(r.actions.size())};
    for (std::size_t k = 0; k < r.actions.size(); ++k) entry_action(ctx, ap, k, marks);
    applied.push_back(std::move(ap));
    // A rule that skips the call ends the list: the later ones would change a call that
    // does not run.
    if (r.skips()) break;
  }
  show_marks(ctx, marks);
  if (!applied.empty()) pending_[ctx.tid()] = std::move(applied);
}

void RulesHook::on_exit(SyscallContext& ctx) {
  auto it = pending_.find(ctx.tid());
  if (it == pending_.end()) return;
  std::vector<Applied> applied = std::move(it->second);
  pending_.erase(it);
  std::vector<std::string> marks;
  // A rule that skipped the call (deny, skip) is the last one applied. The call did not run, so
  // the result is that rule's own: the rules before it have nothing to check (a rewritten
  // write "failing" with the denied errno), rewrite (a read that filled no buffer) or replace.
  std::size_t first = !applied.empty() && skipped_call(applied.back()) ? applied.size() - 1 : 0;
  for (std::size_t i = first; i < applied.size(); ++i) {
    Applied& ap = applied[i];
    for (std::size_t k = 0; k < ap.actions.size(); ++k) exit_action(ctx, ap, k, marks);
  }
  show_marks(ctx, marks);
}

void RulesHook::on_exec(pid_t tid, pid_t old_tid) {
  if (tid == old_tid) return;
  auto it = pending_.find(old_tid);
  if (it == pending_.end()) return;
  auto applied = std::move(it->second);
  pending_.erase(it);
  pending_[tid] = std::move(applied);
}

void RulesHook::warn(std::size_t rule, std::string_view kind, const std::string& message) {
  if (!warned_.insert(fmt::format("{}:{}", rule, kind)).second) return;
  options_.warn(message);
}

}  // namespace ptk::tamper::rules

namespace ptk::tamper {

std::unique_ptr<Hook> make_rules_hook(std::vector<Rule> rules, RulesHookOptions options) {
  return std::make_unique<rules::RulesHook>(std::move(rules), std::move(options));
}

}  // namespace ptk::tamper
