#include "common/target_args.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "common/cli_util.h"

namespace ptk::cli {

int take_command(const CLI::App& sub, std::string_view name,
                 const std::vector<std::string>& after_dashes, std::vector<std::string>& command) {
  std::vector<std::string> rest = sub.remaining();
  // The command starts at the first non-option; a dash there is an option ptk lacks.
  if (!rest.empty() && rest.front().starts_with('-')) {
    return fail(name, fmt::format("unknown option '{}' (see ptk {} --help)", rest.front(), name),
                kExitUsage);
  }
  command.insert(command.end(), rest.begin(), rest.end());
  command.insert(command.end(), after_dashes.begin(), after_dashes.end());
  return 0;
}

int take_target(const CLI::App& sub, std::string_view name,
                const std::vector<std::string>& after_dashes, int pid,
                std::vector<std::string>& command) {
  if (int code = take_command(sub, name, after_dashes, command); code != 0) return code;
  if ((pid != 0) == !command.empty()) {
    return fail(name,
                fmt::format("give either -p PID or -- COMMAND ARGS... (see ptk {} --help)", name),
                kExitUsage);
  }
  if (pid < 0) return fail(name, fmt::format("bad process id {}", pid), kExitUsage);
  return 0;
}

}  // namespace ptk::cli
