#include "common/tracee_end.h"

#include <fmt/format.h>

#include "common/cli_util.h"
#include "ptk/engine/tracee_end.h"

namespace ptk::cli {

int fail_or_ended(std::string_view cmd, Session& session, pid_t pid, std::string_view name,
                  std::string_view during, const Error& error) {
  if (auto end = engine::ended_under_us(session, pid, error)) {
    return fail(cmd, fmt::format("{} {}", engine::describe_end(pid, name, *end), during));
  }
  return fail(cmd, error);
}

}  // namespace ptk::cli
