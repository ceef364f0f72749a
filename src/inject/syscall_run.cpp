// run_syscall_expr: strings the kernel only reads below the stack, those it may write into in
// a guarded scratch mapping (see syscall_run.h).
#include "ptk/inject/syscall_run.h"

#include <sys/mman.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "ptk/inject/remote_bytes.h"
#include "ptk/inject/remote_memory.h"

namespace ptk::inject {
namespace {

constexpr std::uint64_t kPage = 4096;

std::uint64_t round_up(std::uint64_t n, std::uint64_t to) { return (n + to - 1) / to * to; }

// The value of the integer argument named `name` (an output buffer's length), 0 when there is
// none or it was not given as a number.
std::uint64_t length_argument(const SyscallSpec& spec, const SyscallExpr& expr,
                              std::string_view name, std::uint64_t word_mask) {
  for (std::size_t j = 0; j < spec.nargs && j < expr.args.size(); ++j) {
    if (spec.args[j].name == name && expr.args[j].kind == SyscallArgExpr::Kind::Integer) {
      return expr.args[j].value & word_mask;
    }
  }
  return 0;
}

// Where each string of the call goes: offsets in one stack block, or in the scratch mapping.
struct Layout {
  std::string stack_block;
  std::vector<std::size_t> offset;  // per argument
  std::vector<bool> in_mapping;     // per argument
  std::uint64_t mapping_size = 0;   // the guard page included; 0: no mapping
};

Layout lay_out(const SyscallExpr& expr, const SyscallSpec& spec, std::uint64_t word_mask) {
  Layout l;
  l.offset.resize(expr.args.size());
  l.in_mapping.resize(expr.args.size());
  std::uint64_t mapped = 0;
  for (std::size_t i = 0; i < expr.args.size(); ++i) {
    const SyscallArgExpr& a = expr.args[i];
    if (a.kind != SyscallArgExpr::Kind::String) continue;
    std::uint64_t text = a.bytes.size() + 1;  // with its NUL
    if (!kernel_may_write(spec, i)) {
      l.offset[i] = l.stack_block.size();
      l.stack_block += a.bytes + '\0';
      continue;
    }
    std::uint64_t room = std::max(text, kPage);
    if (spec.args[i].type == ArgType::OutBuf) {
      room = std::max(room, length_argument(spec, expr, spec.args[i].param, word_mask));
    }
    l.in_mapping[i] = true;
    l.offset[i] = mapped;
    mapped += round_up(room, kPage);
  }
  if (mapped != 0) l.mapping_size = mapped + kPage;
  return l;
}

}  // namespace

bool kernel_may_write(const SyscallSpec& spec, std::size_t index) {
  if (index >= spec.nargs) return true;  // not in the table: assume the worst
  switch (spec.args[index].type) {
    case ArgType::OutBuf:
    case ArgType::StructOut:
    case ArgType::StructInOut:
    case ArgType::Hex:  // an untyped pointer (ioctl's arg, olduname's name): anything goes
    case ArgType::Ptr:
      return true;
    default:
      return false;  // read by the kernel (Path, InBuf, StructIn...), or not a pointer at all
  }
}

Result<std::int64_t> run_syscall_expr(RemoteSyscalls& remote, const SyscallExpr& expr,
                                      const SyscallSpec& spec) {
  const std::uint64_t word_mask =
      remote.abi_info().word_size == 4 ? 0xffffffffu : ~std::uint64_t{0};
  Layout l = lay_out(expr, spec, word_mask);
  std::optional<StackBytes> stack;
  if (!l.stack_block.empty()) {
    PTK_ASSIGN_OR_RETURN(StackBytes pushed,
                         StackBytes::push(remote, std::as_bytes(std::span(l.stack_block)), 16));
    stack.emplace(std::move(pushed));
  }
  std::optional<RemoteMapping> mapping;
  if (l.mapping_size != 0) {
    PTK_ASSIGN_OR_RETURN(RemoteMapping m, RemoteMapping::create(remote, l.mapping_size));
    mapping.emplace(std::move(m));
    // The guard: a write past the last region faults in the kernel (EFAULT), not in memory
    // the process uses.
    PTK_TRY(remote_mprotect(remote,
                            mapping->addr() + static_cast<std::int64_t>(l.mapping_size - kPage),
                            kPage, PROT_NONE));
  }
  std::vector<std::uint64_t> values;
  for (std::size_t i = 0; i < expr.args.size(); ++i) {
    const SyscallArgExpr& a = expr.args[i];
    if (a.kind != SyscallArgExpr::Kind::String) {
      values.push_back(a.value);  // NULL is 0
    } else if (l.in_mapping[i]) {
      std::string text = a.bytes + '\0';
      PTK_TRY(mapping->write(l.offset[i], std::as_bytes(std::span(text))));
      values.push_back(mapping->addr().addr() + l.offset[i]);
    } else {
      values.push_back(stack->addr().addr() + l.offset[i]);
    }
  }
  auto ret = remote.syscall(spec.nr, values);
  // Undone in the reverse order of doing, the first failure reported.
  Status undone = mapping ? mapping->unmap() : ok_status();
  if (stack) {
    if (Status s = stack->restore(); undone.ok()) undone = s;
  }
  if (!ret.ok()) return ret;
  if (!undone.ok()) return std::move(undone).error();
  return ret;
}

}  // namespace ptk::inject
