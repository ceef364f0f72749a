#include "ptk/sys/capture_plan.h"

#include <algorithm>
#include <string_view>

#include "ptk/arch/struct_layouts.h"
#include "ptk/arch/syscalls.h"
#include "ptk/sys/raw_event.h"

namespace ptk::sys {
namespace {

constexpr std::uint32_t kPathMax = 4096;  // the decoders read a path up to PATH_MAX
// What fits in one record next to the syscall's fixed part and a few other chunks.
constexpr std::uint32_t kBigBuffer = 60 * 1024;
constexpr std::uint32_t kSockaddrMax = 128;  // sizeof(struct sockaddr_storage)
// A struct whose size the table does not give, or an argument a decoder may read as one:
// copied up to this much, or to the end of its page (PTK_CAP_PAGE_OK).
constexpr std::uint32_t kUnknownStruct = 512;
// From the stack pointer at rt_sigreturn: the frame's ucontext up to its signal mask and beyond
// (x86_64's rt_sigframe puts uc_sigmask 304 bytes in).
constexpr std::uint32_t kSignalFrame = 1024;

// The size of the structs the table names, the largest of the ABIs' layouts (the decoders read
// one struct of the ABI's size; a larger copy is only more bytes).
std::uint32_t struct_size(std::string_view type) {
  struct Size {
    std::string_view type;
    std::uint32_t size;
  };
  static constexpr Size kSizes[] = {
      {"stat", 144},
      {"stat64", 144},
      {"statx", 256},
      {"timespec", 16},
      {"timespec64", 16},
      {"timeval", 16},
      {"timezone", 8},
      {"itimerspec", 32},
      {"itimerspec64", 32},
      {"itimerval", 32},
      {"sigaction", 152},
      {"sigset", 128},
      {"rusage", 144},
      {"utsname", 390},
      {"sysinfo", 112},
      {"fd_pair", 8},
      {"wait_status", 4},
      {"socklen_t", 4},
      {"int", 4},
      {"rlimit", 16},
      {"rlimit64", 16},
      {"fd_set", 128},
      {"clone_args", 88},
      {"statfs", 120},
      {"statfs64", 120},
      {"tms", 32},
      {"sched_param", 4},
      {"stack_t", 24},
      {"timex", 208},
      {"user_desc", 16},
      {"open_how", 24},
      {"sel_arg_struct", 20},
      {"pselect6_sigmask", 16},
      {"sched_attr", 56},
  };
  for (const Size& s : kSizes) {
    if (s.type == type) return s.size;
  }
  return kUnknownStruct;
}

class PlanBuilder {
 public:
  PlanBuilder(ptk_cap_plan& plan) : plan_(plan) {}

  void add(ptk_cap_item item) {
    if (plan_.nitems < PTK_PLAN_MAX_ITEMS) plan_.items[plan_.nitems++] = item;
  }
  bool full() const { return plan_.nitems >= PTK_PLAN_MAX_ITEMS; }
  bool covers(int arg) const {
    return std::any_of(plan_.items, plan_.items + plan_.nitems,
                       [&](const ptk_cap_item& it) { return it.arg == arg; });
  }

 private:
  ptk_cap_plan& plan_;
};

ptk_cap_item item(ptk_cap_kind kind, int arg, std::uint8_t when, std::uint32_t max) {
  ptk_cap_item it{};
  it.kind = static_cast<std::uint8_t>(kind);
  it.arg = static_cast<std::uint8_t>(arg);
  it.when = when;
  it.len_rule = PTK_LEN_CONST;
  it.max = max;
  return it;
}

ptk_cap_item with_len(ptk_cap_item it, ptk_cap_len_rule rule, int len_arg, std::uint32_t size) {
  it.len_rule = static_cast<std::uint8_t>(rule);
  it.len_arg = static_cast<std::uint8_t>(len_arg);
  it.size = size;
  return it;
}

std::uint8_t when_of(ArgType type) {
  switch (type) {
    case ArgType::StructIn:
      return PTK_AT_ENTRY;
    case ArgType::StructOut:
      return PTK_AT_EXIT;
    default:
      return PTK_AT_ENTRY | PTK_AT_EXIT;
  }
}

int arg_index(const SyscallSpec& spec, std::string_view name) {
  for (int i = 0; i < spec.nargs; ++i) {
    if (spec.args[i].name == name) return i;
  }
  return -1;
}

struct Limits {
  std::uint32_t string;      // a string or buffer the decoders show: -s, one more for "..."
  std::uint16_t argv;        // argv elements shown (one more tells there are more)
  std::uint16_t array_max;   // any array ever read
  std::uint8_t epoll_event;  // the ABI's sizeof(struct epoll_event)
};

// A struct argument whose shape the table's name tells.
void struct_arg(PlanBuilder& b, const SyscallSpec& spec, int i, const Limits& lim) {
  const ArgSpec& a = spec.args[i];
  std::uint8_t when = when_of(a.type);
  // A decoder of its own may show what the kernel wrote back into an input struct too
  // (sched_setattr's size after E2BIG): both ends, for those.
  if (find_decoder(spec.name) != nullptr) when = PTK_AT_ENTRY | PTK_AT_EXIT;
  std::string_view type = a.param;
  int next = i + 1 < spec.nargs ? i + 1 : -1;
  if (type == "iovec" && next >= 0) {
    auto it = with_len(item(PTK_CAP_IOVEC, i, when, lim.string), PTK_LEN_ARG, next, 1);
    it.count_max = lim.array_max;
    b.add(it);
  } else if (type == "msghdr") {
    auto it = item(PTK_CAP_MSGHDR, i, when, lim.string);
    it.size = 4096;  // control data: what a cmsg decoder walks
    it.count_max = lim.array_max;
    b.add(it);
  } else if (type == "mmsghdr" && next >= 0) {
    auto it = with_len(item(PTK_CAP_MMSGHDR, i, PTK_AT_ENTRY, lim.string), PTK_LEN_ARG, next, 1);
    it.size = 1024;
    it.count_max = 64;
    b.add(it);
    auto out = with_len(item(PTK_CAP_MMSGHDR, i, PTK_AT_EXIT, lim.string), PTK_LEN_RET, 0, 1);
    out.size = 1024;
    out.count_max = 64;
    b.add(out);
  } else if (type == "sockaddr" && next >= 0) {
    // The length is the next argument, or what the socklen_t it points to says.
    bool by_pointer = spec.args[next].type == ArgType::StructInOut;
    b.add(with_len(item(PTK_CAP_BUF, i, when, kSockaddrMax),
                   by_pointer ? PTK_LEN_ARG_U32 : PTK_LEN_ARG, next, 1));
  } else if (type == "sockopt_value" && next >= 0) {
    b.add(with_len(item(PTK_CAP_BUF, i, PTK_AT_EXIT, 1024), PTK_LEN_ARG_U32, next, 1));
  } else if (type == "pollfd" && next >= 0) {
    b.add(with_len(item(PTK_CAP_BUF, i, when, 8 * lim.array_max), PTK_LEN_ARG, next, 8));
  } else if (type == "linux_dirent" || type == "linux_dirent64") {
    b.add(with_len(item(PTK_CAP_BUF, i, PTK_AT_EXIT, kBigBuffer), PTK_LEN_RET, 0, 1));
  } else if (type == "epoll_event" && a.type == ArgType::StructOut) {
    std::uint32_t size = lim.epoll_event;
    b.add(with_len(item(PTK_CAP_BUF, i, PTK_AT_EXIT, size * lim.array_max), PTK_LEN_RET, 0, size));
  } else if (type == "clone_args" && next >= 0) {
    b.add(with_len(item(PTK_CAP_BUF, i, when, 256), PTK_LEN_ARG, next, 1));
  } else {
    std::uint32_t size = type == "epoll_event" ? lim.epoll_event : struct_size(type);
    auto it = with_len(item(PTK_CAP_BUF, i, when, size), PTK_LEN_CONST, 0, size);
    it.flags = PTK_CAP_PAGE_OK;
    b.add(it);
  }
}

void plan_syscall(ptk_cap_plan& plan, const SyscallSpec& spec, const Limits& lim) {
  PlanBuilder b(plan);
  for (int i = 0; i < spec.nargs; ++i) {
    if (is_high_half(spec, static_cast<std::size_t>(i))) continue;
    const ArgSpec& a = spec.args[i];
    switch (a.type) {
      case ArgType::Path:
        b.add(item(PTK_CAP_CSTR, i, PTK_AT_ENTRY, kPathMax));
        break;
      case ArgType::Str:
        b.add(item(PTK_CAP_CSTR, i, PTK_AT_ENTRY, lim.string));
        break;
      case ArgType::InBuf:
      case ArgType::OutBuf: {
        int len = arg_index(spec, a.param);
        std::uint8_t when = a.type == ArgType::InBuf ? PTK_AT_ENTRY : PTK_AT_EXIT;
        if (len >= 0) b.add(with_len(item(PTK_CAP_BUF, i, when, lim.string), PTK_LEN_ARG, len, 1));
        break;
      }
      case ArgType::StructIn:
      case ArgType::StructOut:
      case ArgType::StructInOut:
        struct_arg(b, spec, i, lim);
        break;
      case ArgType::StrArray: {
        auto it = item(PTK_CAP_STR_ARRAY, i, PTK_AT_ENTRY, lim.string);
        it.count_max = lim.argv;
        b.add(it);
        break;
      }
      case ArgType::EnvArray: {
        auto it = item(lim.argv >= lim.array_max ? PTK_CAP_STR_ARRAY : PTK_CAP_PTR_ARRAY, i,
                       PTK_AT_ENTRY, lim.string);
        it.count_max = lim.array_max;
        b.add(it);
        break;
      }
      default:
        break;
    }
  }
  if (spec.name == "rt_sigreturn" || spec.name == "sigreturn") {
    // The signal frame the decoders show the mask of is at the stack pointer.
    auto it = with_len(item(PTK_CAP_BUF, PTK_ARG_SP, PTK_AT_ENTRY, kSignalFrame), PTK_LEN_CONST, 0,
                       kSignalFrame);
    it.flags = PTK_CAP_PAGE_OK;
    b.add(it);
  }
  // A syscall with its own decoder may read through any pointer-like argument (ioctl's and
  // fcntl's arg, prctl's): copy what is there at both ends, as far as one page allows.
  if (find_decoder(spec.name) == nullptr) return;
  for (int i = 0; i < spec.nargs && !b.full(); ++i) {
    ArgType t = spec.args[i].type;
    if ((t != ArgType::Ptr && t != ArgType::Hex) || b.covers(i)) continue;
    auto it = with_len(item(PTK_CAP_BUF, i, PTK_AT_ENTRY | PTK_AT_EXIT, kUnknownStruct),
                       PTK_LEN_CONST, 0, kUnknownStruct);
    it.flags = PTK_CAP_PAGE_OK;
    b.add(it);
  }
}

}  // namespace

std::uint16_t abi_of(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return PTK_ABI_X86_64;
    case Arch::I386:
      return PTK_ABI_I386;
    case Arch::Aarch64:
      return PTK_ABI_AARCH64;
  }
  return PTK_ABI_X86_64;
}

std::optional<Arch> arch_of_abi(std::uint16_t abi) {
  for (Arch arch : kKnownArches) {
    if (abi_of(arch) == abi) return arch;
  }
  return std::nullopt;
}

CapturePlans CapturePlans::build(const SyscallFilter& filter, const DecodeOptions& decode) {
  CapturePlans plans;
  plans.table_.assign(std::size_t{PTK_PLAN_ABIS} * PTK_PLAN_NR_MAX, ptk_cap_plan{});
  auto array_max = static_cast<std::uint16_t>(std::min<std::size_t>(decode.max_array, 4096));
  Limits lim{
      .string =
          static_cast<std::uint32_t>(std::min<std::size_t>(decode.string_limit + 1, kBigBuffer)),
      .argv = decode.verbose ? array_max
                             : static_cast<std::uint16_t>(
                                   std::min<std::size_t>(decode.abbrev_array + 1, array_max)),
      .array_max = array_max,
      .epoll_event = 0,
  };
  for (Arch arch : kAllArches) {
    lim.epoll_event = struct_layouts(arch).epoll_event_size;
    std::size_t base = std::size_t{abi_of(arch)} * PTK_PLAN_NR_MAX;
    for (std::int64_t nr = 0; nr < PTK_PLAN_NR_MAX; ++nr) {
      ptk_cap_plan& plan = plans.table_[base + static_cast<std::size_t>(nr)];
      if (filter.selects(arch, nr)) plan.flags |= PTK_PLAN_TRACE;
      if (const SyscallSpec* spec = find_syscall(arch, nr)) plan_syscall(plan, *spec, lim);
    }
  }
  return plans;
}

const ptk_cap_plan* CapturePlans::find(Arch arch, std::int64_t nr) const {
  if (nr < 0 || nr >= PTK_PLAN_NR_MAX || table_.empty()) return nullptr;
  return &table_[std::size_t{abi_of(arch)} * PTK_PLAN_NR_MAX + static_cast<std::size_t>(nr)];
}

}  // namespace ptk::sys
