#include "common/engine_run.h"

#include <fmt/format.h>

#include <utility>

#include "common/cli_util.h"
#include "ptk/engine/stop_signals.h"

namespace ptk::cli {

engine::EngineOptions engine_options(std::string_view name, int pid,
                                     std::vector<std::string> command, bool follow_forks) {
  engine::EngineOptions o;
  o.pid = pid;
  o.command = std::move(command);
  o.follow_forks = follow_forks;
  o.stop = engine::stop_flag();
  std::string cmd(name);
  o.report = [cmd](const Error& e) { fail(cmd, e); };
  o.note = [cmd](std::string_view text) { fmt::print(stderr, "ptk {}: {}\n", cmd, text); };
  return o;
}

int run_engine(std::string_view name, engine::Engine& engine, bool output_to_file) {
  engine::install_stop_handlers(engine::stop_signals_for(engine.spawned(), output_to_file));
  Result<engine::RunEnd> end = engine.run();
  if (!end.ok()) return fail(name, end.error());
  if (end->interrupted && engine.spawned()) engine::die_of_stop_signal();
  return end->exit_code;
}

}  // namespace ptk::cli
