#include "hooks.h"

#include <fmt/format.h>

#include <cerrno>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/raw_event.h"

#ifdef PTK_BPF_HAVE_PROGRAM
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "ptk_fentry.skel.h"
#include "ptk_trace.skel.h"
#endif

namespace ptk::bpf {

#ifdef PTK_BPF_HAVE_PROGRAM
namespace {

// The kernel function of a syscall: the entry points the syscall tables name (x86's
// __x64_sys_NAME; for i386 the compat wrapper when there is one, else __ia32_sys_NAME).
std::string function_of(const struct btf* btf, std::uint16_t abi, std::string_view name) {
  std::vector<std::string> candidates;
  if (abi == PTK_ABI_X86_64) {
    candidates.push_back(fmt::format("__x64_sys_{}", name));
  } else if (abi == PTK_ABI_I386) {
    candidates.push_back(fmt::format("__ia32_compat_sys_{}", name));
    candidates.push_back(fmt::format("__ia32_sys_{}", name));
  }
  for (const std::string& candidate : candidates) {
    if (btf__find_by_name_kind(btf, candidate.c_str(), BTF_KIND_FUNC) > 0) return candidate;
  }
  return {};
}

}  // namespace

std::vector<HookTarget> hook_targets(std::span<const ptk_cap_plan> plans) {
  std::vector<HookTarget> targets;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (!(plans[i].flags & PTK_PLAN_TRACE)) continue;
    auto abi = static_cast<std::uint16_t>(i / PTK_PLAN_NR_MAX);
    auto nr = static_cast<std::int64_t>(i % PTK_PLAN_NR_MAX);
    // The fallback plan reports numbers past the table: only the tracepoints see those.
    if (nr == PTK_PLAN_NR_MAX - 1 || targets.size() == kMaxHookedFunctions) return {};
    targets.push_back({{}, nr, abi});
  }
  if (targets.empty()) return {};
  struct btf* btf = btf__load_vmlinux_btf();
  if (btf == nullptr) return {};
  for (HookTarget& target : targets) {
    const SyscallSpec* spec = nullptr;
    if (target.abi == PTK_ABI_X86_64) spec = find_syscall(Arch::X86_64, target.nr);
    if (target.abi == PTK_ABI_I386) spec = find_syscall(Arch::I386, target.nr);
    if (spec != nullptr) target.function = function_of(btf, target.abi, spec->name);
    if (target.function.empty()) {
      targets.clear();
      break;
    }
  }
  btf__free(btf);
  // One function for two numbers would leave the number to report ambiguous.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    for (std::size_t j = i + 1; j < targets.size(); ++j) {
      if (targets[i].function == targets[j].function) return {};
    }
  }
  return targets;
}

Result<void> load_hooks(Backend::Impl& impl, const std::vector<HookTarget>& targets,
                        const BackendOptions& options) {
  ptk_trace* main = impl.skel;
  for (const HookTarget& target : targets) {
    ptk_fentry* hook = ptk_fentry__open();
    if (hook == nullptr) return Error::from_errno(errno, "eBPF tracing: opening a syscall hook");
    impl.hooks.push_back(hook);
    hook->rodata->user_stacks = main->rodata->user_stacks;
    hook->rodata->wake_bytes = main->rodata->wake_bytes;
    hook->rodata->hook_nr = target.nr;
    hook->rodata->hook_abi = target.abi;
    (void)options;
    int err = bpf_program__set_attach_target(hook->progs.on_fentry, 0, target.function.c_str());
    if (err == 0) {
      err = bpf_program__set_attach_target(hook->progs.on_fexit, 0, target.function.c_str());
    }
    std::pair<bpf_map*, bpf_map*> shared[] = {{hook->maps.events, main->maps.events},
                                              {hook->maps.plans, main->maps.plans},
                                              {hook->maps.traced, main->maps.traced},
                                              {hook->maps.scratch, main->maps.scratch},
                                              {hook->maps.bss, main->maps.bss}};
    for (auto [mine, theirs] : shared) {
      if (err == 0) err = bpf_map__reuse_fd(mine, bpf_map__fd(theirs));
    }
    if (err == 0) err = ptk_fentry__load(hook);
    if (err == 0) err = ptk_fentry__attach(hook);
    if (err != 0) {
      return Error::from_errno(-err, fmt::format("eBPF tracing: hooking {}", target.function));
    }
  }
  return {};
}

void destroy_hooks(Backend::Impl& impl) {
  for (ptk_fentry* hook : impl.hooks) ptk_fentry__destroy(hook);
  impl.hooks.clear();
}
#else
std::vector<HookTarget> hook_targets(std::span<const ptk_cap_plan>) { return {}; }
Result<void> load_hooks(Backend::Impl&, const std::vector<HookTarget>&, const BackendOptions&) {
  return {};
}
void destroy_hooks(Backend::Impl&) {}
#endif

}  // namespace ptk::bpf
