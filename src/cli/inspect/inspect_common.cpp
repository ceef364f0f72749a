#include "inspect/inspect_common.h"

#include <fmt/format.h>

#include <charconv>

#include "ptk/core/proc.h"
#include "ptk/sys/escape.h"

namespace ptk::cli {

Result<pid_t> parse_pid(std::string_view text) {
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || pid <= 0) {
    return Error(ErrorKind::InvalidArgument, fmt::format("process id \"{}\"", text), 0,
                 "a process id is a positive decimal number");
  }
  return pid;
}

Status check_inspectable(pid_t pid) { return check_attachable(pid); }

std::string thread_name(pid_t tid) {
  auto comm = read_proc_file(tid, "comm");
  if (!comm.ok()) return "?";
  std::string name = std::move(*comm);
  while (!name.empty() && name.back() == '\n') name.pop_back();
  return name;
}

std::string describe_location(const debug::Frame& frame) {
  if (frame.module.empty()) return "??";
  std::string_view module = frame.module;
  // "[vdso: 1234]" keeps its brackets; a path is shown by its file name.
  if (!module.starts_with('[')) module = module.substr(module.rfind('/') + 1);
  if (frame.symbol.empty()) {
    return fmt::format("?? ({}+{:#x})", sys::printable(module), frame.module_offset);
  }
  return fmt::format("{}+{:#x} ({})", sys::printable(frame.demangled_symbol()), frame.symbol_offset,
                     sys::printable(module));
}

std::string json_hex(std::uint64_t value) { return fmt::format("\"{:#x}\"", value); }

}  // namespace ptk::cli
