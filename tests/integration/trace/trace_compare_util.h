// Helpers of the tests that run strace and `ptk trace` on the same program and compare: a
// scratch directory at a fixed path (getcwd shows it), and one traced run written with -o.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace ptk_test {

inline constexpr const char* kStraceBinary = "/usr/bin/strace";

// A fresh directory for the tracee, the same path for every run; reset() empties it.
class ScratchDir {
 public:
  explicit ScratchDir(std::string path) : path_(std::move(path)) { reset(); }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  void reset() {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directory(path_);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct TraceRun {
  std::vector<std::string> lines;  // what the tracer wrote with -o
  CommandResult result;            // its status, and the program's stdout and stderr
};

// `tracer` (strace, or PTK_CLI: then `ptk trace`) -o FILE OPTS -- CMD.
inline TraceRun trace_run(const std::string& tracer, const std::vector<std::string>& opts,
                          const std::vector<std::string>& cmd) {
  std::string out = fmt::format("/tmp/ptk-trace-run-{}", ::getpid());
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out});
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.push_back("--");
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  ::setenv("TZ", "UTC", 1);  // dates in comments are local times
  TraceRun run{.lines = {}, .result = run_command(argv)};
  run.lines = read_lines(out);
  ::unlink(out.c_str());
  return run;
}

// The lines of a run that must end with status 0.
inline std::vector<std::string> trace_lines(const std::string& tracer,
                                            const std::vector<std::string>& opts,
                                            const std::vector<std::string>& cmd) {
  TraceRun run = trace_run(tracer, opts, cmd);
  EXPECT_TRUE(WIFEXITED(run.result.status) && WEXITSTATUS(run.result.status) == 0)
      << tracer << ": " << describe_status(run.result.status) << "\n"
      << run.result.err;
  return run.lines;
}

}  // namespace ptk_test
