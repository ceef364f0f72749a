// `ptk calls` output. Text as ltrace writes it: `name(args) = value`, nested calls indented two
// spaces per level; a call whose return comes after other output is split into
// `name(args) <unfinished ...>` and `<... name resumed> = value`; `[pid N] ` before each line
// once more than one thread or process is traced, then the time (-t); -T adds how long each
// call took (entry to return, ptk's own stops included). JSON: one object per call, at its
// return.
#pragma once

#include <sys/types.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "common/color.h"
#include "ptk/debug/call_tracer.h"

namespace ptk::cli {

struct CallPrintOptions {
  bool json = false;
  int timestamps = 0;      // -t, -tt, -ttt: the wall-clock time before each line
  bool durations = false;  // -T: " <S.uuuuuu>" after a return, entry to return
};

class CallPrinter : public debug::CallSink {
 public:
  CallPrinter(std::FILE* out, const CallPrintOptions& options)
      : out_(out),
        json_(options.json),
        options_(options),
        palette_(json_ ? Palette() : Palette::for_stream(out)) {}

  void on_call(const debug::CallEntry& call) override;
  void on_return(const debug::CallExit& ret) override;
  // "+++ exited (status N) +++" / "+++ killed by SIGNAME +++".
  void exited(pid_t tid, int status);
  void killed(pid_t tid, int signal);
  // From now on every line names its thread.
  void prefix_tids() { prefix_ = true; }
  // Ends a line left open (its call never returned).
  void finish();

 private:
  struct Open {
    pid_t tid = 0;
    std::string text;
  };
  std::string head(pid_t tid, int depth) const;
  void close_open();
  void emit(const std::string& line);

  std::FILE* out_;
  bool json_;
  CallPrintOptions options_;
  Palette palette_;
  bool prefix_ = false;
  std::optional<Open> open_;  // a call line waiting for its return
};

}  // namespace ptk::cli
