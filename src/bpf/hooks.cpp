#include "hooks.h"

#include <fmt/format.h>

#include <cerrno>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"

#ifdef PTK_BPF_HAVE_PROGRAM
#include <bpf/libbpf.h>

#include "ptk_trace.skel.h"
#endif

namespace ptk::bpf {

#ifdef PTK_BPF_HAVE_PROGRAM
namespace {

// Not from the kernel's BTF: it leaves out the syscalls without arguments (SYSCALL_DEFINE0's
// __x64_sys_getpid is missing from Debian 12's), and parsing it costs milliseconds. Whether a
// name exists is learnt by attaching to it.
std::vector<std::string> functions_of(std::uint16_t abi, std::string_view name) {
  if (abi == PTK_ABI_X86_64) return {fmt::format("__x64_sys_{}", name)};
  if (abi == PTK_ABI_I386) {
    return {fmt::format("__ia32_compat_sys_{}", name), fmt::format("__ia32_sys_{}", name)};
  }
  if (abi == PTK_ABI_AARCH64) return {fmt::format("__arm64_sys_{}", name)};
  return {};
}

bpf_link* attach(bpf_program* prog, const std::string& function, const HookTarget& target,
                 bool retprobe) {
  LIBBPF_OPTS(bpf_kprobe_opts, opts);
  opts.bpf_cookie = (std::uint64_t{target.abi} << 32) | static_cast<std::uint32_t>(target.nr);
  opts.retprobe = retprobe;
  return bpf_program__attach_kprobe_opts(prog, function.c_str(), &opts);
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
    auto arch = sys::arch_of_abi(abi);
    const SyscallSpec* spec = arch ? find_syscall(*arch, nr) : nullptr;
    if (spec == nullptr) return {};
    targets.push_back({functions_of(abi, spec->name), nr, abi});
    if (targets.back().functions.empty()) return {};
  }
  return targets;
}

Result<void> load_hooks(Backend::Impl& impl, const std::vector<HookTarget>& targets) {
  for (const HookTarget& target : targets) {
    bpf_link* entry = nullptr;
    std::string function;
    for (const std::string& candidate : target.functions) {
      entry = attach(impl.skel->progs.on_syscall_function, candidate, target, false);
      if (entry != nullptr) {
        function = candidate;
        break;
      }
    }
    if (entry == nullptr) {
      return Error::from_errno(errno,
                               fmt::format("eBPF tracing: hooking {}", target.functions.front()));
    }
    impl.hook_links.push_back(entry);
    bpf_link* exit = attach(impl.skel->progs.on_syscall_function_return, function, target, true);
    if (exit == nullptr) {
      return Error::from_errno(errno, fmt::format("eBPF tracing: hooking {}'s return", function));
    }
    impl.hook_links.push_back(exit);
  }
  return {};
}

void destroy_hooks(Backend::Impl& impl) {
  for (bpf_link* link : impl.hook_links) bpf_link__destroy(link);
  impl.hook_links.clear();
}
#else
std::vector<HookTarget> hook_targets(std::span<const ptk_cap_plan>) { return {}; }
Result<void> load_hooks(Backend::Impl&, const std::vector<HookTarget>&) { return {}; }
void destroy_hooks(Backend::Impl&) {}
#endif

}  // namespace ptk::bpf
