// Backend::open: loading the kernel program with the caller's options and plans, and the traced
// set's bookkeeping.
#include "ptk/bpf/backend.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "hooks.h"
#include "impl.h"
#include "prog/thread.h"

#ifdef PTK_BPF_HAVE_PROGRAM
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ptk_trace.skel.h"
#endif

namespace ptk::bpf {

namespace {

// A power of two of at least one page, as the kernel's ring buffer wants.
std::size_t ring_size(std::size_t wanted) {
  std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  while (size < wanted && size < (std::size_t{1} << 40)) size <<= 1;
  return size;
}

#ifdef PTK_BPF_HAVE_PROGRAM
// libbpf's messages while loading, kept for the error line (the verifier's last words).
std::string* g_libbpf_log = nullptr;

int keep_libbpf_message(enum libbpf_print_level level, const char* format, va_list args) {
  if (g_libbpf_log == nullptr || level == LIBBPF_DEBUG) return 0;
  char line[1024];
  int n = std::vsnprintf(line, sizeof line, format, args);
  if (n > 0 && g_libbpf_log->size() < (std::size_t{1} << 20)) g_libbpf_log->append(line);
  return 0;
}

// The running kernel's release is at least major.minor (false when it cannot be read).
bool kernel_at_least(int major, int minor) {
  utsname u{};
  int got_major = 0;
  int got_minor = 0;
  if (::uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &got_major, &got_minor) != 2) {
    return false;
  }
  return got_major > major || (got_major == major && got_minor >= minor);
}

Result<void> load(Backend::Impl& impl, const BackendOptions& options) {
  std::string log;
  g_libbpf_log = &log;
  libbpf_print_fn_t old_print = libbpf_set_print(keep_libbpf_message);
  struct Restore {
    libbpf_print_fn_t print;
    ~Restore() {
      libbpf_set_print(print);
      g_libbpf_log = nullptr;
    }
  } restore{old_print};

  impl.skel = ptk_trace__open();
  if (impl.skel == nullptr) return load_error(errno, log);
  ptk_trace* skel = impl.skel;
  skel->rodata->follow_forks = options.follow_forks ? 1 : 0;
  skel->rodata->user_stacks = options.user_stacks ? 1 : 0;
  std::size_t ring = ring_size(options.ring_bytes);
  // The consumer is woken once an eighth of the ring waits (and polls every few ms anyway).
  skel->rodata->wake_bytes = ring / 8;
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) return Error::from_errno(-cpus, "eBPF tracing: counting the CPUs");
  int err = bpf_map__set_max_entries(skel->maps.scratch, static_cast<unsigned>(cpus));
  if (err == 0) {
    err = bpf_map__set_max_entries(skel->maps.events, static_cast<unsigned>(ring));
  }
  // Preallocated, the traced-thread map costs all its PTK_MAX_THREADS elements at creation
  // (~5 MiB zeroed and threaded onto per-CPU free lists, a tenth of ptk's start-up); allocated
  // as threads are added, it costs nothing up front. Before 6.1 (bpf_mem_alloc) a kprobe
  // program using such a map makes the kernel warn (WARN_ONCE in check_map_prog_compatibility).
  if (err == 0 && kernel_at_least(6, 1)) {
    err = bpf_map__set_map_flags(skel->maps.traced,
                                 bpf_map__map_flags(skel->maps.traced) | BPF_F_NO_PREALLOC);
  }
  if (err != 0) return load_error(-err, log);
  impl.follow_forks = options.follow_forks;
  impl.lost_slots = std::min(static_cast<unsigned>(cpus), 256u);
  std::vector<HookTarget> hooks;
  if (options.function_hooks) hooks = hook_targets(options.plans);
  // The kprobes are attached by hand, to each hooked function (hooks.cpp).
  bpf_program__set_autoattach(skel->progs.on_syscall_function, false);
  bpf_program__set_autoattach(skel->progs.on_syscall_function_return, false);
  if (hooks.empty()) {
    bpf_program__set_autoload(skel->progs.on_syscall_function, false);
    bpf_program__set_autoload(skel->progs.on_syscall_function_return, false);
  } else {
    // Loaded all the same: they take over when the hooks cannot be attached.
    bpf_program__set_autoattach(skel->progs.on_sys_enter, false);
    bpf_program__set_autoattach(skel->progs.on_sys_exit, false);
  }
  err = ptk_trace__load(skel);
  if (err != 0) return load_error(-err, log);
  impl.traced_fd = bpf_map__fd(skel->maps.traced);

  std::size_t max_plans = std::size_t{PTK_PLAN_ABIS} * PTK_PLAN_NR_MAX;
  if (options.plans.size() > max_plans) {
    return Error(ErrorKind::InvalidArgument, "eBPF tracing", 0,
                 fmt::format("{} capture plans, at most {}", options.plans.size(), max_plans));
  }
  // One batch: a syscall per plan took longer than loading the program.
  std::vector<std::uint32_t> keys(options.plans.size());
  for (std::uint32_t i = 0; i < keys.size(); ++i) keys[i] = i;
  auto count = static_cast<std::uint32_t>(keys.size());
  if (count > 0 && bpf_map_update_batch(bpf_map__fd(skel->maps.plans), keys.data(),
                                        options.plans.data(), &count, nullptr) != 0) {
    return Error::from_errno(errno, "eBPF tracing: writing the capture plans");
  }
  if (!hooks.empty()) {
    if (load_hooks(impl, hooks)) {
      skel->bss->syscall_hooks = 1;
    } else {
      // A kernel without kprobes (CONFIG_KPROBES is off here): the tracepoints then.
      destroy_hooks(impl);
      skel->links.on_sys_enter = bpf_program__attach(skel->progs.on_sys_enter);
      if (skel->links.on_sys_enter == nullptr) return load_error(errno, log);
      skel->links.on_sys_exit = bpf_program__attach(skel->progs.on_sys_exit);
      if (skel->links.on_sys_exit == nullptr) return load_error(errno, log);
    }
  }
  err = ptk_trace__attach(skel);
  if (err != 0) return load_error(-err, log);
  return {};
}
#endif

}  // namespace

Backend::Backend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Backend::~Backend() = default;

Result<std::unique_ptr<Backend>> Backend::open(const BackendOptions& options) {
#ifndef PTK_BPF_HAVE_PROGRAM
  (void)options;
  (void)ring_size;
  return Error(ErrorKind::Unsupported,
               std::string("ptk was built without the eBPF backend: ") + PTK_BPF_MISSING);
#else
  if (auto ok = check_privilege(); !ok) return ok.error();
  auto impl = std::make_unique<Impl>();
  if (auto ok = load(*impl, options); !ok) return ok.error();
  return std::unique_ptr<Backend>(new Backend(std::move(impl)));
#endif
}

int Backend::exec_error() const { return impl_->exec_errno; }
bool Backend::uses_function_hooks() const { return !impl_->hook_links.empty(); }
std::int64_t Backend::live_threads() const { return impl_->live(); }

Backend::Impl::~Impl() {
#ifdef PTK_BPF_HAVE_PROGRAM
  ring_buffer__free(ring);
  destroy_hooks(*this);
  ptk_trace__destroy(skel);  // detaches every program and closes the maps
#endif
}

#ifdef PTK_BPF_HAVE_PROGRAM
Result<void> Backend::Impl::track(pid_t tid, std::uint32_t flags) {
  ptk_thread value{};
  value.flags = flags;
  auto key = static_cast<std::uint32_t>(tid);
  if (bpf_map_update_elem(traced_fd, &key, &value, BPF_NOEXIST) != 0) {
    if (errno == EEXIST) return {};
    return Error::from_errno(errno, fmt::format("eBPF tracing: adding thread {}", tid));
  }
  __atomic_fetch_add(&skel->bss->live_threads, 1, __ATOMIC_SEQ_CST);
  return {};
}

bool Backend::Impl::untrack(pid_t tid) {
  auto key = static_cast<std::uint32_t>(tid);
  if (bpf_map_delete_elem(traced_fd, &key) != 0) return false;
  __atomic_fetch_sub(&skel->bss->live_threads, 1, __ATOMIC_SEQ_CST);
  return true;
}

void Backend::Impl::sweep() {
  std::vector<std::uint32_t> gone;
  std::uint32_t key = 0;
  std::uint32_t next = 0;
  const std::uint32_t* prev = nullptr;
  while (bpf_map_get_next_key(traced_fd, prev, &next) == 0) {
    // /proc/TID exists for every thread id, not only for processes.
    if (::access(fmt::format("/proc/{}", next).c_str(), F_OK) != 0 && errno == ENOENT) {
      gone.push_back(next);
    }
    key = next;
    prev = &key;
  }
  for (std::uint32_t tid : gone) untrack(static_cast<pid_t>(tid));
}

std::int64_t Backend::Impl::live() const {
  return __atomic_load_n(&skel->bss->live_threads, __ATOMIC_SEQ_CST);
}

std::uint64_t Backend::Impl::lost_total() const {
  std::uint64_t sum = 0;
  for (unsigned i = 0; i < lost_slots; ++i)
    sum += __atomic_load_n(&skel->bss->lost[i], __ATOMIC_RELAXED);
  return sum;
}
#else
Result<void> Backend::Impl::track(pid_t, std::uint32_t) {
  return Error(ErrorKind::Unsupported, "eBPF tracing");
}
bool Backend::Impl::untrack(pid_t) { return false; }
void Backend::Impl::sweep() {}
std::int64_t Backend::Impl::live() const { return 0; }
std::uint64_t Backend::Impl::lost_total() const { return 0; }
#endif

}  // namespace ptk::bpf
