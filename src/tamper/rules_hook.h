// The Hook that runs --rewrite rules (private to ptk_tamper): matching at entry, actions at
// entry and exit, and the check at exit that the kernel did what each rule intended.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/tamper/hook.h"
#include "ptk/tamper/rules.h"
#include "rules_model.h"

namespace ptk::tamper::rules {

// True when every condition of the rule holds for this stop (the #N count aside).
bool predicates_hold(const RuleData& rule, const Binding& b, SyscallContext& ctx);

// What one action did at entry, for its exit.
struct ActionState {
  bool active = false;         // the action took effect at entry (or waits for the exit)
  std::string new_string;      // String: the string the call got instead
  std::uint64_t orig_len = 0;  // InBuffer: the count the program passed
  std::uint64_t new_len = 0;   // InBuffer: the count of the rewritten bytes
  std::uint64_t buf = 0;       // OutBuffer: where the kernel writes
  std::uint64_t cap = 0;       // OutBuffer: its size
};

// One rule applied to one syscall at entry.
struct Applied {
  std::size_t rule = 0;
  const Binding* binding = nullptr;
  std::vector<ActionState> actions;  // parallel to RuleData::actions
};

class RulesHook : public Hook {
 public:
  RulesHook(std::vector<Rule> rules, RulesHookOptions options);

  bool wants(Arch arch, const SyscallSpec* spec) const override;
  void on_entry(SyscallContext& ctx) override;
  void on_exit(SyscallContext& ctx) override;
  void on_abandon(pid_t tid) override { pending_.erase(tid); }
  void on_thread_exit(pid_t tid) override { pending_.erase(tid); }
  // An execve from a non-leader thread: its exit stop comes under the process's id.
  void on_exec(pid_t tid, pid_t old_tid) override;

 private:
  // Applies action k of the rule at entry; adds to `marks` what the output shows.
  void entry_action(SyscallContext& ctx, Applied& ap, std::size_t k,
                    std::vector<std::string>& marks);
  void entry_string(SyscallContext& ctx, Applied& ap, std::size_t k, bool& done);
  void entry_buffer(SyscallContext& ctx, Applied& ap, std::size_t k, bool& done);
  // Checks (and for exit actions applies) action k at exit.
  void exit_action(SyscallContext& ctx, Applied& ap, std::size_t k,
                   std::vector<std::string>& marks);
  void exit_buffer(SyscallContext& ctx, Applied& ap, std::size_t k,
                   std::vector<std::string>& marks);
  // Whether the rule of `ap` kept the call from running (a deny or skip that took effect).
  bool skipped_call(const Applied& ap) const;
  // Reports once per rule and kind of problem.
  void warn(std::size_t rule, std::string_view kind, const std::string& message);

  std::vector<Rule> rules_;
  RulesHookOptions options_;
  std::vector<std::uint64_t> matches_;  // per rule: stops whose conditions held (for #N)
  std::unordered_map<pid_t, std::vector<Applied>> pending_;
  std::set<std::string> warned_;
};

}  // namespace ptk::tamper::rules
