#include "ptk/engine/tracee_end.h"

#include <fmt/format.h>

#include "ptk/core/proc.h"

namespace ptk::engine {

std::string describe_end(pid_t pid, std::string_view name, const WaitStatus& end) {
  std::string who =
      name.empty() ? fmt::format("process {}", pid) : fmt::format("process {} ({})", pid, name);
  if (end.kind() == WaitStatus::Kind::Exited) {
    return fmt::format("{} exited with {}", who, end.exit_code());
  }
  return fmt::format("{} was killed by {}{}", who, signal_name(end.term_signal()),
                     end.core_dumped() ? " (core dumped)" : "");
}

int end_code(const WaitStatus& end) {
  if (end.kind() == WaitStatus::Kind::Exited) return end.exit_code();
  return 128 + end.term_signal();
}

std::optional<WaitStatus> ended_under_us(Session& session, pid_t pid, const Error& error) {
  // TraceeGone, or any failure in a process whose death is on its way (its report pending):
  // not a program that ended by itself before doing what the command waited for.
  bool killed = error.kind() == ErrorKind::TraceeGone ||
                (session.process(pid) != nullptr && process_ending(pid));
  if (!killed) return std::nullopt;
  if (auto end = session.end_of(pid)) return end;
  auto end = session.wait_for_end(pid);
  if (!end.ok()) return std::nullopt;
  return *end;
}

std::string process_name(pid_t pid) {
  auto comm = read_proc_file(pid, "comm");
  if (!comm.ok()) return {};
  std::string name = std::move(*comm);
  while (!name.empty() && name.back() == '\n') name.pop_back();
  return name;
}

}  // namespace ptk::engine
