// The shellcode runner: place the code and a breakpoint instruction, make that breakpoint the
// code's return address (pushed on x86, in the link register on aarch64), run to the trap (or a
// fault), then undo it all in reverse order.
#include "ptk/inject/shellcode.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <optional>

#include "ptk/inject/remote_bytes.h"
#include "ptk/inject/remote_memory.h"

namespace ptk::inject {
namespace {

// How much of the stack below its starting point the code may use and still find restored.
// Memory below the stack pointer belongs to nobody (the kernel writes signal frames there),
// but a byte-exact restore is cheap, and makes before/after comparisons simple.
constexpr std::uint64_t kStackWindow = 4096;

}  // namespace

Result<ShellcodeReport> run_shellcode(RemoteSyscalls& remote, const ShellcodeOptions& options) {
  if (options.code.empty()) {
    return Error(ErrorKind::InvalidArgument, "run shellcode", 0, "the code is empty");
  }
  const AbiInfo& abi = remote.abi_info();
  std::vector<std::byte> image = options.code;
  const std::span<const std::byte> brk = abi.breakpoint_insn.bytes();
  image.insert(image.end(), brk.begin(), brk.end());
  // Foreign code may use the x87/SSE/AVX registers that a syscall leaves alone.
  PTK_TRY(remote.save_extended_state());
  Memory& memory = remote.session().memory(remote.tid());

  std::optional<RemoteMapping> mapping;
  std::optional<PatchedBytes> patch;
  ShellcodeReport report;
  report.size = image.size();
  if (options.place == CodePlace::FreshMapping) {
    // Written while writable, then made executable: no page is writable and executable at once
    // (W^X), which some kernels' and programs' policies demand.
    PTK_ASSIGN_OR_RETURN(RemoteMapping m, RemoteMapping::create(remote, image.size()));
    mapping.emplace(std::move(m));
    PTK_TRY(mapping->write(0, image));
    PTK_TRY(mapping->protect(PROT_READ | PROT_EXEC));
    report.code_addr = mapping->addr().addr();
  } else {
    report.code_addr =
        options.place == CodePlace::AtIp ? remote.saved_regs().ip() : options.address;
    PTK_ASSIGN_OR_RETURN(PatchedBytes p,
                         PatchedBytes::write(memory, RemoteAddr(report.code_addr), image));
    patch.emplace(std::move(p));
  }
  const std::uint64_t trap = report.code_addr + image.size() - brk.size();

  const Thread* t = remote.session().thread(remote.tid());
  PTK_ASSIGN_OR_RETURN(PatchedBytes window,
                       PatchedBytes::save_below(memory, t != nullptr ? t->pid : remote.tid(),
                                                remote.scratch_sp(), kStackWindow));
  Registers regs = remote.saved_regs();
  regs.set_ip(report.code_addr);
  std::optional<StackBytes> ret;
  if (abi.call.return_in_reg) {
    // The code's `ret` jumps to the link register (aarch64's x30); the stack stays as found,
    // aligned below the scope's scratch data.
    regs.set(abi.call.return_reg, trap);
    regs.set_sp(remote.scratch_sp() - remote.scratch_sp() % abi.stack_align);
  } else {
    PTK_ASSIGN_OR_RETURN(StackBytes pushed, StackBytes::push_return_address(remote, trap));
    regs.set_sp(pushed.addr().addr());
    ret.emplace(std::move(pushed));
  }
  PTK_ASSIGN_OR_RETURN(report.stop, remote.run_code(regs));

  // Undo in the reverse order of doing, reporting the first failure.
  Status undo = ret ? ret->restore() : ok_status();
  for (Status s : {window.restore(), patch ? patch->restore() : ok_status(),
                   mapping ? mapping->unmap() : ok_status()}) {
    if (undo.ok() && !s.ok()) undo = s;
  }
  if (!undo.ok()) return std::move(undo).error();
  return report;
}

Result<ShellcodeReport> run_shellcode(Session& session, pid_t tid,
                                      const ShellcodeOptions& options) {
  PTK_ASSIGN_OR_RETURN(RemoteSyscalls remote, RemoteSyscalls::open(session, tid));
  auto report = run_shellcode(remote, options);
  Status restored = remote.restore();
  if (!report.ok()) return report;
  if (!restored.ok()) return std::move(restored).error();
  return report;
}

Result<std::vector<std::byte>> parse_hex_bytes(std::string_view text) {
  auto hex_value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  auto bad = [&text](std::size_t at, std::string_view why) {
    return Error(ErrorKind::InvalidArgument, fmt::format("hex bytes '{}'", text), 0,
                 fmt::format("{} at column {}", why, at + 1));
  };
  std::vector<std::byte> out;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == ',') {
      ++i;
      continue;
    }
    bool prefixed = i + 1 < text.size() && (c == '\\' || c == '0') &&
                    (text[i + 1] == 'x' || text[i + 1] == 'X');
    if (prefixed) {
      // "\x0f" or "0x0f": one byte of one or two digits.
      i += 2;
      std::size_t start = i;
      int value = 0;
      while (i < text.size() && i - start < 2 && hex_value(text[i]) >= 0) {
        value = value * 16 + hex_value(text[i++]);
      }
      if (i == start) return bad(start, "expected a hex digit after the prefix");
      out.push_back(static_cast<std::byte>(value));
      continue;
    }
    if (hex_value(c) < 0) return bad(i, fmt::format("'{}' is not a hex digit", c));
    // A run of digits: two per byte.
    std::size_t start = i;
    while (i < text.size() && hex_value(text[i]) >= 0) ++i;
    if ((i - start) % 2 != 0) return bad(start, "an odd number of hex digits");
    for (std::size_t k = start; k < i; k += 2) {
      out.push_back(static_cast<std::byte>(hex_value(text[k]) * 16 + hex_value(text[k + 1])));
    }
  }
  if (out.empty()) return Error(ErrorKind::InvalidArgument, "hex bytes", 0, "no bytes given");
  return out;
}

}  // namespace ptk::inject
