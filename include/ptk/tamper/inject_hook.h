// InjectHook: strace's -e inject= / -e fault= specs applied as a tamper::Hook.
//
// As strace: invocations are counted per syscall and per thread (a new thread or child
// counts from 1), error=/retval= skip the call (syscall number -1) or run the syscall=
// substitute and replace its result at exit, signal= is sent at entry, poke_enter= writes at
// entry and poke_exit= at exit, delays hold the thread. Marks as strace prints them:
// "(INJECTED)" for a replaced result, "(INJECTED: args)" for a poke, "(INJECTED: args,
// retval)" for both, "(DELAYED)" for a delay.
//
// Beyond strace: several specs may name one syscall; each counts on its own and all that
// fire apply, in the order given (the last error=/retval= decides the result). And at exit
// the hook checks that the kernel did what was meant (a skipped call returns -ENOSYS, a
// substitute succeeds) and says once per spec when it did not:
//   ptk: inject: openat in 1234 returned 3, not the injected -1 ENOENT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/tamper/hook.h"
#include "ptk/tamper/inject_spec.h"

namespace ptk::tamper {

class InjectHook final : public Hook {
 public:
  explicit InjectHook(std::vector<InjectSpec> specs);

  // Where the "did not do what was meant" lines go; stderr by default.
  void set_warn(std::function<void(const std::string&)> warn) { warn_ = std::move(warn); }
  const std::vector<InjectSpec>& specs() const { return specs_; }

  bool wants(Arch arch, const SyscallSpec* spec) const override;
  void on_entry(SyscallContext& ctx) override;
  void on_exit(SyscallContext& ctx) override;
  void on_abandon(pid_t tid) override { fired_.erase(tid); }
  void on_thread_exit(pid_t tid) override;
  void on_exec(pid_t tid, pid_t old_tid) override;

 private:
  // What fired at one thread's entry, for its exit.
  struct Fired {
    int result_spec = -1;  // the spec whose error=/retval= decides, or -1
    bool substituted = false;
    bool poked = false;
    bool delayed = false;
    std::vector<int> specs;  // every spec that fired
  };
  struct Counter {
    std::uint64_t key;  // spec index, ABI, syscall number
    std::uint64_t count;
  };

  std::uint64_t next_invocation(pid_t tid, std::size_t spec, Arch arch, std::int64_t nr);
  // Writes the pokes of one phase; true when any wrote at least a byte.
  bool poke(SyscallContext& ctx, const std::vector<InjectPoke>& pokes);
  void warn_once(std::size_t spec, const std::string& text);
  void warn(const std::string& text);

  std::vector<InjectSpec> specs_;
  std::unordered_map<pid_t, std::vector<Counter>> counts_;
  std::unordered_map<pid_t, Fired> fired_;
  std::vector<bool> warned_;
  std::function<void(const std::string&)> warn_;
};

}  // namespace ptk::tamper
