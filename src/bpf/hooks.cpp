#include "hooks.h"

#include <fmt/format.h>

#include <cerrno>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/raw_event.h"

#ifdef PTK_BPF_HAVE_PROGRAM
#include <bpf/btf.h>
#include <bpf/libbpf.h>

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

Result<void> load_hooks(Backend::Impl& impl, const std::vector<HookTarget>& targets) {
  for (const HookTarget& target : targets) {
    for (bool retprobe : {false, true}) {
      LIBBPF_OPTS(bpf_kprobe_opts, opts);
      opts.bpf_cookie = (std::uint64_t{target.abi} << 32) | static_cast<std::uint32_t>(target.nr);
      opts.retprobe = retprobe;
      bpf_program* prog = retprobe ? impl.skel->progs.on_syscall_function_return
                                   : impl.skel->progs.on_syscall_function;
      bpf_link* link = bpf_program__attach_kprobe_opts(prog, target.function.c_str(), &opts);
      if (link == nullptr) {
        return Error::from_errno(errno, fmt::format("eBPF tracing: hooking {}", target.function));
      }
      impl.hook_links.push_back(link);
    }
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
