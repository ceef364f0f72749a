// Text and JSON renderings of `ptk inject` results.
#include "inject/inject_render.h"

#include <fmt/format.h>

#include "ptk/core/wait_status.h"
#include "ptk/sys/decoded.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

std::string_view place_name(inject::CodePlace place) {
  switch (place) {
    case inject::CodePlace::FreshMapping:
      return "mapping";
    case inject::CodePlace::AtIp:
      return "ip";
    case inject::CodePlace::AtAddress:
      return "address";
  }
  return "?";
}

// The name the ABI gives its return register ("rax", "eax"), from the ABI's tables.
std::string_view ret_reg_name(const AbiInfo& abi) {
  for (const NamedReg& r : abi.registers) {
    if (r.slot == abi.role(RegRole::Ret)) return r.name;
  }
  return "ret";
}

std::string ret_text(const SyscallOutcome& o) {
  if (inject::is_syscall_error(o.ret)) {
    int err = static_cast<int>(-o.ret);
    std::string_view name = sys::errno_name(err);
    return fmt::format("-1 {} ({})", name.empty() ? std::to_string(err) : std::string(name),
                       sys::errno_text(err));
  }
  if (o.spec != nullptr && o.spec->ret == RetType::Hex) return fmt::format("{:#x}", o.ret_address);
  return std::to_string(o.ret);
}

}  // namespace

std::string render_syscall_text(const SyscallOutcome& o, const Palette& palette) {
  std::string args;
  for (const inject::SyscallArgExpr& a : o.expr->args) {
    if (!args.empty()) args += ", ";
    args += a.text;
  }
  return fmt::format(
      "{}({}) = {}", palette.paint(Style::Syscall, o.spec->name), args,
      palette.paint(inject::is_syscall_error(o.ret) ? Style::Failure : Style::Success,
                    ret_text(o)));
}

std::string render_syscall_json(const SyscallOutcome& o) {
  std::string args;
  for (const inject::SyscallArgExpr& a : o.expr->args) {
    if (!args.empty()) args += ",";
    switch (a.kind) {
      case inject::SyscallArgExpr::Kind::Integer:
        args += std::to_string(static_cast<std::int64_t>(a.value));
        break;
      case inject::SyscallArgExpr::Kind::String:
        args += sys::json_string(a.bytes);
        break;
      case inject::SyscallArgExpr::Kind::Null:
        args += "null";
        break;
    }
  }
  std::string out = fmt::format(
      R"({{"pid":{},"tid":{},"arch":"{}","syscall":"{}","nr":{},"args":[{}],"retval":{})", o.pid,
      o.tid, to_string(o.arch), o.spec->name, o.spec->nr, args, o.ret);
  if (inject::is_syscall_error(o.ret)) {
    int err = static_cast<int>(-o.ret);
    out += fmt::format(R"(,"errno":"{}","error":{})", sys::errno_name(err),
                       sys::json_string(sys::errno_text(err)));
  }
  return out + "}";
}

std::string render_shellcode_text(const ShellcodeOutcome& o, const Palette& palette) {
  const inject::ShellcodeReport& r = *o.report;
  const AbiInfo& abi = r.stop.regs.abi_info();
  std::uint64_t ret = r.stop.regs.get(RegRole::Ret);
  auto address = [&](std::uint64_t a) {
    return palette.paint(Style::Address, fmt::format("{:#x}", a));
  };
  return fmt::format("shellcode: {} bytes at {} ({}), stopped at the breakpoint at {}; {} = {}",
                     r.size, address(r.code_addr), place_name(o.place),
                     address(r.stop.regs.ip() - abi.breakpoint_pc_adjust),
                     palette.paint(Style::Register, ret_reg_name(abi)),
                     palette.paint(Style::Success, fmt::format("{:#x}", ret)));
}

std::string render_shellcode_json(const ShellcodeOutcome& o) {
  const inject::ShellcodeReport& r = *o.report;
  const AbiInfo& abi = r.stop.regs.abi_info();
  std::string out =
      fmt::format(R"({{"pid":{},"tid":{},"arch":"{}","place":"{}","code_addr":"{:#x}","size":{},)",
                  o.pid, o.tid, to_string(o.arch), place_name(o.place), r.code_addr, r.size);
  if (r.stop.kind == inject::CodeStop::Kind::Trap) {
    out += fmt::format(R"("trap_ip":"{:#x}","{}":"{:#x}"}})",
                       r.stop.regs.ip() - abi.breakpoint_pc_adjust, ret_reg_name(abi),
                       r.stop.regs.get(RegRole::Ret));
  } else {
    out += fmt::format(R"("fault":{{"signal":"{}","address":"{:#x}","ip":"{:#x}"}}}})",
                       signal_name(r.stop.signal), r.stop.address, r.stop.regs.ip());
  }
  return out;
}

std::string describe_fault(const ShellcodeOutcome& o) {
  const inject::ShellcodeReport& r = *o.report;
  std::uint64_t ip = r.stop.regs.ip();
  std::string where = ip >= r.code_addr && ip < r.code_addr + r.size
                          ? fmt::format("code+{}", ip - r.code_addr)
                          : std::string("outside the code");
  return fmt::format("the shellcode faulted ({} at {:#x}; ip {:#x} = {})",
                     signal_name(r.stop.signal), r.stop.address, ip, where);
}

}  // namespace ptk::cli
