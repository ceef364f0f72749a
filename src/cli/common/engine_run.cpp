#include "common/engine_run.h"

#include <fmt/format.h>

#include <utility>

#include "common/cli_util.h"
#include "ptk/engine/stop_signals.h"

namespace ptk::cli {

engine::EngineOptions engine_options(std::string_view name, int pid,
                                     std::vector<std::string> command, bool follow_forks) {
  engine::EngineOptions o;
  if (pid != 0) o.pids.push_back(pid);
  o.command = std::move(command);
  o.follow_forks = follow_forks;
  o.stop = engine::stop_flag();
  std::string cmd(name);
  o.report = [cmd](const Error& e) { fail(cmd, e); };
  o.note = [cmd](std::string_view text) { fmt::print(stderr, "ptk {}: {}\n", cmd, text); };
  return o;
}

namespace {

// "ptk NAME: Process 12 detached" for the process ptk started or attached (not its children).
class DetachNote : public engine::Part {
 public:
  explicit DetachNote(std::string_view name) : name_(name) {}
  void on_detached(engine::Engine& engine, pid_t pid, bool /*spawned*/) override {
    if (pid == engine.pid()) fmt::print(stderr, "ptk {}: Process {} detached\n", name_, pid);
  }

 private:
  std::string name_;
};

}  // namespace

int run_engine(std::string_view name, engine::Engine& engine, bool output_to_file) {
  engine::install_stop_handlers(engine::stop_signals_for(engine.spawned(), output_to_file));
  DetachNote note(name);
  engine.add(note);
  Result<engine::RunEnd> end = engine.run();
  if (!end.ok()) return fail(name, end.error());
  if (end->interrupted && engine.spawned()) engine::die_of_stop_signal();
  return end->exit_code;
}

}  // namespace ptk::cli
